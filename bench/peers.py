"""Peers for the blastguard benchmark: the same cascade-only reverse reachability with python-igraph and networkx.

Usage: peers.py igraph|networkx PREFIX NODES REPS
Reads PREFIX.edges.bin (int32 from,to pairs; "from depends on to") and PREFIX.roots.bin (int32 root vertices),
builds the graph, then for every root collects everything that reaches it (igraph: subcomponent(mode="in");
networkx: ancestors). Prints one JSON object: build seconds, reachability seconds per repetition, vertices reached.
"""
import json
import sys
import time
from array import array


def read_ints(path):
    a = array("i")
    with open(path, "rb") as f:
        a.frombytes(f.read())
    if sys.byteorder != "little":
        a.byteswap()
    return a


def main():
    tool, prefix, nodes, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    edges = read_ints(prefix + ".edges.bin")
    roots = list(read_ints(prefix + ".roots.bin"))
    out = {"tool": tool, "python": sys.version.split()[0]}
    t = time.perf_counter()
    if tool == "igraph":
        import igraph

        out["version"] = igraph.__version__
        pairs = list(zip(edges[0::2], edges[1::2]))
        g = igraph.Graph(n=nodes, edges=pairs, directed=True)
        del pairs
        reach = lambda r: len(g.subcomponent(r, mode="in"))
    else:
        import networkx

        out["version"] = networkx.__version__
        g = networkx.DiGraph()
        g.add_nodes_from(range(nodes))
        g.add_edges_from(zip(edges[0::2], edges[1::2]))
        reach = lambda r: len(networkx.ancestors(g, r)) + 1  # ancestors leaves out the root itself
    del edges
    out["build_s"] = time.perf_counter() - t
    out["reach_s"] = []
    for _ in range(reps):
        t = time.perf_counter()
        reached = 0
        for r in roots:
            reached += reach(r)
        out["reach_s"].append(time.perf_counter() - t)
    out["entities"] = reached
    try:
        import resource

        out["max_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    except ImportError:
        pass
    print(json.dumps(out))


if __name__ == "__main__":
    main()
