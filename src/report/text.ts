// Text that cannot lie: every string from the input is shown through these before it reaches a terminal, a
// pull-request comment, a CI annotation or a page. Pure, no Node API (the HTML report's browser bundle uses it too).

/**
 * Characters that change or hide what a reader sees instead of being seen themselves: C0/C1 controls (terminal
 * escapes, newlines), format characters (bidi overrides and isolates such as U+202E, zero-width spaces and joiners,
 * the BOM, tag characters), line and paragraph separators, default-ignorable code points (variation selectors,
 * Hangul fillers), noncharacters and lone surrogates.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/gu;

/** The same without C0 controls, for JSON text: JSON.stringify escapes those itself, so any left are layout. */
const INVISIBLE_BUT_C0 = /(?![\u0000-\u001f])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/gu;

/** `\u202e` for a BMP code point, `\u{e0041}` beyond it. */
function codeEscape(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/**
 * The string as a reader must see it: every invisible or text-changing character written as `\u202e` (`\u{e0041}`
 * beyond U+FFFF); everything else, spaces included, stays as it is. Idempotent, so a reporter may apply it to a text
 * that already went through it. The six characters `\u202e` in the data look the same as the escaped character:
 * `--format json` has the exact string.
 */
export function visible(s: string): string {
  return s.replace(INVISIBLE, codeEscape);
}

/**
 * JSON text with every invisible character inside its strings written as a JSON `\uXXXX` escape (a surrogate pair
 * beyond U+FFFF): JSON.parse gives back the exact strings, and the bytes hold no bidi control a viewer would apply.
 * For JSON embedded in what people open (the HTML report's data block, SARIF); `--format json` stays as it is.
 */
export function jsonInvisible(json: string): string {
  // JSON.stringify writes no raw C0 control inside a string: the newlines and tabs here are layout between tokens.
  return json.replace(INVISIBLE_BUT_C0, (ch) => Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}

// ------------------------------------------------------------------------------------------------ Markdown (GFM)

/**
 * Words that GitHub turns into something else after Markdown: `@user` and `@org/team` mentions (they notify),
 * `#12`, `GH-12` and `owner/repo#12` references, bare URLs (`https://…`, `www.…`) and e-mail addresses (autolinks),
 * `:emoji:` codes, `$…$` math, and commit-like hex strings. Backslash escapes do not stop most of these (GitHub
 * finds mentions and references in the rendered text); a code span does, and shows the text exactly.
 */
const GITHUB_MAGIC = /[@$]|#\d|\bgh-\d|:\/\/|\bwww\.|:[\w+-]+:|\b[0-9a-f]{7,40}\b/i;

/**
 * An inline code span showing exactly `s` (after `visible`): the fence is one backtick longer than the longest
 * backtick run inside, with a space of padding when the content starts or ends with a backtick (or with a space on
 * both sides, which CommonMark would strip). In a table cell (`cell`), every `|` is written `\|`: GFM splits cells
 * before it parses code spans, and removes that backslash again. A backslash right before a `|` cannot be written
 * inside one code span in a way every GFM parser reads alike, so the span is split there, the pieces separated by an
 * empty HTML comment (nothing shown).
 */
export function mdCode(s: string, cell = false): string {
  return codeSpan(visible(s), cell);
}

/** `mdCode` of text that is already visible. */
function codeSpan(text: string, cell: boolean): string {
  if (text === '') return '<code></code>';
  if (cell && text.includes('\\|'))
    return text
      .split(/(?<=\\)(?=\|)/)
      .map((piece) => codeSpan(piece, true))
      .join('<!-- -->');
  let longest = 0; // a loop, not Math.max(...runs): a huge value may hold more runs than a call has arguments
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${cell ? text.replace(/\|/g, '\\|') : text}${pad}${fence}`;
}

/** One word of plain text with every Markdown-active character escaped (HTML as entities, the rest with `\`). */
function mdWord(w: string): string {
  return w.replace(/[\\`*_{}[\]()#+!|<>&~-]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

/**
 * Text for a Markdown paragraph, list item, heading or table cell: shows exactly `s` (after `visible`) and nothing
 * in it is markup. HTML tags become entities, Markdown punctuation is backslash-escaped, `|` cannot split a table
 * cell, and every word GitHub would turn into a mention, reference, link, emoji or math goes into a code span.
 * Leading and trailing spaces are written as `&#32;` so they are not trimmed away.
 */
export function mdText(s: string, cell = false): string {
  const text = visible(s);
  const out = text
    .split(/( +)/)
    .map((part, i) => (i % 2 === 1 || part === '' ? part : GITHUB_MAGIC.test(part) ? codeSpan(part, cell) : mdWord(part)))
    .join('');
  // "1. x" at the start of a list item would open a nested ordered list.
  return out.replace(/^(\d+)\./, '$1\\.').replace(/^ +| +$/g, (sp) => '&#32;'.repeat(sp.length));
}

/** An entity as `id` name (type), for list items. */
export function mdEntity(e: { id: string; name?: string; type: string }): string {
  return `${mdCode(e.id)}${e.name ? ` ${mdText(e.name)}` : ''} (${mdText(e.type)})`;
}
