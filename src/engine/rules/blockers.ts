// Shared by the protected and restricted rules: a violation per relation that forbids deleting its target, with the
// chain to the deleted target and one more link to the blocker.
import type { ChainLink, Violation } from '../result.js';
import type { PlanContext } from './types.js';

/**
 * One violation per distinct [from, to, relationCode] triple of `triples` (`from` blocks deleting `to`), skipping
 * blockers the plan deletes too when `survivorsOnly`.
 */
export function blockedBy(ctx: PlanContext, triples: readonly number[], rule: 'protected' | 'restricted', survivorsOnly: boolean, out: Violation[]): void {
  const { g, isDeleted, label, ref, chain } = ctx;
  const seen = new Set<string>();
  for (let i = 0; i < triples.length; i += 3) {
    const f = triples[i];
    const x = triples[i + 1];
    const t = triples[i + 2];
    if (survivorsOnly && isDeleted(f)) continue;
    const key = `${f}\u0000${x}\u0000${t}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rel = g.relationTypeNames[t];
    const message =
      rule === 'restricted'
        ? `${label(x)} would be deleted, but ${label(f)} depends on it (${rel}, restrict) and is not deleted`
        : `${label(x)} would be deleted, but ${label(f)} protects it (${rel}, protect)`;
    const link: ChainLink = { ...ref(f), relation: rel, onDelete: g.relationSemantics[t] };
    const proof = chain(x);
    out.push({ rule, message, entity: g.idOf(f), chain: [...proof.chain, link], ...(proof.chainLength ? { chainLength: proof.chainLength + 1 } : {}) });
  }
}
