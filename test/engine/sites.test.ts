// The site index (a dataflow over interned site sets) against the definition, computed the plain way: one
// breadth-first search per site over the reversed cascade and last-owner relations, not entering other sites.
import { describe, expect, test } from '@jest/globals';
import { siteIndex, siteIndexOnDemand, SiteSets } from '../../src/engine/sites.js';
import type { OnDelete, Snapshot } from '../../src/model/types.js';
import { graphOf, rng } from '../helpers/graphs.js';

/** Entity ID → sorted site IDs, by one search per site (the definition; no sharing, no cleverness). */
function referenceSites(snap: Snapshot): Map<string, string[]> {
  const boundary = snap.schema.boundary ?? 'site';
  const typeOf = new Map(snap.entities.map((e) => [e.id, e.type]));
  const owning = (t: string) => ['cascade', 'last-owner'].includes(snap.schema.relations[t].onDelete);
  const dependents = new Map<string, string[]>(); // to → froms, ownership relations only
  for (const r of snap.relations) {
    if (!owning(r.type)) continue;
    const list = dependents.get(r.to) ?? [];
    list.push(r.from);
    dependents.set(r.to, list);
  }
  const out = new Map<string, Set<string>>(snap.entities.map((e) => [e.id, new Set<string>()]));
  for (const site of snap.entities) {
    if (site.type !== boundary) continue;
    const seen = new Set([site.id]);
    const queue = [site.id];
    for (let h = 0; h < queue.length; h++) {
      out.get(queue[h])!.add(site.id);
      for (const f of dependents.get(queue[h]) ?? []) {
        if (seen.has(f) || typeOf.get(f) === boundary) continue;
        seen.add(f);
        queue.push(f);
      }
    }
  }
  return new Map([...out].map(([id, s]) => [id, [...s].sort()]));
}

/**
 * A random graph built to stress the index: several sites, shared users with last-owner relations to many sites,
 * entities owned both by a site's content and by a shared user, ownership cycles (some through a site), chains,
 * self-relations, and relations of every other kind (which must not carry sites).
 */
function stressSnapshot(seed: number): Snapshot {
  const rand = rng(seed);
  const int = (k: number) => Math.floor(rand() * k);
  const relations: Record<string, { onDelete: OnDelete }> = {
    PART: { onDelete: 'cascade' },
    IN: { onDelete: 'cascade' },
    MEMBER: { onDelete: 'last-owner' },
    OWNED: { onDelete: 'last-owner' },
    LINK: { onDelete: 'detach' },
    USES: { onDelete: 'restrict' },
    GUARD: { onDelete: 'protect' },
    SEE: { onDelete: 'none' },
  };
  const kinds = Object.keys(relations);
  const sites = 2 + int(8);
  const users = 1 + int(3);
  const n = sites + users + 10 + int(70);
  const id = (i: number) => `e${i}`;
  const entities: Snapshot['entities'] = [];
  for (let i = 0; i < n; i++) entities.push({ id: id(i), type: i < sites ? 'site' : i < sites + users ? 'user' : ['item', 'doc', 'org'][int(3)] });
  const rels: Snapshot['relations'] = [];
  const rel = (from: number, type: string, to: number) => rels.push({ from: id(from), type, to: id(to) });
  const other = () => sites + users + int(n - sites - users);
  // Shared users: members of many sites.
  for (let u = sites; u < sites + users; u++) for (let s = 0; s < sites; s++) if (rand() < 0.6) rel(u, 'MEMBER', s);
  // Content: each entity in a site or under another entity; some also owned by a shared user.
  for (let x = sites + users; x < n; x++) {
    if (rand() < 0.3) rel(x, 'PART', int(sites));
    else if (x > sites + users) rel(x, rand() < 0.7 ? 'IN' : 'OWNED', sites + users + int(x - sites - users));
    if (rand() < 0.25) rel(x, rand() < 0.5 ? 'IN' : 'OWNED', sites + int(users));
  }
  // Cycles among content, and cycles through a site (a site that cascades to something inside itself).
  for (let k = int(6); k > 0; k--) rel(other(), rand() < 0.5 ? 'IN' : 'OWNED', other());
  for (let k = int(3); k > 0; k--) {
    const s = int(sites);
    const x = other();
    rel(x, 'PART', s);
    rel(s, rand() < 0.5 ? 'PART' : 'OWNED', x);
  }
  // Sites depending on each other and on an org; self-relations; relations that carry no site.
  for (let k = int(3); k > 0; k--) rel(int(sites), 'PART', rand() < 0.5 ? int(sites) : other());
  for (let k = int(3); k > 0; k--) {
    const x = rand() < 0.3 ? int(n) : other();
    rel(x, 'IN', x);
  }
  for (let k = int(n); k > 0; k--) rel(int(n), kinds[4 + int(4)], int(n));
  return { schema: { boundary: 'site', relations }, entities, relations: rels };
}

function checkAgainstReference(snap: Snapshot): void {
  const g = graphOf(snap);
  const ix = siteIndex(g);
  const want = referenceSites(snap);
  const got = new Map<string, string[]>();
  let global = 0;
  const byContent = new Map<string, number>();
  for (let x = 0; x < g.size; x++) {
    const s = ix.sitesOf(x);
    for (let k = 1; k < s.length; k++) expect(s[k - 1]).toBeLessThan(s[k]); // sorted, no repeats
    expect(ix.sets.get(ix.setOf(x))).toBe(s);
    got.set(g.idOf(x), Array.from(s, (y) => g.idOf(y)).sort());
    if (s.length === 0) global++;
    // Interned: entities with the same sites have the same set id, and different sites different ids.
    const key = s.join(',');
    const seen = byContent.get(key);
    if (seen === undefined) byContent.set(key, ix.setOf(x));
    else expect(ix.setOf(x)).toBe(seen);
  }
  expect(new Set(byContent.values()).size).toBe(byContent.size);
  expect(got).toEqual(want);
  expect(ix.globalCount).toBe(global);
}

describe('siteIndex equals one search per site', () => {
  test.each(Array.from({ length: 300 }, (_, i) => i + 1))('stress graph, seed %i', (seed) => {
    checkAgainstReference(stressSnapshot(seed));
  });

  test('hand cases: a site inside a cycle, an entity of a site and of a shared user, a cycle across two sites', () => {
    const relations: Record<string, { onDelete: OnDelete }> = { PART: { onDelete: 'cascade' }, MEMBER: { onDelete: 'last-owner' } };
    const entities = ['s1', 's2', 's3'].map((id) => ({ id, type: 'site' }));
    for (const id of ['u', 'a', 'b', 'c', 'd', 'loner']) entities.push({ id, type: 'thing' });
    const r = (from: string, type: string, to: string) => ({ from, type, to });
    const snap: Snapshot = {
      schema: { boundary: 'site', relations },
      entities,
      relations: [
        r('u', 'MEMBER', 's1'),
        r('u', 'MEMBER', 's2'),
        r('a', 'PART', 's3'), // a: in s3 and under the shared user
        r('a', 'PART', 'u'),
        r('s3', 'PART', 'b'), // s3 → b → s3: a site inside a cycle stays {s3}; b belongs to s3
        r('b', 'PART', 's3'),
        r('c', 'PART', 'd'), // c ↔ d, each also in another site: both belong to s1 and s2
        r('d', 'PART', 'c'),
        r('c', 'PART', 's1'),
        r('d', 'PART', 's2'),
      ],
    };
    checkAgainstReference(snap);
    const g = graphOf(snap);
    const ix = siteIndex(g);
    const ids = (id: string) => Array.from(ix.sitesOf(g.indexOf(id)), (s) => g.idOf(s));
    expect(ids('s3')).toEqual(['s3']);
    expect(ids('b')).toEqual(['s3']);
    expect(ids('a')).toEqual(['s1', 's2', 's3']);
    expect(ids('c')).toEqual(['s1', 's2']);
    expect(ix.setOf(g.indexOf('c'))).toBe(ix.setOf(g.indexOf('u'))); // equal sets, one id
    expect(ids('loner')).toEqual([]);
    expect(ix.globalCount).toBe(1);
  });

  test('no boundary entity: every entity is global', () => {
    const snap: Snapshot = {
      schema: { boundary: 'site', relations: { PART: { onDelete: 'cascade' } } },
      entities: [
        { id: 'a', type: 'x' },
        { id: 'b', type: 'x' },
      ],
      relations: [{ from: 'a', type: 'PART', to: 'b' }],
    };
    const ix = siteIndex(graphOf(snap));
    expect(ix.boundaryCode).toBe(-1);
    expect(ix.globalCount).toBe(2);
  });
});

describe('siteIndexOnDemand: entities solved when asked, in any order, agree with the definition', () => {
  test.each(Array.from({ length: 100 }, (_, i) => i + 1))('stress graph, seed %i', (seed) => {
    const snap = stressSnapshot(seed);
    const want = referenceSites(snap);
    const g = graphOf(snap);
    const ix = siteIndexOnDemand(g);
    const rand = rng(seed * 7919);
    const order = Array.from({ length: g.size }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const sitesOf = (x: number) => Array.from(ix.sitesOf(x), (y) => g.idOf(y)).sort();
    // Half the entities asked first; then a scratch extension makes a union; the base keeps growing under it while
    // the rest are asked, and the extension's set keeps its members (its ids are not reused by the base).
    const half = order.length >> 1;
    for (const x of order.slice(0, half)) expect(sitesOf(x)).toEqual(want.get(g.idOf(x)));
    const ext = ix.sets.extend();
    const a = ix.setOf(order[0]);
    const b = ix.setOf(order[1]);
    const u = ext.union([a, b]);
    const members = Array.from(ext.get(u));
    for (const x of order.slice(half)) expect(sitesOf(x)).toEqual(want.get(g.idOf(x)));
    expect(Array.from(ext.get(u))).toEqual(members);
    expect(members).toEqual(Array.from(new Set([...ix.sets.get(a), ...ix.sets.get(b)])).sort((p, q) => p - q));
    // Equal sites, equal ids, whatever order they were solved in; completing changes nothing already solved.
    const byContent = new Map<string, number>();
    for (let x = 0; x < g.size; x++) {
      const key = ix.sitesOf(x).join(',');
      const seen = byContent.get(key);
      if (seen === undefined) byContent.set(key, ix.setOf(x));
      else expect(ix.setOf(x)).toBe(seen);
    }
    const before = Array.from({ length: g.size }, (_, x) => ix.setOf(x));
    const full = siteIndex(g);
    expect(full).toBe(ix);
    expect(Array.from({ length: g.size }, (_, x) => full.setOf(x))).toEqual(before);
    expect(full.globalCount).toBe([...want.values()].filter((s) => s.length === 0).length);
  });
});

describe('SiteSets', () => {
  const sorted = (xs: Iterable<number>) => Int32Array.from(new Set(xs)).sort();
  test('union and subset agree with plain set arithmetic; equal sets share an id; extensions leave the base alone', () => {
    const rand = rng(7);
    const base = new SiteSets(64);
    const ids = [0];
    for (let k = 0; k < 40; k++) ids.push(base.intern(sorted(Array.from({ length: 1 + Math.floor(rand() * 6) }, () => Math.floor(rand() * 64)))));
    const size = base.size;
    const local = base.extend();
    for (let k = 0; k < 400; k++) {
      const pick = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => ids[Math.floor(rand() * ids.length)]);
      const want = sorted(pick.flatMap((id) => Array.from(base.get(id))));
      const u = local.union([...pick]);
      expect(Array.from(local.get(u))).toEqual(Array.from(want));
      expect(local.union([...pick].reverse())).toBe(u); // memoised and order-free
      expect(local.intern(want.slice())).toBe(u); // canonical: the same content has the same id
      for (const id of pick) expect(local.subset(id, u)).toBe(true);
      const a = ids[Math.floor(rand() * ids.length)];
      const plain = Array.from(base.get(a)).every((x) => want.includes(x));
      expect(local.subset(a, u)).toBe(plain);
    }
    expect(base.size).toBe(size);
  });
});
