// Maps a field path inside a parsed JSON or YAML text back to its line number (only used on the error path).
import type { Node as JsonNode } from 'jsonc-parser';
import type { Document } from 'yaml';
import { scanJson } from './json-scan.js';
import { jsonc, yaml } from './lazy.js';

export type Locator = (path: readonly (string | number)[]) => number | undefined;

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * jsonc-parser builds its tree recursively (a few thousand levels exhaust the stack), so a text nested deeper than
 * this is not located: its messages carry no line rather than crash.
 */
export const LOCATE_MAX_DEPTH = 1000;

/** A locator for JSON text; parses the tree lazily, at most once. */
export function jsonLocator(text: string): Locator {
  let root: JsonNode | undefined | null = null;
  return (path) => {
    const { findNodeAtLocation, parseTree } = jsonc();
    if (root === null) {
      root = undefined;
      if (scanJson(text, { maxDepth: LOCATE_MAX_DEPTH, maxString: Infinity, keys: false })?.kind !== 'depth') {
        try {
          root = parseTree(text);
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
        }
      }
    }
    if (!root) return undefined;
    // Walk down as far as the path exists, so a missing field points at its parent object.
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, path.slice(0, n) as (string | number)[]);
      if (node) {
        const target = node.parent?.type === 'property' && n > 0 ? node.parent : node;
        return lineOfOffset(text, target.offset);
      }
    }
    return undefined;
  };
}

/** A locator for YAML text. */
export function yamlLocator(text: string): Locator {
  let doc: Document.Parsed | undefined;
  let counter: InstanceType<ReturnType<typeof yaml>['LineCounter']> | undefined;
  return (path) => {
    const { isMap, isNode, isScalar, LineCounter, parseDocument } = yaml();
    counter ??= new LineCounter();
    doc ??= parseDocument(text, { lineCounter: counter });
    for (let n = path.length; n >= 0; n--) {
      // A field of a map points at its key (where a person looks for a typo), not at its value.
      const parent = n === 0 ? undefined : n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[n - 1]));
        if (pair && isNode(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
      }
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}
