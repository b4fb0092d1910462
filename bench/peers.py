"""Peers for the blastguard benchmark: the same cascade-only reverse reachability with python-igraph and networkx.

Usage: peers.py igraph|networkx PREFIX NODES REPS
       peers.py igraph-json SNAPSHOT.json SITE          (cold, end to end: json.load, Graph, subcomponent)
       peers.py igraph-pickle-make SNAPSHOT.json OUT     (writes igraph's own compressed pickle, untimed)
       peers.py igraph-pickle OUT SITE                   (cold, end to end: Graph.Read_Picklez, subcomponent)
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


def snapshot_graph(path):
    """The snapshot's cascade relations as an igraph Graph (what a plan follows), vertex attribute "name" = ID."""
    import igraph

    with open(path, "rb") as f:
        snap = json.load(f)
    cascade = {t for t, r in snap["schema"]["relations"].items() if r.get("onDelete") == "cascade"}
    ids = [e["id"] for e in snap["entities"]]
    index = {v: i for i, v in enumerate(ids)}
    edges = [(index[r["from"]], index[r["to"]]) for r in snap["relations"] if r["type"] in cascade]
    g = igraph.Graph(n=len(ids), edges=edges, directed=True)
    g.vs["name"] = ids
    return g


def cold(tool, path, site):
    """One cold single-site question, end to end, as a fresh process would answer it: prints vertices reached."""
    import igraph

    t = time.perf_counter()
    if tool == "igraph-json":
        g = snapshot_graph(path)
    else:
        g = igraph.Graph.Read_Picklez(path)
    loaded = time.perf_counter() - t
    reached = len(g.subcomponent(g.vs.find(name=site).index, mode="in"))
    out = {"tool": tool, "version": igraph.__version__, "load_s": loaded, "total_s": time.perf_counter() - t, "entities": reached}
    print(json.dumps(out))


def main():
    if sys.argv[1] == "igraph-pickle-make":
        snapshot_graph(sys.argv[2]).write_picklez(sys.argv[3])
        return
    if sys.argv[1] in ("igraph-json", "igraph-pickle"):
        return cold(sys.argv[1], sys.argv[2], sys.argv[3])
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
