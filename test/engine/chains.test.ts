// Violation chains share their links and are elided when long: thousands of violators under one long cascade chain
// used to hold a fresh copy of every link (3,000 × 3,000 links: 34 s and 3.7 GB through the CLI), then the whole chain
// each (99,999 × 100,000 references: out of memory). Now each holds its ends and its length; the whole chain of any
// deleted entity is rebuilt from the result (chainFromResult), and the reports' --full does that.
import { expect, test } from '@jest/globals';
import { plan } from '../../src/engine/plan.js';
import { chainFromResult } from '../../src/engine/result.js';
import { CHAIN_ENDS, CHAIN_LIMIT } from '../../src/engine/toolkit/chain.js';
import { renderHuman } from '../../src/report/human.js';
import { renderMarkdown } from '../../src/report/markdown.js';
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

test('each of 500 violators under a 500-long chain gets its ends and its length, built from one link per entity', () => {
  const depth = 500;
  const r = plan(graphOf(chainGraph(depth, 500)), ['c0']);
  const cross = r.violations.filter((v) => v.rule === 'cross-boundary');
  expect(cross).toHaveLength(500);
  for (const v of cross) {
    expect(v.chainLength).toBe(depth + 1);
    expect(v.chain.map((l) => l.id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c496', 'c497', 'c498', 'c499', v.entity]);
    expect(v.chain[0]).toEqual({ id: 'c0', type: 'doc', relation: null });
    expect(v.chain[1]).toEqual({ id: 'c1', type: 'doc', relation: 'IN', onDelete: 'cascade' });
    // The whole chain is in the result: the ends are its ends.
    const whole = chainFromResult(r, v.entity!);
    expect(whole).toHaveLength(depth + 1);
    expect(whole.slice(0, CHAIN_ENDS).map((l) => l.id)).toEqual(v.chain.slice(0, CHAIN_ENDS).map((l) => l.id));
    expect(whole.slice(-CHAIN_ENDS).map((l) => l.id)).toEqual(v.chain.slice(CHAIN_ENDS).map((l) => l.id));
  }
  // The same entity is the same link object in every chain.
  for (let k = 0; k < 2 * CHAIN_ENDS - 1; k++) expect(cross[499].chain[k]).toBe(cross[0].chain[k]);
  expect(cross[0].chain[2 * CHAIN_ENDS - 1]).not.toBe(cross[1].chain[2 * CHAIN_ENDS - 1]);
});

test('chains of CHAIN_LIMIT links or fewer are whole and carry no chainLength; one more link elides them', () => {
  const short = plan(graphOf(chainGraph(CHAIN_LIMIT - 1, 1)), ['c0']).violations.find((v) => v.rule === 'cross-boundary')!;
  expect(short.chain).toHaveLength(CHAIN_LIMIT);
  expect('chainLength' in short).toBe(false);
  const long = plan(graphOf(chainGraph(CHAIN_LIMIT, 1)), ['c0']).violations.find((v) => v.rule === 'cross-boundary')!;
  expect(long.chain).toHaveLength(2 * CHAIN_ENDS);
  expect(long.chainLength).toBe(CHAIN_LIMIT + 1);
});

test('a blocker one link past an elided chain: counted in chainLength, and --full rebuilds the whole chain', () => {
  const g = chainGraph(30, 0);
  g.schema.relations.GUARDS = { onDelete: 'protect' };
  g.entities.push({ id: 'guard', type: 'lock' });
  g.relations.push({ from: 'guard', type: 'GUARDS', to: 'c29' });
  const r = plan(graphOf(g), ['c0']);
  const v = r.violations.find((x) => x.rule === 'protected')!;
  expect(v.entity).toBe('guard');
  expect(v.chainLength).toBe(31);
  expect(v.chain.map((l) => l.id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c25', 'c26', 'c27', 'c28', 'c29', 'guard']);
  const human = renderHuman(r, { title: 't' });
  expect(human).toContain('… 20 more links …');
  const full = renderHuman(r, { title: 't', full: true });
  expect(full).not.toContain('more links');
  for (let k = 0; k < 30; k++) expect(full).toContain(`└ c${k} [doc]`.replace('└ c0 [doc]', 'c0 [doc]'));
  expect(full).toMatch(/└ guard \[lock\]/);
  expect(renderMarkdown(r, { full: true })).not.toContain('more links');
  expect(renderMarkdown(r)).toContain('… 20 more links …');
  // A summary-only result lists no deleted entities: --full shows the chain elided, with its count.
  const summary = plan(graphOf(g), ['c0'], { detail: 'summary' });
  expect(renderHuman(summary, { title: 't', full: true })).toContain('… 20 more links …');
});
