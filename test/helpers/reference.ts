// A deliberately simple reference engine on graphology: fixpoint loops over sets, no indices, no cleverness.
// It exists only to give the compact engine an independent answer in differential tests.
import { MultiDirectedGraph } from 'graphology';
import type { Snapshot } from '../../src/model/types.js';

export interface ReferenceOutcome {
  deleted: string[];
  detached: string[];
  spared: string[];
  /** Sorted `rule|entity` strings for protected / restricted / boundary-deleted / cross-boundary. */
  violations: string[];
}

export function referencePlan(snap: Snapshot, roots: string[]): ReferenceOutcome {
  const g = new MultiDirectedGraph<{ type: string; protected?: boolean }, { type: string }>({ allowSelfLoops: true });
  for (const e of snap.entities) g.addNode(e.id, { type: e.type, protected: e.protected });
  for (const r of snap.relations) g.addDirectedEdge(r.from, r.to, { type: r.type });
  const sem = (t: string) => snap.schema.relations[t].onDelete;
  const boundary = snap.schema.boundary ?? 'site';

  const deleted = new Set(roots.filter((r) => g.hasNode(r)));
  let changed = true;
  while (changed) {
    changed = false;
    g.forEachNode((f) => {
      if (deleted.has(f)) return;
      let cascade = false;
      let owners = 0;
      let ownersDeleted = 0;
      g.forEachOutEdge(f, (_e, attr, _s, to) => {
        const s = sem(attr.type);
        if (s === 'cascade' && deleted.has(to)) cascade = true;
        if (s === 'last-owner') {
          owners++;
          if (deleted.has(to)) ownersDeleted++;
        }
      });
      if (cascade || (owners > 0 && owners === ownersDeleted)) {
        deleted.add(f);
        changed = true;
      }
    });
  }
  const detached = new Set<string>();
  const spared = new Set<string>();
  const violations = new Set<string>();
  g.forEachEdge((_e, attr, from, to) => {
    if (!deleted.has(to)) return;
    const s = sem(attr.type);
    if (s === 'detach' && !deleted.has(from)) detached.add(from);
    if (s === 'last-owner' && !deleted.has(from)) spared.add(from);
    if (s === 'restrict' && !deleted.has(from)) violations.add(`restricted|${from}`);
    if (s === 'protect') violations.add(`protected|${from}`);
  });
  // Sites: boundary entities reached forward over cascade / last-owner, stopping at the first boundary entity.
  const sitesOf = (id: string): Set<string> => {
    const out = new Set<string>();
    const seen = new Set([id]);
    const stack = [id];
    while (stack.length) {
      const x = stack.pop()!;
      if (g.getNodeAttribute(x, 'type') === boundary) {
        out.add(x);
        continue;
      }
      g.forEachOutEdge(x, (_e, attr, _s, to) => {
        const s = sem(attr.type);
        if ((s === 'cascade' || s === 'last-owner') && !seen.has(to)) {
          seen.add(to);
          stack.push(to);
        }
      });
    }
    return out;
  };
  // Roots that reach x: walk backwards along deletion edges (x → y, y deleted, cascade / last-owner).
  const rootsReaching = (x: string): Set<string> => {
    const out = new Set<string>();
    const seen = new Set([x]);
    const stack = [x];
    const rootSet = new Set(roots);
    while (stack.length) {
      const y = stack.pop()!;
      if (rootSet.has(y)) out.add(y);
      g.forEachOutEdge(y, (_e, attr, _s, to) => {
        const s = sem(attr.type);
        if ((s === 'cascade' || s === 'last-owner') && deleted.has(to) && !seen.has(to)) {
          seen.add(to);
          stack.push(to);
        }
      });
    }
    return out;
  };
  for (const x of deleted) {
    if (g.getNodeAttribute(x, 'protected')) violations.add(`protected|${x}`);
    if (g.getNodeAttribute(x, 'type') === boundary) violations.add(`boundary-deleted|${x}`);
    const own = sitesOf(x);
    if (own.size === 0) continue;
    const covered = new Set<string>();
    for (const r of rootsReaching(x)) for (const s of sitesOf(r)) covered.add(s);
    if ([...own].some((s) => !covered.has(s))) violations.add(`cross-boundary|${x}`);
  }
  return {
    deleted: [...deleted].sort(),
    detached: [...detached].sort(),
    spared: [...spared].sort(),
    violations: [...violations].sort(),
  };
}
