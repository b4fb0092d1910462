// unknown-target: a target ID is not in the graph. The message suggests entities whose name is exactly that ID
// (people type names).
import type { GraphIndex } from '../../model/graph.js';
import { planRule } from './types.js';

export const unknownTarget = planRule({
  name: 'unknown-target',
  help: 'targets that are not in the graph',
  anchor: 'target',
  order: 10,
  check({ g, unknown }, out) {
    if (unknown.length === 0) return;
    const hints = suggestByName(g, unknown);
    for (const id of unknown) {
      const hint = hints.get(id);
      const suffix = hint?.length ? `; did you mean ${hint.map((ix) => `${g.idOf(ix)} (a ${g.typeOf(ix)} named "${g.nameOf(ix)}")`).join(' or ')}?` : '';
      out.push({ rule: 'unknown-target', message: `"${id}" is not in the graph${suffix}`, entity: id, chain: [] });
    }
  },
});

/** Entities whose name is exactly an unknown target, at most 3 each. One scan, only when a target is unknown. */
function suggestByName(g: GraphIndex, unknown: readonly string[]): Map<string, number[]> {
  const wanted = new Map(unknown.map((u) => [u, [] as number[]]));
  for (let i = 0; i < g.size; i++) {
    const name = g.nameOf(i);
    if (name === undefined) continue;
    const list = wanted.get(name);
    if (list && list.length < 3) list.push(i);
  }
  return wanted;
}
