// Lines fitted to a terminal width: wrapped at spaces, the continuation indented under the text it continues (a
// tree's branches carried down), a word cut only when it cannot fit on a line of its own. Pure, ANSI-colour aware.
import type { Pieces } from './pieces.js';

/** The narrowest text column kept right of an indent: deeper indents are pulled back rather than squeezing text. */
const MIN_TEXT = 24;
/** Where a word too long for a line is cut, best first: after a path or type separator, never inside a name part. */
const CUT_AFTER = /[/:@.,)\]>-]/;
const ANSI = /\x1b\[[0-9;]*m/g;

/** Visible length: code points, colour codes left out. */
export function visibleWidth(s: string): number {
  let n = 0;
  for (const _ of s.replace(ANSI, '')) n++;
  return n;
}

/** The tree glyphs and spaces a line starts with (colour codes among them included), and the rest of the line. */
function splitPrefix(line: string): { prefix: string; shown: string; rest: string } {
  // A tree's prefix, which may begin with the count of levels not drawn ("[+99,958 levels]", pieces.ts).
  const prefix = /^(?:\x1b\[[0-9;]*m)*(?:\[\+[\d,]+ levels?\](?:\x1b\[[0-9;]*m)*(?= ))?(?:\x1b\[[0-9;]*m|[ \u2502\u251c\u2514\u2500])*/.exec(line)![0]; // [ │├└─]
  return { prefix, shown: prefix.replace(ANSI, ''), rest: line.slice(prefix.length) };
}

/**
 * The indent of the lines that continue a line: a tree's prefix with its branches turned into the lines that go on
 * past them (`├─ ` → `│  `, `└─ ` → `   `), so wrapped text sits under its own entity; a label padded with two or
 * more spaces ("Targets   …", "FAIL  …") puts the text under the text; any other indent gains two spaces.
 */
function continuation(shown: string, rest: string): string {
  shown = shown.replace(/^\[\+[\d,]+ levels?\]/, (m) => ' '.repeat(m.length)); // the count is said once
  // Regexes spell the glyphs (│ ├ └ ─) as escapes: the bundle stays ASCII, which Node reads faster (launch.ts).
  if (/[\u2502\u251c\u2514\u2500]/.test(shown)) return shown.replace(/\u251c/g, '│').replace(/[\u2514\u2500]/g, ' ');
  const label = /^(\S{1,12} {2,})(?=\S)/.exec(rest.replace(ANSI, ''));
  return shown + (label ? ' '.repeat(visibleWidth(label[1])) : '  ');
}

/** The words and the runs of spaces between them; colour codes stay with the word they touch (zero width). */
function atoms(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const t of text.match(/\x1b\[[0-9;]*m| +|[^ \x1b]+|\x1b/g) ?? []) {
    if (t[0] !== ' ') {
      word += t;
      continue;
    }
    if (word) out.push(word);
    word = '';
    out.push(t);
  }
  if (word) out.push(word);
  // A count and its noun stay together ("4 relations"), and a label and its count ("user: 13").
  for (let i = out.length - 3; i >= 0; i--)
    if (/^(?:\x1b\[[0-9;]*m)*(?:\d|\d[\d,]*\d)$/.test(out[i]) && out[i + 1] === ' ' && /^(?:\x1b\[[0-9;]*m)*[a-z]/i.test(out[i + 2]))
      out.splice(i, 3, out[i] + out[i + 1] + out[i + 2]);
  // A label and its count stay together: "user: 13" is never cut after the colon (\u2212 is the minus sign −).
  for (let i = out.length - 3; i >= 0; i--)
    if (/:(?:\x1b\[[0-9;]*m)*$/.test(out[i]) && out[i + 1] === ' ' && /^(?:\x1b\[[0-9;]*m)*[+\u2212-]?\d/.test(out[i + 2]))
      out.splice(i, 3, out[i] + out[i + 1] + out[i + 2]);
  return out;
}

/** `word` cut into pieces: the first of at most `first` visible characters, the others of `room`, after a separator where one is in reach. */
function cutWord(word: string, room: number, first: number): string[] {
  const parts: string[] = [];
  let rest = word;
  let r = first;
  while (visibleWidth(rest) > r) {
    // Walk to the r-th visible character, remembering the last separator passed in its last two thirds.
    let seen = 0;
    let i = 0;
    let lastSep = -1;
    while (i < rest.length && seen < r) {
      const code = /^\x1b\[[0-9;]*m/.exec(rest.slice(i, i + 16));
      if (code) {
        i += code[0].length;
        continue;
      }
      const ch = String.fromCodePoint(rest.codePointAt(i)!);
      i += ch.length;
      seen++;
      if (CUT_AFTER.test(ch) && seen > r / 3) lastSep = i;
    }
    const at = lastSep > 0 ? lastSep : i;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at);
    r = room;
  }
  parts.push(rest);
  return parts;
}

/** One line (no newline) as the lines that fit in `width` columns. */
export function wrapLine(line: string, width: number): string[] {
  if (line.length <= width || visibleWidth(line) <= width) return [line];
  const split = splitPrefix(line);
  const rest = split.rest;
  let { prefix, shown } = split;
  if (shown.length > width - MIN_TEXT) {
    // Indented past the window (a chain of thousands of links): the indent is cut to its last columns, so the
    // text still gets MIN_TEXT columns and the branch glyph next to it stays.
    // A count of levels not drawn ("[+99,958 levels]", pieces.ts) stays at the front: it is the only sign of the depth.
    const marker = /^\[\+[\d,]+ levels?\]/.exec(shown)?.[0] ?? '';
    const keep = Math.max(0, width - MIN_TEXT - marker.length);
    shown = marker + shown.slice(Math.max(marker.length, shown.length - keep));
    prefix = shown;
  }
  let indent = continuation(shown, rest);
  if (indent.length > width - MIN_TEXT) indent = ' '.repeat(Math.max(0, Math.min(shown.length, width - MIN_TEXT)));
  const out: string[] = [];
  let cur = prefix;
  let curWidth = shown.length;
  let atStart = true; // no word on this line yet
  let space = '';
  const newLine = () => {
    out.push(cur);
    cur = indent;
    curWidth = indent.length;
    atStart = true;
  };
  for (const a of atoms(rest)) {
    if (a[0] === ' ') {
      space = a;
      continue;
    }
    const w = visibleWidth(a);
    const sp = atStart ? 0 : space.length;
    if (curWidth + sp + w <= width) {
      if (sp) cur += space;
      cur += a;
      curWidth += sp + w;
    } else if (!atStart && w <= width - indent.length) {
      newLine();
      cur += a;
      curWidth += w;
    } else if (w <= width - 2) {
      // Too long for a continuation line's indent but not for the terminal: on a line of its own, indented less, so
      // that an ID or a digest is never cut when it can be shown whole.
      if (!atStart) out.push(cur);
      const less = ' '.repeat(Math.min(indent.length, width - w));
      cur = less + a;
      curWidth = less.length + w;
    } else {
      // Longer than a whole line: cut it, starting on this line when the room left is worth using.
      const room = Math.max(1, width - indent.length);
      let first = width - curWidth - sp;
      if (first < Math.min(12, room)) {
        if (!atStart) newLine();
        first = Math.max(1, width - curWidth);
      } else if (sp) {
        cur += space;
        curWidth += sp;
      }
      cutWord(a, room, first).forEach((p, i) => {
        if (i > 0) newLine();
        cur += p;
        curWidth += visibleWidth(p);
      });
    }
    atStart = false;
    space = '';
  }
  out.push(cur);
  return out;
}

/** A text of whole lines (each ending in a newline) fitted to `width`. */
export function wrapText(text: string, width: number | undefined): string {
  if (!width) return text;
  return text
    .split('\n')
    .map((l) => wrapLine(l, width).join('\n'))
    .join('\n');
}

/**
 * Pieces fitted to `width`, as pieces: buffered to whole lines (a piece may hold part of a line or many lines), so
 * a report of millions of lines streams as before. No width: the pieces as they are.
 */
export function* wrapPieces(pieces: Pieces, width: number | undefined): Generator<string> {
  if (!width) {
    yield* pieces;
    return;
  }
  let buf = '';
  for (const p of pieces) {
    buf += p;
    const last = buf.lastIndexOf('\n');
    if (last < 0) continue;
    const lines = buf.slice(0, last).split('\n');
    buf = buf.slice(last + 1);
    let out = '';
    for (const l of lines) out += `${wrapLine(l, width).join('\n')}\n`;
    yield out;
  }
  if (buf) yield wrapLine(buf, width).join('\n');
}
