// target-mismatch: a manifest gives both `targets` and `select`, and they disagree: the hand-made list must name
// exactly what the selectors pick.
import { describeSelector } from '../select.js';
import { manifestRule } from './types.js';

export const targetMismatch = manifestRule({
  name: 'target-mismatch',
  help: "targets that the manifest's select does not pick, or selected entities missing from targets",
  anchor: 'target',
  order: 20,
  check({ g, manifest, selection, chain }, out) {
    if (!manifest.targets || !selection || !manifest.select) return;
    const describe = (id: string) => {
      const ix = g.indexOf(id);
      return ix < 0 ? `"${id}" (not in the graph)` : `"${id}" (${g.typeOf(ix)})`;
    };
    const listed = new Set(manifest.targets);
    for (const id of listed) {
      if (selection.matchedBy.has(id)) continue;
      out.push({ rule: 'target-mismatch', message: `${describe(id)} is in targets, but no select entry picks it`, entity: id, ...chain(id) });
    }
    for (const id of selection.ids) {
      if (listed.has(id)) continue;
      const s = selection.matchedBy.get(id)!;
      out.push({
        rule: 'target-mismatch',
        message: `${describe(id)} is picked by select[${s}] (${describeSelector(manifest.select[s])}), but is not in targets`,
        entity: id,
        chain: [],
      });
    }
  },
});
