// Snapshot load time: a snapshot JSON file through the product's loader (read, parse, validate, build).
import { loadGraph } from '../dist/api.js';

const t = performance.now();
const g = await loadGraph(process.argv[2]);
process.stdout.write(
  JSON.stringify({ seconds: (performance.now() - t) / 1000, entities: g.size, relations: g.relationCount, maxRssBytes: process.resourceUsage().maxRSS * 1024 }),
);
