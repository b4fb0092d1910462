// Lines fitted to a width (src/report/wrap.ts) and type names written as declared, in every human and Markdown text.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { audit } from '../../src/engine/audit.js';
import { diff } from '../../src/engine/diff.js';
import { plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import { renderAuditHuman } from '../../src/report/audit-human.js';
import { renderAuditMarkdown } from '../../src/report/audit-markdown.js';
import { renderDiffHuman } from '../../src/report/diff-human.js';
import { renderDiffMarkdown } from '../../src/report/diff-markdown.js';
import { humanPieces, renderHuman } from '../../src/report/human.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { visibleWidth, wrapLine, wrapPieces, wrapText } from '../../src/report/wrap.js';
import { graphOf } from '../helpers/graphs.js';

const words = (s: string) =>
  s
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split(/[\s│]+/)
    .filter(Boolean);
const sample = JSON.parse(readFileSync(new URL('../../samples/tenant.json', import.meta.url), 'utf8')) as Snapshot;

describe('wrapLine', () => {
  test('a line that fits is left as it is, colour codes not counted', () => {
    const line = `\x1b[31m${'x'.repeat(78)}\x1b[39m`;
    expect(wrapLine(line, 80)).toEqual([line]);
    expect(visibleWidth(line)).toBe(78);
  });

  test('breaks at spaces, never wider than the width, every word kept in order', () => {
    const line = '  ' + Array.from({ length: 60 }, (_, i) => `word${i}:${'ab'.repeat(i % 7)}`).join(' ');
    for (const width of [20, 40, 80, 160]) {
      const lines = wrapLine(line, width);
      for (const l of lines) expect(visibleWidth(l)).toBeLessThanOrEqual(width);
      expect(words(lines.join('\n'))).toEqual(words(line));
      // The continuation is indented under the text (two more than the line's own indent).
      if (width >= 40) for (const l of lines.slice(1)) expect(l.startsWith('    ')).toBe(true);
    }
  });

  test('a tree line continues under its entity, the branches above carried down', () => {
    const line = '│  ├─ issue:acme-prod/WEB-101 (WEB-101: Checkout button unresponsive on Safari) [issue]  IN_PROJECT';
    const [first, second] = wrapLine(line, 70);
    expect(first.startsWith('│  ├─ issue:acme-prod/WEB-101')).toBe(true);
    expect(second).toMatch(/^│ {2}│ {2}\S/);
    const last = wrapLine(line.replace('├─', '└─'), 70);
    expect(last[1]).toMatch(/^│ {5}\S/);
  });

  test('a label padded with spaces puts the continuation under its text; a label and its count stay together', () => {
    const line = `Deleted   122 entities — ${Array.from({ length: 12 }, (_, i) => `type-${i}: ${i * 7}`).join(', ')}`;
    const lines = wrapLine(line, 60);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {10}\S/);
    for (const l of lines) expect(l).not.toMatch(/:$/);
  });

  test('a line indented past the window keeps its last columns of indent and its text whole', () => {
    const line = `${' '.repeat(84)}└ e41 [thing]  IN, cascade`;
    expect(wrapLine(line, 80)).toEqual([`${' '.repeat(54)}└ e41 [thing]  IN, cascade`]);
  });

  test('a count stays with its noun', () => {
    const lines = wrapLine('attachment:acme-prod/WEB-101/safari-console.log would be deleted, through 4 relations:', 76);
    expect(lines).toEqual(['attachment:acme-prod/WEB-101/safari-console.log would be deleted, through', '  4 relations:']);
  });

  test('an ID is cut only when it is longer than a line, and then after a separator', () => {
    const id = 'attachment:acme-prod/WEB-101/safari-console.log';
    const lines = wrapLine(`  ${'see '.repeat(12)}${id} and more`, 60);
    expect(lines.some((l) => l.includes(id))).toBe(true);
    const long = `x:${Array.from({ length: 20 }, (_, i) => `segment${i}`).join('/')}`;
    const cut = wrapLine(`  ${long}`, 50);
    expect(cut.length).toBeGreaterThan(1);
    for (const l of cut.slice(0, -1)) expect(l).toMatch(/\/$/);
    expect(cut.map((l) => l.trim()).join('')).toBe(long);
  });

  test('wrapPieces gives the text of wrapText whatever the cut of the pieces', () => {
    const text = renderHuman(plan(graphOf(sample), ['site:acme-prod']), { color: true });
    const want = wrapText(text, 72);
    for (const size of [1, 7, 100, 5000]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      expect([...wrapPieces(pieces, 72)].join('')).toBe(want);
    }
  });
});

describe('the human plan report', () => {
  const result = plan(graphOf(sample), ['site:acme-prod', 'site:globex', 'site:initech', 'site:acme-sandbox']);

  test('fits the width it is given, and says the verdict again at its end when it is long', () => {
    for (const width of [80, 160]) {
      const text = [...humanPieces(result, { width })].join('');
      for (const l of text.split('\n')) expect(visibleWidth(l)).toBeLessThanOrEqual(width);
      const tail = text.trimEnd().split('\n').slice(-6).join('\n');
      expect(tail).toMatch(/^FAIL {2}4 targets would delete/m);
      expect(tail.replace(/\s+/g, ' ')).toContain(
        'This deletion must not run as it stands: 7 violations (cross-boundary: 1, boundary-deleted: 4, protected: 2).',
      );
    }
    // Without a width the lines are as long as they are (the library's reporters).
    expect(
      renderHuman(result)
        .split('\n')
        .some((l) => l.length > 80),
    ).toBe(true);
  });

  test('a short report does not repeat its verdict', () => {
    const small = plan(graphOf(sample), ['app-install:acme-prod/jsm/legacy-asset-mgmt']);
    const text = renderHuman(small, { width: 80 });
    expect(text.match(/^PASS {2}/gm)).toHaveLength(1);
    expect(text.trimEnd().split('\n').at(-1)).toBe('No violations: this deletion stays inside its intent.');
  });
});

describe("type names are the user's words, never inflected", () => {
  // A real application schema's habit: plural table names, the boundary among them.
  const snap: Snapshot = {
    schema: {
      boundary: 'accounts',
      relations: { OWNED_BY: { onDelete: 'cascade' }, FOLLOWS: { onDelete: 'cascade' }, NOTIFIES: { onDelete: 'cascade' } },
    },
    entities: [
      ...['a1', 'a2', 'a3'].map((id) => ({ id: `accounts:${id}`, type: 'accounts' })),
      ...Array.from({ length: 6 }, (_, i) => ({ id: `notifications:${i}`, type: 'notifications' })),
      ...Array.from({ length: 4 }, (_, i) => ({ id: `follows:${i}`, type: 'follows' })),
      { id: 'box:1', type: 'box' },
    ],
    relations: [
      ...Array.from({ length: 6 }, (_, i) => ({ from: `notifications:${i}`, type: 'NOTIFIES', to: `accounts:a${(i % 3) + 1}` })),
      ...Array.from({ length: 4 }, (_, i) => ({ from: `follows:${i}`, type: 'FOLLOWS', to: `accounts:a${(i % 3) + 1}` })),
      { from: 'follows:0', type: 'OWNED_BY', to: 'accounts:a2' },
      { from: 'follows:1', type: 'OWNED_BY', to: 'accounts:a3' },
    ],
  };
  const after: Snapshot = { ...snap, schema: { ...snap.schema, relations: { ...snap.schema.relations, FOLLOWS: { onDelete: 'detach' } } } };
  const g = graphOf(snap);
  const texts = () => {
    const r = plan(g, ['accounts:a1', 'accounts:a2']);
    const a = audit(g);
    const d = diff(graphOf(after), g);
    return {
      human: renderHuman(r, { width: 80 }),
      markdown: renderMarkdown(r),
      audit: renderAuditHuman(a, { width: 80 }),
      auditMarkdown: renderAuditMarkdown(a),
      diff: renderDiffHuman(d, { width: 80 }),
      diffMarkdown: renderDiffMarkdown(d),
    };
  };

  test.each(['human', 'markdown', 'audit', 'auditMarkdown', 'diff', 'diffMarkdown'] as const)('%s', (k) => {
    const text = texts()[k];
    expect(text).not.toMatch(/accountss|accountses|notificationses|followses|boxes|boxs/);
    // The boundary is called by its declared name, not "site".
    expect(text).not.toMatch(/(?<!-)\bsites?\b(?!-)/); // (rule names such as no-site are names)
    expect(text).toMatch(/accounts/);
  });

  test('counts are written as "type: count"', () => {
    const t = texts();
    expect(t.human).toMatch(/Deleted +\d+ entities — (notifications|follows|accounts): \d/);
    expect(t.human).toMatch(/in 3 entities of type accounts/);
    expect(t.audit).toMatch(/entities by type:\s+(follows|notifications): \d/);
  });
});

describe('a tree deeper than the window', () => {
  test('keeps the count of levels not drawn at the front, once, and the branch next to the text', () => {
    const line = `[+99,958 levels]${' '.repeat(121)}└─ e99999 [thing] a much longer name that goes on and on and on here`;
    const out = wrapLine(line, 80);
    expect(out[0]).toMatch(/^\[\+99,958 levels\] +└─ e99999 \[thing\] a much$/);
    expect(out.slice(1).every((l) => /^ +\S/.test(l) && !l.includes('levels]'))).toBe(true);
    expect(out.every((l) => l.length <= 80)).toBe(true);
    expect(out.join(' ').replace(/\s+/g, ' ')).toContain('a much longer name that goes on and on and on here');
  });
});
