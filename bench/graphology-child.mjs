// The naive approach as a peer: the graph in graphology (string keys, addEdge per relation) and a BFS per root
// with graphology-traversal, over the same cascade relations. Prints one JSON object on stdout.
import { readFileSync } from 'node:fs';
import graphology from 'graphology';
import { bfsFromNode } from 'graphology-traversal';

const [prefix, repsArg] = process.argv.slice(2);
const reps = Number(repsArg);
const ids = readFileSync(`${prefix}.ids.txt`, 'utf8').split('\n');
const ints = (file) => {
  const b = readFileSync(file); // small files come as a view of a shared pool: copy exactly these bytes
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
};
const edges = ints(`${prefix}.edges.bin`);
const roots = ints(`${prefix}.roots.bin`);
const out = {};
let t = performance.now();
const g = new graphology.MultiDirectedGraph();
for (const id of ids) g.addNode(id);
for (let k = 0; k < edges.length; k += 2) g.addEdge(ids[edges[k]], ids[edges[k + 1]]);
out.buildSeconds = (performance.now() - t) / 1000;
out.reachMs = [];
for (let r = 0; r < reps; r++) {
  t = performance.now();
  let reached = 0;
  for (const root of roots) {
    bfsFromNode(
      g,
      ids[root],
      () => {
        reached++;
      },
      { mode: 'inbound' },
    );
  }
  out.reachMs.push(performance.now() - t);
  out.entities = reached;
}
out.heapBytes = process.memoryUsage().heapUsed;
out.maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify(out));
