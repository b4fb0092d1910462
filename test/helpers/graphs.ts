// Test helpers: build graphs from snapshots, summarise plans as sorted sets, and generate random graphs.
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
