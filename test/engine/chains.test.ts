// Violation chains share their links: thousands of violators under one long cascade chain each carry the whole
// chain, and used to hold a fresh copy of every link (3,000 × 3,000 links: 34 s and 3.7 GB through the CLI).
import { expect, test } from '@jest/globals';
import { plan } from '../../src/engine/plan.js';
import { graphOf } from '../helpers/graphs.js';
import type { Snapshot } from '../../src/model/types.js';

function chainGraph(depth: number, violators: number): Snapshot {
  const entities: Snapshot['entities'] = [
    { id: 'site-a', type: 'site' },
    { id: 'site-b', type: 'site' },
  ];
  const relations: Snapshot['relations'] = [];
  for (let k = 0; k < depth; k++) {
    entities.push({ id: `c${k}`, type: 'doc' });
    relations.push({ from: `c${k}`, type: 'IN', to: k ? `c${k - 1}` : 'site-a' });
  }
  for (let v = 0; v < violators; v++) {
    entities.push({ id: `v${v}`, type: 'leaf' });
    relations.push({ from: `v${v}`, type: 'IN', to: `c${depth - 1}` }, { from: `v${v}`, type: 'IN', to: 'site-b' });
  }
  return { schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } }, entities, relations };
}

test('each of 500 violators under a 500-long chain gets the whole chain, built from one link per entity', () => {
  const depth = 500;
  const r = plan(graphOf(chainGraph(depth, 500)), ['c0']);
  const cross = r.violations.filter((v) => v.rule === 'cross-boundary');
  expect(cross).toHaveLength(500);
  for (const v of cross) {
    expect(v.chain.map((l) => l.id)).toEqual([...Array.from({ length: depth }, (_, k) => `c${k}`), v.entity]);
    expect(v.chain[0]).toEqual({ id: 'c0', type: 'doc', relation: null });
    expect(v.chain[1]).toEqual({ id: 'c1', type: 'doc', relation: 'IN', onDelete: 'cascade' });
  }
  // The same entity is the same link object in every chain (and in the deleted list's order of discovery).
  for (let k = 0; k < depth; k++) expect(cross[499].chain[k]).toBe(cross[0].chain[k]);
  expect(cross[0].chain[depth]).not.toBe(cross[1].chain[depth]);
});
