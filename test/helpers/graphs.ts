// Test helpers: build graphs from snapshots, summarise plans as sorted sets, and generate random graphs.
import { closeSync, openSync, writeSync } from 'node:fs';
import { buildSnapshot } from '../../src/ingest/snapshot.js';
import type { Snapshot } from '../../src/model/types.js';
import type { PlanResult } from '../../src/engine/result.js';

export const graphOf = (snap: Snapshot) => buildSnapshot(snap, 'test');

export function outcome(r: PlanResult) {
  return {
    deleted: r.deleted.map((d) => d.id).sort(),
    detached: r.detached.map((d) => d.id).sort(),
    spared: r.spared.map((d) => d.id).sort(),
  };
}

export function ruleEntities(r: PlanResult, rules: string[]): string[] {
  return [...new Set(r.violations.filter((v) => rules.includes(v.rule)).map((v) => `${v.rule}|${v.entity}`))].sort();
}

// Random graphs live in src/generate/random.ts (the Neo4j benchmark uses them too).
export { mulberry32 as rng, randomSnapshot } from '../../src/generate/random.js';

/**
 * A snapshot file of one cascade chain: e0 (a site) ← e1 ← … ← e(links-1), each `IN` the one before; the last
 * entity has type `last`. Written in pieces, never as one string, so 100,000 links cost no memory to write.
 */
export function writeCascadeChain(path: string, links: number, last = 'thing'): void {
  const fd = openSync(path, 'w');
  const batch = 10_000;
  const type = (i: number) => (i === links - 1 ? last : 'thing');
  writeSync(fd, '{"schema":{"boundary":"site","relations":{"IN":{"onDelete":"cascade"}}},"entities":[{"id":"e0","type":"site"}');
  for (let i = 1; i < links; i += batch)
    writeSync(fd, Array.from({ length: Math.min(batch, links - i) }, (_, k) => `,{"id":"e${i + k}","type":"${type(i + k)}"}`).join(''));
  writeSync(fd, '],"relations":[');
  for (let i = 1; i < links; i += batch)
    writeSync(
      fd,
      Array.from({ length: Math.min(batch, links - i) }, (_, k) => `${i + k > 1 ? ',' : ''}{"from":"e${i + k}","type":"IN","to":"e${i + k - 1}"}`).join(''),
    );
  writeSync(fd, ']}');
  closeSync(fd);
}
