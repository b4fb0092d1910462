// What the HTML report's browser script shows of the data: every string made visible (bidi overrides, zero-width
// and control characters escaped, as in every other format), labels cut without splitting an escape. Pure (no DOM),
// so the tests run it in Node.
import type { ClientNode } from '../html-data.js';
import { visible } from '../text.js';

export { visible };

const LABEL_MAX = 40;

/** Cuts visible text to `max` characters with an ellipsis, never inside a `\u…` escape or a surrogate pair. */
export function cut(text: string, max = LABEL_MAX): string {
  if (text.length <= max) return text;
  let end = max - 2;
  for (const m of text.matchAll(/\\u\{[0-9a-f]+\}|\\u[0-9a-f]{4}/g)) {
    if (m.index >= end) break;
    if (m.index + m[0].length > end) end = m.index;
  }
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** The label drawn on the canvas: the name (or the ID), or for an aggregate its description and group. */
export function shortLabel(n: ClientNode, aggregated: boolean): string {
  const text = aggregated ? `${n.id}${n.name ? ` · ${n.name}` : ''}` : n.name || n.id;
  return cut(visible(text));
}

/** Whether a search query (lower case) finds the node: in the data as it is, or as the page shows it. */
export function nodeMatches(n: ClientNode, q: string): boolean {
  const fields = [n.id, n.name ?? '', n.type, ...(n.sample ?? [])];
  return fields.some((f) => f.toLowerCase().includes(q) || visible(f).toLowerCase().includes(q));
}
