// Reads Markdown the way GitHub would, with two independent GFM implementations: markdown-it (GFM tables, raw HTML
// on, linkify on: stricter than GitHub, which links fewer bare URLs) and micromark with its GFM extension (tables,
// autolink literals, strikethrough, task lists, footnotes, raw HTML on). Each gives the document as blocks of cells
// and list items, every one with its shown text, the code spans in it, and anything that is markup rather than text.
import MarkdownIt from 'markdown-it';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export interface Piece {
  /** The text a reader sees (code spans included, comments left out). */
  text: string;
  /** The text of each code span, in order. */
  codes: string[];
  /** The text outside code spans (each code span replaced by one NUL). */
  plain: string;
  /** Elements other than code spans and empty comments: links, images, emphasis, raw HTML, line breaks. */
  markup: string[];
}

export interface Doc {
  /** Every table row (header rows included) as its cells. */
  rows: Piece[][];
  /** Every list item's own line (nested lists are their own items). */
  items: Piece[];
  /** Headings and paragraphs. */
  blocks: Piece[];
}

const mdit = new MarkdownIt({ html: true, linkify: true });

/** markdown-it: walks the token stream. */
export function readMarkdownIt(src: string): Doc {
  const doc: Doc = { rows: [], items: [], blocks: [] };
  let row: Piece[] | null = null;
  let where: 'cell' | 'item' | 'block' = 'block';
  for (const t of mdit.parse(src, {})) {
    if (t.type === 'tr_open') doc.rows.push((row = []));
    else if (t.type === 'th_open' || t.type === 'td_open') where = 'cell';
    else if ((t.type === 'th_close' || t.type === 'td_close') && where === 'cell') {
      // An empty (or missing) cell has no inline token.
      row!.push({ text: '', codes: [], plain: '', markup: [] });
      where = 'block';
    } else if (t.type === 'list_item_open') where = 'item';
    else if (t.type === 'heading_open') where = 'block';
    else if (t.type === 'html_block') doc.blocks.push({ text: '', codes: [], plain: '', markup: [`html_block ${t.content.trim()}`] });
    else if (t.type === 'inline') {
      const piece: Piece = { text: '', codes: [], plain: '', markup: [] };
      for (const c of t.children ?? []) {
        if (c.type === 'text') {
          piece.text += c.content;
          piece.plain += c.content;
        } else if (c.type === 'code_inline') {
          piece.text += c.content;
          piece.plain += '\u0000';
          piece.codes.push(c.content);
        } else if (c.type === 'html_inline' && c.content === '<!-- -->') continue;
        else if (c.type === 'softbreak') {
          piece.text += '\n';
          piece.plain += '\n';
        } else piece.markup.push(c.type === 'html_inline' ? c.content : c.type);
      }
      if (where === 'cell') row!.push(piece);
      else if (where === 'item') doc.items.push(piece);
      else doc.blocks.push(piece);
      where = 'block';
    }
  }
  return doc;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m),
  );

/** One piece of micromark's HTML: code spans kept as text, any other element recorded as markup. */
function htmlPiece(html: string): Piece {
  const piece: Piece = { text: '', codes: [], plain: '', markup: [] };
  const re = /<code>([\s\S]*?)<\/code>|<!-- -->|<[^>]*>|([^<]+)/g;
  for (const m of html.matchAll(re)) {
    if (m[1] !== undefined) {
      const code = decode(m[1]);
      piece.text += code;
      piece.plain += '\u0000';
      piece.codes.push(code);
    } else if (m[2] !== undefined) {
      piece.text += decode(m[2]);
      piece.plain += decode(m[2]);
    } else if (m[0] !== '<!-- -->') piece.markup.push(m[0]);
  }
  return piece;
}

/** micromark with GFM: reads its HTML (regular enough: every text in it is entity-escaped). */
export function readMicromark(src: string): Doc {
  const html = micromark(src, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
  const doc: Doc = { rows: [], items: [], blocks: [] };
  for (const tr of html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    doc.rows.push([...tr[1].matchAll(/<t[hd](?: [^>]*)?>([\s\S]*?)<\/t[hd]>/g)].map((c) => htmlPiece(c[1])));
  }
  const rest = html.replace(/<table>[\s\S]*?<\/table>/g, '');
  // A list item's own line: up to a nested list or its end.
  for (const li of rest.matchAll(/<li>([\s\S]*?)(?=<ul>|<ol>|<\/li>)/g)) doc.items.push(htmlPiece(li[1].replace(/^\n+|\n+$/g, '')));
  for (const b of rest.matchAll(/<(h\d|p)>([\s\S]*?)<\/\1>/g)) doc.blocks.push(htmlPiece(b[2]));
  // Anything outside tables, items and blocks that is markup (a raw HTML block from the data would be here).
  const loose = rest.replace(/<li>[\s\S]*?(?=<ul>|<ol>|<\/li>)/g, '').replace(/<(h\d|p)>[\s\S]*?<\/\1>/g, '');
  for (const tag of loose.match(/<(?!\/?(ul|ol|li|details|summary|p|h\d)\b)[^>]*>/g) ?? []) doc.blocks.push({ text: '', codes: [], plain: '', markup: [tag] });
  return doc;
}

export const READERS: [string, (src: string) => Doc][] = [
  ['markdown-it', readMarkdownIt],
  ['micromark-gfm', readMicromark],
];

/**
 * Words GitHub would turn into a mention, a reference, a link, an emoji or math when they are plain text (not in a
 * code span). Matched against a piece's `plain` text.
 */
export const GITHUB_ACTIVE = /@[A-Za-z0-9]|#\d|\bGH-\d|:\/\/|\bwww\.|:[\w+-]+:|\$/i;
