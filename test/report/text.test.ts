// Text that cannot lie: `visible` in every format, and Markdown read back by two GFM implementations (markdown-it and
// micromark-gfm) — table cells stay cells, code spans hold exactly the ID, and nothing from the data is markup, a
// link, a mention or a reference.
import { describe, expect, test } from '@jest/globals';
import { audit } from '../../src/engine/audit.js';
import { diff } from '../../src/engine/diff.js';
import { plan } from '../../src/engine/plan.js';
import { planSubgraph } from '../../src/engine/subgraph.js';
import type { PlanResult } from '../../src/engine/result.js';
import type { Snapshot } from '../../src/model/types.js';
import { renderAuditHuman } from '../../src/report/audit-human.js';
import { renderAuditMarkdown } from '../../src/report/audit-markdown.js';
import { renderDiffHuman } from '../../src/report/diff-human.js';
import { renderDiffMarkdown } from '../../src/report/diff-markdown.js';
import { renderDot } from '../../src/report/dot.js';
import { renderGithub } from '../../src/report/github.js';
import { renderAuditHtml, renderPlanHtml } from '../../src/report/html.js';
import type { ClientGraph, ClientNode } from '../../src/report/html-data.js';
import { cut, nodeMatches, shortLabel } from '../../src/report/html-client/labels.js';
import { renderHuman } from '../../src/report/human.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderMermaid } from '../../src/report/mermaid.js';
import { renderSarif } from '../../src/report/sarif.js';
import { jsonInvisible, mdCode, mdText, visible } from '../../src/report/text.js';
import { explain, renderWhy } from '../../src/report/why.js';
import { graphOf } from '../helpers/graphs.js';
import { GITHUB_ACTIVE, READERS, type Doc, type Piece } from '../helpers/gfm.js';
import { hostileSnapshot, INVISIBLES, NASTY_NAMES, TEXT_IDS, TEXT_NAMES } from '../helpers/hostile.js';

/** Any character `visible` must never let through raw. */
const RAW_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;
/** The same, but allowing the newlines and tabs that a text format uses for its own layout. */
const RAW_INVISIBLE_BUT_LAYOUT = /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;

const snapshot = hostileSnapshot();
const g = graphOf(snapshot);
const s2: PlanResult = plan(g, ['site:s2']);
/** The same plan where every hostile document is a violation of its own (delete-type), for the CI formats. */
const s2typed: PlanResult = plan(g, ['site:s2'], { intent: { rootTypes: ['site'], deleteTypes: ['site', 'link', 'user', 'app|type'] } });
const ALL_IDS = snapshot.entities.map((e) => e.id);

/** Strings that break naive Markdown escaping, one way or another. */
const TRICKY = [
  ...Object.values(TEXT_IDS),
  ...Object.values(TEXT_NAMES),
  ...NASTY_NAMES,
  ...INVISIBLES.map((c) => `a${c}b`),
  '`',
  '``',
  'a`',
  '`a',
  ' `a` ',
  '|',
  '||',
  '\\|',
  '\\\\|',
  '\\\\\\|',
  'a\\',
  '\\',
  '\\`',
  'x`|`y',
  '   ',
  ' x',
  'x ',
  'a  ',
  '1. x',
  '1) x',
  '- x',
  '+ x',
  '* x',
  '# x',
  '> x',
  '***',
  '---',
  '___',
  '===',
  '<!-- x -->',
  '<!--',
  '-->',
  '&amp;',
  '&#64;everyone',
  '&lt;b&gt;',
  'user@example.com',
  'mailto:a@b.c',
  '~~~',
  '```js',
  '[^1]',
  '[ ] task',
  '![i](x)',
  '[x]: https://evil.example',
  '<https://evil.example>',
  'http://x.y',
  'ftp://x.y',
  'WWW.EVIL.EXAMPLE',
  'a$b$c',
  '$$',
  ':+1:',
  'GH-12',
  'gh-12',
  'org/repo@1234567',
  'deadbeefcafe',
  '\\u202e literal',
  'tab\there',
  'cr\rhere',
  'nl\nhere',
  '<script>alert(1)</script>',
  'line  \nbreak',
];

/** What each reader makes of a one-row table with the string as a code cell and as a text cell. */
function tableOf(s: string): string {
  return `| code | text |\n|---|---|\n| ${mdCode(s, true)} | ${mdText(s, true)} |\n`;
}

/** Markup from the data: anything but our own line breaks, bold and details block. */
function foreignMarkup(p: Piece, allowed: readonly string[] = []): string[] {
  return p.markup.filter((m) => !allowed.includes(m));
}

describe('visible()', () => {
  test('every invisible or text-changing character is escaped, BMP as \\uXXXX and beyond it as \\u{…}', () => {
    for (const c of INVISIBLES) {
      const cp = c.codePointAt(0)!;
      expect(visible(`a${c}b`)).toBe(`a${cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`}b`);
    }
    expect(visible('safe\u202etxt.exe')).toBe('safe\\u202etxt.exe');
    expect(visible('\u001b[31mred\u001b[0m\r\n\t\u007f')).toBe('\\u001b[31mred\\u001b[0m\\u000d\\u000a\\u0009\\u007f');
    expect(visible('lone \ud800 surrogate \udc00')).toBe('lone \\ud800 surrogate \\udc00');
    expect(visible('\ufdd0\uffff\u{1fffe}')).toBe('\\ufdd0\\uffff\\u{1fffe}');
    expect(visible('hangul\u3164filler\u115f')).toBe('hangul\\u3164filler\\u115f');
  });

  test('visible text stays as it is: accents, scripts, emoji, symbols, spaces', () => {
    for (const s of ['naïve café', 'e\u0301', '日本語', 'العربية', 'עברית', '👍 🚀', '→ ← — …', 'a  b', 'C:\\users\\x', '"q" \'s\''])
      expect(visible(s)).toBe(s);
  });

  test('idempotent, so reporters may apply it to text that already went through it', () => {
    for (const s of TRICKY) expect(visible(visible(s))).toBe(visible(s));
  });

  test('jsonInvisible: the JSON parses back to the exact strings and holds no invisible character raw', () => {
    const data = { ids: INVISIBLES.map((c) => `x${c}y`), astral: '\u{e0041}\u{e007f}', nested: { 'k\u202e': 'v\u2028' } };
    const text = jsonInvisible(JSON.stringify(data));
    expect(text).not.toMatch(RAW_INVISIBLE);
    expect(JSON.parse(text)).toEqual(data);
  });
});

describe.each(READERS)('Markdown read by %s', (_name, read) => {
  test.each(TRICKY.map((s) => [JSON.stringify(s), s]))('%s: one cell each, the code span is exactly the text, nothing is markup', (_label, s) => {
    const doc = read(tableOf(s));
    expect(doc.rows).toHaveLength(2);
    const [code, text] = doc.rows[1];
    expect(doc.rows[1]).toHaveLength(2);
    expect(code.text).toBe(visible(s));
    expect(code.plain.replace(/\u0000/g, '')).toBe('');
    expect(text.text).toBe(visible(s));
    for (const cell of [code, text]) {
      expect(foreignMarkup(cell)).toEqual([]);
      expect(cell.plain).not.toMatch(GITHUB_ACTIVE);
    }
    expect(doc.blocks.flatMap((b) => b.markup)).toEqual([]);
  });

  test.each(TRICKY.map((s) => [JSON.stringify(s), s]))('%s: in a list item and a heading, the same text and no markup', (_label, s) => {
    const doc = read(`### title — ${mdText(s)}\n\n- ${mdText(s)} — ${mdCode(s)}\n`);
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0].text).toBe(`${visible(s)} — ${visible(s)}`);
    expect(foreignMarkup(doc.items[0])).toEqual([]);
    expect(doc.items[0].plain).not.toMatch(GITHUB_ACTIVE);
    const heading = doc.blocks[0];
    // A heading trims its trailing spaces; ours are written as entities, so they stay.
    expect(heading.text).toBe(`title — ${visible(s)}`);
    expect(foreignMarkup(heading)).toEqual([]);
  });
});

/** Our own markup in reports: line breaks before chains, bold rule names and "yes", the italic digest, the details block. */
const OURS =
  /^(<br>|<\/?(strong|em|details|summary)>|(strong|em)_(open|close)|html_block <details><summary>[^<]*<\/summary>|html_block <\/details>|<details><summary>[^<]*<\/summary>)$/;

function checkNothingActive(doc: Doc) {
  for (const p of [...doc.rows.flat(), ...doc.items, ...doc.blocks]) {
    expect(p.markup.filter((m) => !OURS.test(m))).toEqual([]);
    expect(p.plain).not.toMatch(GITHUB_ACTIVE);
  }
}

describe.each(READERS)('reports read by %s', (_name, read) => {
  test('plan: the deleted table shows each real ID, type and name in its own cell; violations read as their messages', () => {
    const md = renderMarkdown(s2, { full: true, title: TEXT_NAMES.mentions });
    const doc = read(md);
    checkNothingActive(doc);
    const head = doc.rows.findIndex((r) => r.map((c) => c.text).join('|') === 'id|type|name|depth|via');
    expect(head).toBeGreaterThan(0);
    const rows = doc.rows.slice(head + 1, head + 1 + s2.deleted.length);
    expect(rows).toHaveLength(s2.deleted.length);
    s2.deleted.forEach((d, i) => {
      const cells = rows[i];
      expect(cells).toHaveLength(5);
      expect(cells[0].codes.join('')).toBe(visible(d.id));
      expect(cells[0].text).toBe(visible(d.id));
      expect(cells[1].text).toBe(visible(d.type));
      expect(cells[2].text).toBe(visible(d.name ?? ''));
      expect(cells[3].text).toBe(String(d.depth));
      expect(cells[4].text).toBe(d.via ? `${visible(d.via.relation)} → ${visible(d.via.principal)}` : 'target');
    });
    expect(s2.deleted.map((d) => d.id)).toEqual(
      expect.arrayContaining([TEXT_IDS.pipes, TEXT_IDS.ticks, TEXT_IDS.backslashPipe, TEXT_IDS.bidi, TEXT_IDS.mention, TEXT_IDS.invisibles]),
    );
    const sites = doc.rows.find((r) => r[0]?.codes[0] === 'site:s2')!;
    expect(sites.map((c) => c.text)).toEqual(['site:s2', 'second site', String(s2.summary.sites[0].deleted), 'yes']);
    expect(doc.blocks[0].text).toBe(`❌ blastguard: FAIL — ${TEXT_NAMES.mentions}`);
    for (const v of s2.violations) expect(doc.items.map((it) => it.text.split('\n')[0])).toContain(visible(v.message));
  });

  test('why: the chain of an entity four relations deep, every ID exact', () => {
    const answer = explain(s2, TEXT_IDS.invisibles, true);
    expect(answer.status).toBe('deleted');
    const doc = read(renderWhy(answer, 'markdown'));
    checkNothingActive(doc);
    const chain = answer.status === 'deleted' ? answer.chain : [];
    expect(chain.length).toBeGreaterThan(4);
    expect(doc.blocks[0].codes[0]).toBe(visible(TEXT_IDS.invisibles));
    expect(doc.items.map((it) => it.codes[0])).toEqual(chain.map((l) => visible(l.id)));
    chain.forEach((l, i) =>
      expect(doc.items[i].text).toBe(
        `${visible(l.id)}${l.name ? ` ${visible(l.name)}` : ''} (${visible(l.type)})${l.relation ? `  ${l.relation}, ${l.onDelete}` : ''}`,
      ),
    );
  });

  test('audit: the site table and the risks', () => {
    const r = audit(g);
    const doc = read(renderAuditMarkdown(r, { full: true, title: TEXT_IDS.pipes }));
    checkNothingActive(doc);
    for (const s of r.sites) {
      const row = doc.rows.find((cells) => cells[0]?.codes.join('') === visible(s.id));
      expect(row?.[1].text).toBe(visible(s.name ?? ''));
    }
    for (const f of r.findings) expect(doc.items.map((it) => it.text.split('\n')[0])).toContain(visible(f.message));
  });

  test('diff: a snapshot whose hostile entities gained a cascade', () => {
    const after = structuredClone(snapshot) as Snapshot;
    after.schema.relations.MEMBER_OF.onDelete = 'cascade';
    const d = diff(g, graphOf(after));
    const doc = read(renderDiffMarkdown(d, { full: true, title: TEXT_NAMES.link }));
    checkNothingActive(doc);
    for (const s of d.sites.filter((x) => x.delta !== 0)) {
      const row = doc.rows.find((cells) => cells[0]?.codes.join('') === visible(s.id));
      expect(row?.[1].text).toBe(visible(s.name ?? ''));
    }
  });
});

describe('every format for people shows no invisible character raw; JSON keeps them', () => {
  const a = audit(g);
  const sg = planSubgraph(g, s2);
  const after = structuredClone(snapshot) as Snapshot;
  after.schema.relations.MEMBER_OF.onDelete = 'cascade';
  const d = diff(g, graphOf(after));
  const anchors = { file: 'manifests/x.yaml', lineOf: () => 3 };
  const outputs: [string, string][] = [
    ['human', renderHuman(s2, { full: true, title: TEXT_NAMES.bidi })],
    ['markdown', renderMarkdown(s2, { full: true, title: TEXT_NAMES.bidi })],
    ['github', renderGithub(s2typed, { anchors, title: TEXT_NAMES.bidi })],
    ['sarif', renderSarif(s2typed, { anchors })],
    ['junit', renderJunit(s2typed, { anchors, title: TEXT_NAMES.bidi })],
    ['dot', renderDot(sg, { title: TEXT_NAMES.bidi })],
    ['mermaid', renderMermaid(sg, { title: TEXT_NAMES.bidi })],
    ['html', renderPlanHtml(s2, g, { bundle: 'void 0', title: TEXT_NAMES.bidi, subtitle: TEXT_NAMES.zeroWidth })],
    ['audit html', renderAuditHtml(a, g, { bundle: 'void 0' })],
    ['audit human', renderAuditHuman(a, { full: true })],
    ['audit markdown', renderAuditMarkdown(a, { full: true })],
    ['diff human', renderDiffHuman(d, { full: true })],
    ['diff markdown', renderDiffMarkdown(d, { full: true })],
    ['why human', renderWhy(explain(s2, TEXT_IDS.invisibles, true), 'human')],
    ['why markdown', renderWhy(explain(s2, TEXT_IDS.invisibles, true), 'markdown')],
  ];
  test.each(outputs)('%s', (name, text) => {
    // Our own ⚠️ (a warning sign with its emoji variation selector) is the one allowed.
    expect(text.replace(/\u26a0\ufe0f/g, '')).not.toMatch(RAW_INVISIBLE_BUT_LAYOUT);
    // Plan outputs name the bidi-named entity: escaped.
    if (!/^(audit|diff)/.test(name))
      expect(text.includes('safe\\u202etxt.exe') || text.includes('safe\\\\u202etxt.exe') || text.includes('#92;u202etxt.exe')).toBe(true);
  });

  test('JSON (the plan result) keeps the exact strings, bidi controls and all', () => {
    const json = renderJson(s2);
    expect(json).toContain('safe\u202etxt.exe');
    expect((JSON.parse(json) as PlanResult).deleted.map((x) => x.id)).toEqual(s2.deleted.map((x) => x.id));
  });

  test('SARIF: the message is for people, the locations and chain are the exact data (as JSON escapes)', () => {
    const log = JSON.parse(renderSarif(s2typed, { anchors }));
    const res = log.runs[0].results as { message: { text: string }; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[];
    const ids = new Set(res.map((r) => r.locations[0].logicalLocations?.[0].fullyQualifiedName));
    expect(ids.has(TEXT_IDS.bidi)).toBe(true);
    for (const v of s2typed.violations) if (v.entity !== null) expect(ids.has(v.entity)).toBe(true);
    for (const r of res) expect(r.message.text).not.toMatch(RAW_INVISIBLE);
  });

  test('HTML: the page text is escaped, the data block parses back to the exact strings', () => {
    const html = renderPlanHtml(s2, g, { bundle: 'void 0' });
    expect(html).toContain('safe\\u202etxt.exe');
    const data = JSON.parse(/<script type="application\/json" id="bg-data">([\s\S]*?)<\/script>/.exec(html)![1]) as ClientGraph;
    expect(data.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([TEXT_IDS.bidi, TEXT_IDS.invisibles]));
    expect(data.nodes.find((n) => n.id === TEXT_IDS.bidi)!.name).toBe(TEXT_NAMES.bidi);
  });

  test('human: a name cannot reorder the line or add one', () => {
    const human = renderHuman(s2, { full: true });
    expect(human).toContain('file:safe\\u202etxt.exe [doc]');
    expect(human).toContain(`${visible(TEXT_IDS.zeroWidth)} (zero\\u200bwidth \\u2066isolated\\u2069 \\u2067rtl\\u2069) [user]`);
  });
});

describe("the HTML report's browser script (labels.ts, bundled into the page)", () => {
  const node = (over: Partial<ClientNode>): ClientNode => ({ key: 'k', id: 'doc:x', type: 'doc', status: 'deleted', sites: [], rules: [], ...over });

  test('labels show invisible characters escaped', () => {
    expect(shortLabel(node({ name: TEXT_NAMES.bidi }), false)).toBe('safe\\u202etxt.exe');
    expect(shortLabel(node({ id: TEXT_IDS.zeroWidth }), false)).toBe('user:admin\\u200b@x.com');
    expect(shortLabel(node({ id: 'doc × 3', name: 'site:\u202eevil' }), true)).toBe('doc × 3 · site:\\u202eevil');
    for (const id of ALL_IDS) expect(shortLabel(node({ id }), false)).not.toMatch(RAW_INVISIBLE);
  });

  test('a long label is cut, never inside an escape or a surrogate pair', () => {
    for (let i = 30; i < 45; i++) {
      const text = `${'x'.repeat(i)}\\u202e${'y'.repeat(20)}`;
      const label = cut(text);
      expect(label.length).toBeLessThanOrEqual(40);
      expect(label).toMatch(/(x|\\u202e|y)…$/);
    }
    expect(cut(`${'x'.repeat(37)}😀😀😀😀`)).toBe(`${'x'.repeat(37)}…`);
    expect(cut('short')).toBe('short');
  });

  test('search finds a node by what the page shows and by the raw text', () => {
    const n = node({ id: TEXT_IDS.bidi, name: TEXT_NAMES.bidi });
    expect(nodeMatches(n, '\\u202e')).toBe(true);
    expect(nodeMatches(n, 'safe\u202etxt')).toBe(true);
    expect(nodeMatches(n, 'nothing')).toBe(false);
  });
});

describe('large values', () => {
  // No wall-clock assertion (flaky on a shared machine): a quadratic or recursive escape would not finish these
  // sizes within the test's own timeout, or would overflow the stack.
  test('a value with millions of backtick runs and invisible characters is written whole, no stack overflow', () => {
    const big = 'a`'.repeat(2_000_000);
    // Ends with a backtick: padded. (Compared as a boolean: a failure must not print 4 MB.)
    expect(mdCode(big, true) === `\`\` ${big} \`\``).toBe(true);
    expect(mdText(`@${big} ${'y '.repeat(500_000)}`, true).length).toBeGreaterThan(big.length);
    expect(visible('\u202e'.repeat(1_000_000))).toHaveLength(6_000_000);
  }, 60_000);
});
