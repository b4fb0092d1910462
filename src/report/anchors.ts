// Where in a manifest each violation belongs: the line of the target (or select entry) that causes it. Pure; the
// line locator is handed in. Used by the CI formats (github, sarif, junit) to point at the offending line.
import type { Violation } from '../engine/result.js';
import { RULE_ANCHORS } from '../engine/rules/index.js';
import type { Locator } from '../model/locate.js';
import type { Manifest } from '../model/types.js';

export interface Anchors {
  /** The manifest file, as named on the command line. */
  file: string;
  lineOf(v: Violation): number | undefined;
}

export function manifestAnchors(file: string, manifest: Manifest, lineOf: Locator, matchedBy?: ReadonlyMap<string, number>): Anchors {
  const targetIndex = new Map<string, number>();
  (manifest.targets ?? []).forEach((id, i) => {
    if (!targetIndex.has(id)) targetIndex.set(id, i);
  });
  const lineOfRoot = (id: string): number | undefined => {
    const t = targetIndex.get(id);
    if (t !== undefined) return lineOf(['targets', t]);
    const s = matchedBy?.get(id);
    return s !== undefined ? lineOf(['select', s]) : undefined;
  };
  return {
    file,
    lineOf(v) {
      // Each rule module says where its violations go (src/engine/rules/): a field of the manifest, or the target.
      const anchor = RULE_ANCHORS[v.rule];
      if (anchor !== 'target') return lineOf(anchor(manifest));
      // The root of the chain is the target that causes it; without a chain, the entity is the target.
      const root = v.chain.length ? v.chain[0].id : v.entity;
      return (root !== null ? lineOfRoot(root) : undefined) ?? 1;
    },
  };
}
