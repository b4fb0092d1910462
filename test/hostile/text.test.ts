// Text that cannot lie, through the real CLI: the hostile snapshot's pipes, backtick runs, mentions, references,
// links, images, HTML blocks, bidi overrides and zero-width characters, in every format of every command. Markdown is
// read back by two GFM implementations; every format meant for people is scanned byte by byte; JSON keeps the exact
// strings. Each run is measured (exit code, time, peak memory of the child).
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanResult } from '../../src/engine/result.js';
import type { Snapshot } from '../../src/model/types.js';
import { visible } from '../../src/report/text.js';
import { workdir } from '../helpers/cli.js';
import { GITHUB_ACTIVE, READERS, type Doc } from '../helpers/gfm.js';
import { hostileSnapshot, INVISIBLES, TEXT_IDS, TEXT_NAMES } from '../helpers/hostile.js';
import { problemLines, runHostile, strayTempFiles, treeState, type HostileRun } from '../helpers/hostile-run.js';

/** Any character that must never reach a person raw; newlines and tabs are the formats' own layout. */
const RAW = /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;
/** Our own ⚠️ in the audit (a warning sign with its emoji variation selector). */
const OUR_EMOJI = /\u26a0\ufe0f/g;
const OURS =
  /^(<br>|<\/?(strong|em|details|summary)>|(strong|em)_(open|close)|html_block <details><summary>[^<]*<\/summary>|html_block <\/details>|<details><summary>[^<]*<\/summary>)$/;

const MANIFEST_NAME = 'pr @everyone |x| #1.yaml';

/** The hostile snapshot after a change: the zero-width-named user joins site:s1, whose deletion now takes it. */
function afterSnapshot(): Snapshot {
  const s = hostileSnapshot();
  s.relations.push({ from: TEXT_IDS.zeroWidth, type: 'MEMBER_OF', to: 'site:s1' });
  s.schema.relations.MEMBER_OF = { onDelete: 'cascade' };
  return s;
}
const dir = workdir({
  'hostile.json': JSON.stringify(hostileSnapshot()),
  'after.json': JSON.stringify(afterSnapshot()),
  [MANIFEST_NAME]: 'description: hostile\ntargets:\n  - site:s2\nintent:\n  rootTypes: [site]\n  deleteTypes: [site, link, user, app|type]\n',
});
const graph = join(dir, 'hostile.json');
const before = treeState(dir);

/** Runs the CLI in the fixture directory: no crash, no signal, a second or two, tens of MiB. */
function cli(args: string[], code: number, input?: string): HostileRun {
  const r = runHostile(args, { cwd: dir, input, timeout: 20 });
  expect({ args, code: r.code }).toEqual({ args, code });
  // stderr holds at most a status line, never a stack or a raw invisible character.
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(RAW);
  expect(r.timedOut).toBe(false);
  expect(r.seconds).toBeLessThan(15);
  expect(r.peakMiB).toBeLessThan(400);
  return r;
}

function nothingActive(doc: Doc) {
  for (const p of [...doc.rows.flat(), ...doc.items, ...doc.blocks]) {
    expect(p.markup.filter((m) => !OURS.test(m))).toEqual([]);
    expect(p.plain).not.toMatch(GITHUB_ACTIVE);
  }
}

let exact: PlanResult;
beforeAll(() => {
  exact = JSON.parse(cli(['plan', 'site:s2', '-g', graph, '-f', 'json'], 1).stdout) as PlanResult;
});

describe('Markdown for a pull-request comment, read back as GitHub would', () => {
  let planMd: string, checkMd: string, whyMd: string, auditMd: string, diffMd: string;
  beforeAll(() => {
    planMd = cli(['plan', 'site:s2', '-g', graph, '-f', 'markdown', '--full'], 1).stdout;
    checkMd = cli(['check', MANIFEST_NAME, '-g', graph, '-f', 'markdown', '--waves', '1,rest'], 1).stdout;
    whyMd = cli(['why', TEXT_IDS.invisibles, '--roots', 'site:s2', '-g', graph, '-f', 'markdown'], 0).stdout;
    auditMd = cli(['audit', '-g', graph, '-f', 'markdown', '--full'], 0).stdout;
    diffMd = cli(['diff', '-b', graph, '-a', 'after.json', '-f', 'markdown', '--full'], 0).stdout;
  });

  test.each(READERS)('%s: the deleted table has one row per entity, five cells each, the exact ID in its code span', (_name, read) => {
    const doc = read(planMd);
    nothingActive(doc);
    const head = doc.rows.findIndex((r) => r.map((c) => c.text).join('|') === 'id|type|name|depth|via');
    const rows = doc.rows.slice(head + 1);
    expect(rows).toHaveLength(exact.deleted.length);
    exact.deleted.forEach((d, i) => {
      expect(rows[i]).toHaveLength(5);
      expect(rows[i][0].codes.join('')).toBe(visible(d.id));
      expect(rows[i][0].plain.replace(/\u0000/g, '')).toBe('');
      expect(rows[i].slice(1, 4).map((c) => c.text)).toEqual([visible(d.type), visible(d.name ?? ''), String(d.depth)]);
    });
    for (const id of [TEXT_IDS.pipes, TEXT_IDS.ticks, TEXT_IDS.edgeTicks, TEXT_IDS.backslashPipe, TEXT_IDS.mention]) {
      expect(rows.some((r) => r[0].codes.join('') === id)).toBe(true);
    }
  });

  test.each(READERS)('%s: check with waves, titled by a manifest named like a mention', (_name, read) => {
    const doc = read(checkMd);
    nothingActive(doc);
    expect(doc.blocks[0].text).toBe(`❌ blastguard: FAIL — ${MANIFEST_NAME}`);
    const waves = doc.rows.filter((r) => r.length === 5 && /^\d+$/.test(r[0].text));
    expect(waves.length).toBeGreaterThan(0);
    const types = doc.rows.find((r) => r[0].text === 'Deleted')!;
    expect(types[1].text).toMatch(/app\|type: 1/);
  });

  test.each(READERS)('%s: why, the chain of five relations with the exact IDs', (_name, read) => {
    const doc = read(whyMd);
    nothingActive(doc);
    expect(doc.items.map((it) => it.codes[0])).toEqual(
      ['site:s2', TEXT_IDS.pipes, TEXT_IDS.ticks, TEXT_IDS.backslashPipe, TEXT_IDS.bidi, TEXT_IDS.invisibles].map(visible),
    );
  });

  test.each(READERS)('%s: audit and diff', (_name, read) => {
    const a = read(auditMd);
    nothingActive(a);
    expect(a.rows.some((r) => r[0].codes[0] === 'site:s2' && r[1].text === 'second site')).toBe(true);
    expect(a.rows.some((r) => r[0].text === 'app|type' && r[6].codes[0] === TEXT_IDS.pipes)).toBe(true);
    const d = read(diffMd);
    nothingActive(d);
    expect(d.rows.some((r) => r[0].codes[0] === 'site:s1' && r[1].text === '<img src=x onerror=alert(1)>' && r[4].text.startsWith('+1'))).toBe(true);
  });

  test('no mention, reference or URL of the data is plain text in the source either', () => {
    for (const md of [planMd, checkMd, whyMd, auditMd, diffMd]) {
      // Outside code spans (any fence length), nothing GitHub would link or notify.
      const outside = md.replace(/(`+)[\s\S]*?[^`]\1(?!`)/g, '');
      expect(outside).not.toMatch(/(^|[^\\])@[A-Za-z0-9]/);
      expect(outside).not.toMatch(/https?:\/\/evil/);
      expect(outside).not.toMatch(/<(img|a|script|details>\s*<summary>x)/i);
    }
  });
});

describe('no invisible character reaches a person raw; JSON keeps them', () => {
  const html = join(dir, 'report.html');
  const auditHtml = join(dir, 'audit.html');
  const ids = join(dir, 'ids.json');
  writeFileSync(ids, JSON.stringify([TEXT_IDS.bidi, TEXT_IDS.zeroWidth]));
  const planJson = join(dir, 'plan.json');
  const outputs: [string, () => string][] = [
    ['plan human', () => cli(['plan', 'site:s2', '-g', graph, '--full'], 1).stdout],
    ['plan github', () => cli(['check', MANIFEST_NAME, '-g', graph, '-f', 'github'], 1).stdout],
    ['plan sarif', () => cli(['check', MANIFEST_NAME, '-g', graph, '-f', 'sarif'], 1).stdout],
    ['plan junit', () => cli(['check', MANIFEST_NAME, '-g', graph, '-f', 'junit'], 1).stdout],
    ['plan dot', () => cli(['plan', 'site:s2', '-g', graph, '-f', 'dot'], 1).stdout],
    ['plan mermaid', () => cli(['plan', 'site:s2', '-g', graph, '-f', 'mermaid'], 1).stdout],
    ['why human', () => cli(['why', TEXT_IDS.invisibles, '--roots', 'site:s2', '-g', graph], 0).stdout],
    ['audit human', () => cli(['audit', '-g', graph, '--full'], 0).stdout],
    ['diff human', () => cli(['diff', '-b', graph, '-a', 'after.json', '--full'], 0).stdout],
    ['report html', () => (cli(['report', 'site:s2', '-g', graph, '--title', TEXT_NAMES.bidi, '-o', html], 1), readFileSync(html, 'utf8'))],
    ['audit html', () => (cli(['audit', '-g', graph, '-f', 'html', '--out', auditHtml], 0), readFileSync(auditHtml, 'utf8'))],
    [
      'verify human',
      () => (cli(['check', MANIFEST_NAME, '-g', graph, '--out', planJson, '-f', 'json'], 1), cli(['verify', '--plan', planJson, '--ids', ids], 1).stdout),
    ],
  ];
  test.each(outputs)('%s', (name, make) => {
    const text = make();
    expect(text.length).toBeGreaterThan(100);
    const raw = RAW.exec(text.replace(OUR_EMOJI, ''));
    expect(raw && { name, at: text.slice(Math.max(0, raw.index - 40), raw.index + 10) }).toBeNull();
    // The bidi-named file is named, escaped (DOT doubles the backslash, Mermaid writes it as #92;).
    if (!/^(audit|diff)|github/.test(name)) expect(/safe(\\|\\\\|#92;)u202etxt\.exe/.test(text)).toBe(true);
  });

  test('JSON and graphology keep the exact strings: data for programs', () => {
    const json = cli(['plan', 'site:s2', '-g', graph, '-f', 'json'], 1).stdout;
    for (const c of INVISIBLES) expect(json).toContain(c);
    expect(exact.deleted.map((d) => d.id)).toContain(TEXT_IDS.bidi);
    const gl = cli(['plan', 'site:s2', '-g', graph, '-f', 'graphology'], 1).stdout;
    expect(gl).toContain(TEXT_NAMES.bidi);
  });

  test('an error that quotes the input is one line, with the input shown escaped', () => {
    const bad = join(dir, 'dup.json');
    const id = `site:\u202eevil\nblastguard: all clear`;
    writeFileSync(
      bad,
      JSON.stringify({
        schema: { relations: {} },
        entities: [
          { id, type: 'site' },
          { id, type: 'site' },
        ],
        relations: [],
      }),
    );
    const r = runHostile(['plan', 'x', '-g', bad], { cwd: dir });
    expect(r.code).toBe(2);
    expect(problemLines(r)).toHaveLength(1);
    expect(problemLines(r)[0]).toContain('site:\\u202eevil\\u000ablastguard: all clear');
    expect(r.stderr).not.toMatch(RAW);
  });

  test('nothing was written beside the inputs but the files asked for; no input changed', () => {
    expect(strayTempFiles(dir)).toEqual([]);
    const now = treeState(dir)
      .split('\n')
      .filter((l) => !/^(report\.html|audit\.html|ids\.json|plan\.json|dup\.json) /.test(l));
    expect(now.join('\n')).toBe(before);
  });
});
