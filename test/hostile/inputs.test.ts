// Hostile small inputs (manifest, mapping, approved plan, rehearsal, baseline, ID list) through the real CLI: gzip
// bombs, devices, FIFOs, directories, deep nesting, alias bombs, duplicate keys, inexact numbers, UTF-16, prototype
// names, IDs that look like options. Each is refused with exit 2 and one line naming the file (and line), in
// bounded time and memory, leaving every input as it was.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createWriteStream, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { jsonLocator } from '../../src/model/locate.js';
import { hasStack, run, SAMPLE } from '../helpers/cli.js';
import { problemLines, runHostile, runQuick, strayTempFiles, treeState, type HostileOptions, type HostileRun } from '../helpers/hostile-run.js';

const GLOBEX = 'site:globex';
const LEGACY = 'app-install:acme-prod/jsm/legacy-asset-mgmt';

let root: string;
/** 2 GiB of JSON whitespace after `{"targets": ["a"]`, gzipped (about 9 MB): built once, linked where needed. */
let bomb: string;
/** An approved plan of LEGACY on the sample tenant. */
let planText: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'blastguard-hostile-inputs-'));
  bomb = join(root, 'bomb.gz');
  const spaces = Buffer.alloc(1 << 20, 0x20);
  function* body() {
    yield Buffer.from('{"targets": ["a"]');
    for (let i = 0; i < 2048; i++) yield spaces;
    yield Buffer.from('}');
  }
  await pipeline(Readable.from(body()), createGzip({ level: 1 }), createWriteStream(bomb));
  const dir = mkdtempSync(join(root, 'plan-'));
  const r = run(['plan', LEGACY, '--graph', SAMPLE, '--out', join(dir, 'plan.json'), '--quiet']);
  expect(r.code).toBe(0);
  planText = readFileSync(join(dir, 'plan.json'), 'utf8');
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder under the test root with these files. */
function folder(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(root, 'case-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** The bomb as `name` in `dir` (a hard link: a regular file inside the folder, no copy of 9 MB). */
function bombAt(dir: string, name: string): string {
  linkSync(bomb, join(dir, name));
  return join(dir, name);
}

interface Expect {
  code?: number;
  seconds?: number;
  mib?: number;
  /** A few bytes of input whose refusal is about syntax, not size: run in the warm in-process CLI (runQuick), not measured for memory. */
  quick?: boolean;
}

/** For cases whose input is a few bytes (see Expect.quick). */
const QUICK = { quick: true } as const;

/**
 * Runs the CLI in `dir` and asserts: the exit code (2 by default), exactly one problem line matching `line`, no
 * stack, no internal error, nothing on stdout, within the time and (unless quick) memory bounds, no stray temporary
 * file and no file of `dir` changed.
 */
function refused(dir: string, args: string[], line: RegExp, opts: HostileOptions & Expect = {}): HostileRun {
  const before = treeState(dir);
  const r = opts.quick ? runQuick(args, { cwd: dir, ...opts }) : runHostile(args, { cwd: dir, timeout: 20, ...opts });
  expect({ code: r.code, timedOut: r.timedOut, lines: problemLines(r) }).toEqual({
    code: opts.code ?? 2,
    timedOut: false,
    lines: [expect.stringMatching(line)],
  });
  expect(hasStack(r.stderr)).toBe(false);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stdout).toBe('');
  expect(r.seconds).toBeLessThan(opts.seconds ?? 15);
  if (!opts.quick) expect(r.peakMiB).toBeLessThan(opts.mib ?? 250);
  expect(strayTempFiles(dir)).toEqual([]);
  expect(treeState(dir)).toBe(before);
  return r;
}

const permanent = (rehearsal: string) => `targets:\n  - ${LEGACY}\nmode: permanent\nrehearsal: '${rehearsal}'\n`;

describe('gzip bombs stop at the cap, in bounded memory', () => {
  const TOO_LARGE = 'larger than 64 MiB once decompressed: inputs read whole are capped (raise the cap with --max-input-mib or BLASTGUARD_MAX_INPUT_MIB)';
  test('as a manifest, an approved plan, an ID list (file and stdin), a baseline and a mapping', () => {
    const dir = folder({ 'plan.json': planText, 'ids.txt': `${LEGACY}\n` });
    bombAt(dir, 'm.json.gz');
    bombAt(dir, 'bomb.gz');
    refused(dir, ['check', 'm.json.gz', '--graph', SAMPLE], new RegExp(`^blastguard: m\\.json\\.gz: ${TOO_LARGE.replace(/[()]/g, '\\$&')}$`));
    refused(dir, ['verify', '--plan', 'bomb.gz', '--ids', 'ids.txt'], /^blastguard: bomb\.gz: larger than 64 MiB once decompressed/);
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', 'bomb.gz'], /^blastguard: bomb\.gz: larger than 64 MiB once decompressed/);
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', '-'], /^blastguard: stdin: larger than 64 MiB once decompressed/, { input: readFileSync(bomb) });
    refused(dir, ['audit', '--graph', SAMPLE, '--baseline', 'bomb.gz'], /^blastguard: bomb\.gz: larger than 64 MiB once decompressed/);
    refused(dir, ['ingest', '--mapping', 'bomb.gz'], /^blastguard: bomb\.gz: larger than 64 MiB once decompressed/);
  });
  test('as the rehearsal of a permanent manifest: refused before the check (exit 2), never a violation read whole', () => {
    const dir = folder({ 'm.yaml': permanent('soft-plan.json.gz') });
    bombAt(dir, 'soft-plan.json.gz');
    refused(dir, ['check', 'm.yaml', '--graph', SAMPLE], /^blastguard: m\.yaml:4: rehearsal: soft-plan\.json\.gz: larger than 64 MiB once decompressed/);
  });
  test('endless standard input stops at the cap; the cap is raisable, and a bad cap is a usage error', () => {
    const dir = folder({ 'plan.json': planText });
    const zeros = Buffer.alloc(3 << 20);
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', '-'], /^blastguard: stdin: larger than 1 MiB: /, {
      input: zeros,
      env: { BLASTGUARD_MAX_INPUT_MIB: '1' },
    });
    // 2.3 MB of IDs: over a 1 MiB cap, read (and judged: not the plan's targets, exit 1) with --max-input-mib 4.
    const ids = Array.from({ length: 60_000 }, (_, i) => `app-install:acme-prod/jsm/generated-${i}`).join('\n');
    writeFileSync(join(dir, 'ids.txt'), ids);
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', 'ids.txt', '--max-input-mib', '1'], /^blastguard: ids\.txt: larger than 1 MiB: /);
    const raised = runHostile(['verify', '--plan', 'plan.json', '--ids', 'ids.txt', '--max-input-mib', '4'], { cwd: dir });
    expect(raised.code).toBe(1);
    expect(raised.stdout).toMatch(/60,000 IDs given/);
    const raisedByEnv = runHostile(['verify', '--plan', 'plan.json', '--ids', 'ids.txt'], { cwd: dir, env: { BLASTGUARD_MAX_INPUT_MIB: '4' } });
    expect(raisedByEnv.code).toBe(1);
    const bad = runHostile(['verify', '--plan', 'plan.json', '--ids', 'ids.txt'], { cwd: dir, env: { BLASTGUARD_MAX_INPUT_MIB: 'lots' } });
    expect(bad.code).toBe(2);
    expect(problemLines(bad)[0]).toBe('blastguard: BLASTGUARD_MAX_INPUT_MIB must be a whole number of MiB from 1 to 512 (got lots)');
  });
});

describe('only regular files where a file is expected', () => {
  test('/dev/zero as a manifest, a plan, an ID list, a baseline and a mapping', () => {
    const dir = folder({ 'plan.json': planText, 'ids.txt': `${LEGACY}\n` });
    const device = /^blastguard: \/dev\/zero: is a character device \(like \/dev\/zero\), not a regular file$/;
    refused(dir, ['check', '/dev/zero', '--graph', SAMPLE], device);
    refused(dir, ['verify', '--plan', '/dev/zero', '--ids', 'ids.txt'], device);
    refused(
      dir,
      ['verify', '--plan', 'plan.json', '--ids', '/dev/zero'],
      /^blastguard: \/dev\/zero: is a character device \(like \/dev\/zero\), not a regular file \(for IDs from a pipe, give --ids - /,
    );
    refused(dir, ['audit', '--graph', SAMPLE, '--baseline', '/dev/zero'], device);
    refused(dir, ['ingest', '--mapping', '/dev/zero'], device);
  });
  test('a FIFO with no writer is refused at once, not waited on', () => {
    const dir = folder({ 'plan.json': planText, 'ids.txt': `${LEGACY}\n` });
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const fifo = /^blastguard: pipe\.yaml: is a named pipe \(FIFO\), not a regular file$/;
    refused(dir, ['check', 'pipe.yaml', '--graph', SAMPLE], fifo, { seconds: 10 });
    refused(dir, ['verify', '--plan', 'pipe.yaml', '--ids', 'ids.txt'], fifo, { seconds: 10 });
    refused(
      dir,
      ['verify', '--plan', 'plan.json', '--ids', 'pipe.yaml'],
      /^blastguard: pipe\.yaml: is a named pipe \(FIFO\), not a regular file \(for IDs from a pipe, give --ids - and pipe them to standard input\)$/,
      { seconds: 10 },
    );
  });
  test('a directory', () => {
    const dir = folder({ 'plan.json': planText, 'ids.txt': `${LEGACY}\n`, 'sub/x': '' });
    const directory = /^blastguard: sub: is a directory, not a file$/;
    refused(dir, ['check', 'sub', '--graph', SAMPLE], directory, QUICK);
    refused(dir, ['verify', '--plan', 'sub', '--ids', 'ids.txt'], directory, QUICK);
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', 'sub'], directory, QUICK);
  });
});

describe('a rehearsal stays inside the manifest folder (manifests come from pull requests)', () => {
  test('absolute paths, .. escapes and links out are refused with the manifest line, exit 2', () => {
    const outside = folder({ 'soft-plan.json': planText });
    const dir = folder({ 'sub/plan.json': planText });
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    symlinkSync(join(outside, 'soft-plan.json'), join(dir, 'out.json'));
    execFileSync('mkfifo', [join(dir, 'sub', 'pipe.json')]);
    const cases: [string, RegExp][] = [
      ['/dev/zero', /^blastguard: m\.yaml:4: rehearsal: must be a path relative to the manifest, inside its folder \(not an absolute path\)$/],
      ['../x.json', /^blastguard: m\.yaml:4: rehearsal: "\.\.\/x\.json" leaves the manifest's folder: a rehearsal must be a file inside it$/],
      ['zero.json', /^blastguard: m\.yaml:4: rehearsal: "zero\.json" is a link that leads out of the manifest's folder/],
      // A valid soft plan of the same targets, but outside: refused, never a PASS.
      ['out.json', /rehearsal: "out\.json" is a link that leads out of the manifest's folder/],
      ['sub/pipe.json', /^blastguard: m\.yaml:4: rehearsal: sub\/pipe\.json: is a named pipe \(FIFO\), not a regular file$/],
    ];
    for (const [rehearsal, line] of cases) {
      writeFileSync(join(dir, 'm.yaml'), permanent(rehearsal));
      refused(dir, ['check', 'm.yaml', '--graph', SAMPLE], line);
    }
  });
  test('a relative path inside (a subfolder, or .. that comes back in) is read as before', () => {
    const dir = folder({ 'sub/plan.json': planText, 'm.yaml': permanent('sub/../sub/plan.json') });
    const r = runHostile(['check', 'm.yaml', '--graph', SAMPLE, '--format', 'json'], { cwd: dir });
    // The plan was made in soft mode without the manifest's intent; what matters is that it was read and judged.
    const rules = (JSON.parse(r.stdout) as { violations: { rule: string; message: string }[] }).violations.filter((v) => v.rule === 'permanent-unrehearsed');
    expect(rules).toEqual([]);
  });
});

describe('nesting is bounded before anything recursive sees it', () => {
  const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  test('100,000 deep: a JSON manifest, a JSON ID list, a plan, a baseline, a JSON mapping, a YAML manifest', () => {
    const n = 100_000;
    const dir = folder({
      'm.json': `{"targets": ${deepArray(n)}}`,
      'ids.json': deepArray(n),
      'plan.json': `{"kind": "blastguard-approved-plan", "roots": ${deepArray(n)}}`,
      'baseline.json': `{"accepted": ${deepArray(n)}}`,
      'mapping.json': `{"schema": ${deepObject(n)}}`,
      'm.yaml': `targets: ${deepArray(n)}\n`,
      'ok-ids.txt': `${LEGACY}\n`,
      'ok-plan.json': planText,
    });
    const deep = /nested more than 100 levels deep$/;
    refused(dir, ['check', 'm.json', '--graph', SAMPLE], /^blastguard: m\.json:1: targets\[0\]\[0\]…: nested more than 100 levels deep$/);
    refused(dir, ['verify', '--plan', 'ok-plan.json', '--ids', 'ids.json'], /^blastguard: ids\.json:1: /);
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', 'ok-ids.txt'], deep);
    refused(dir, ['audit', '--graph', SAMPLE, '--baseline', 'baseline.json'], deep);
    refused(dir, ['ingest', '--mapping', 'mapping.json'], deep);
    refused(dir, ['check', 'm.yaml', '--graph', SAMPLE], /^blastguard: m\.yaml:1: nested more than 100 levels deep$/);
  });
  test('5,000 deep in a where value, and a YAML block map 150 levels deep', () => {
    let block = 'targets: [x]\nselect:\n  - type: x\n    where:\n';
    for (let i = 0; i < 150; i++) block += `${' '.repeat(6 + 2 * i)}k${i}:\n`;
    const dir = folder({ 'm.json': `{"select": [{"type": "x", "where": {"a": ${deepObject(5000)}}}]}`, 'm.yaml': block });
    refused(dir, ['check', 'm.json', '--graph', SAMPLE], /^blastguard: m\.json:1: select\[0\]\.where…: nested more than 100 levels deep$/);
    refused(dir, ['check', 'm.yaml', '--graph', SAMPLE], /^blastguard: m\.yaml:\d+: select\[0\]\.where…: nested more than 100 levels deep$/);
  });
  test('the error locator does not recurse into a deep text (no line rather than a stack overflow)', () => {
    const locate = jsonLocator(`{"x": ${deepArray(100_000)}, "y": 1}`);
    expect(locate(['y'])).toBeUndefined();
    expect(jsonLocator('{\n"x": [[1]],\n"y": 1}')(['y'])).toBe(3);
  });
});

describe('YAML alias bombs are input errors with their line', () => {
  let bombYaml = '';
  bombYaml += 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 9; i++)
    bombYaml += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  test('as a manifest and as a mapping', () => {
    const dir = folder({ 'm.yaml': `targets: [x]\n${bombYaml}`, 'mapping.yaml': `${bombYaml}sources: []\n` });
    refused(
      dir,
      ['check', 'm.yaml', '--graph', SAMPLE],
      /^blastguard: m\.yaml:3: YAML aliases expand too much \(over 100 uses: an alias bomb\?\); write the values out$/,
    );
    refused(dir, ['ingest', '--mapping', 'mapping.yaml'], /^blastguard: mapping\.yaml:2: YAML aliases expand too much/);
  });
});

describe('duplicate keys are errors, naming the key and both lines', () => {
  test('the manifest of the issue: a second "targets" would hide the site', () => {
    const dir = folder({ 'm.json': `{"targets": ["${GLOBEX}"],\n "description": "cleanup",\n "targets": ["${LEGACY}"]}\n` });
    refused(
      dir,
      ['check', 'm.json', '--graph', SAMPLE],
      /^blastguard: m\.json:3: duplicate key "targets" \(first at line 1\): a JSON reader keeps only the last, so the file does not say what it shows$/,
      QUICK,
    );
  });
  test('nested, and spelled with an escape', () => {
    const dir = folder({
      'm.json': `{"targets": ["${LEGACY}"],\n "limits": {\n  "maxDeleted": 1000000,\n  "maxDeleted": 1}}\n`,
      'e.json': `{"targets": ["${GLOBEX}"],\n "t\\u0061rgets": ["${LEGACY}"]}\n`,
    });
    refused(dir, ['check', 'm.json', '--graph', SAMPLE], /^blastguard: m\.json:4: limits: duplicate key "maxDeleted" \(first at line 3\)/, QUICK);
    refused(dir, ['check', 'e.json', '--graph', SAMPLE], /^blastguard: e\.json:2: duplicate key "targets" \(first at line 1\)/, QUICK);
  });
  test('YAML manifests refuse them too', () => {
    const dir = folder({ 'm.yaml': `targets:\n  - ${GLOBEX}\ndescription: x\ntargets:\n  - ${LEGACY}\n` });
    refused(dir, ['check', 'm.yaml', '--graph', SAMPLE], /^blastguard: m\.yaml:4: not valid YAML: Map keys must be unique$/, QUICK);
  });
  test('an approved plan with two "roots", a baseline, a JSON mapping, a JSON ID list', () => {
    const twoRoots = planText.replace('"roots": [', `"roots": ["${GLOBEX}"],\n  "roots": [`);
    const rootsLine = twoRoots.split('\n').findIndex((l) => l.includes('"roots": [')) + 1;
    const dir = folder({
      'plan.json': twoRoots,
      'ids.txt': `${LEGACY}\n`,
      'baseline.json': '{"accepted": [],\n"accepted": [{"fingerprint": "x"}]}\n',
      'mapping.json': '{"schema": {"relations": {}},\n "sources": [],\n "sources": []}\n',
      'ids.json': `[{"id": "a",\n  "id": "b"}]\n`,
      'ok-plan.json': planText,
    });
    refused(
      dir,
      ['verify', '--plan', 'plan.json', '--ids', 'ids.txt'],
      new RegExp(`^blastguard: plan\\.json:${rootsLine + 1}: duplicate key "roots" \\(first at line ${rootsLine}\\)`),
      QUICK,
    );
    refused(
      dir,
      ['audit', '--graph', SAMPLE, '--baseline', 'baseline.json'],
      /^blastguard: baseline\.json:2: duplicate key "accepted" \(first at line 1\)/,
      QUICK,
    );
    refused(dir, ['ingest', '--mapping', 'mapping.json'], /^blastguard: mapping\.json:3: duplicate key "sources" \(first at line 2\)/, QUICK);
    refused(dir, ['verify', '--plan', 'ok-plan.json', '--ids', 'ids.json'], /^blastguard: ids\.json:2: \[0\]: duplicate key "id" \(first at line 1\)/, QUICK);
  });
  test('a rehearsal with duplicate keys is not a usable plan: a violation, never a PASS', () => {
    const dir = folder({ 'soft.json': planText.replace('"mode": "soft"', '"mode": "permanent",\n  "mode": "soft"'), 'm.yaml': permanent('soft.json') });
    const r = runQuick(['check', 'm.yaml', '--graph', SAMPLE, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const v = (JSON.parse(r.stdout) as { violations: { rule: string; message: string }[] }).violations.filter((x) => x.rule === 'permanent-unrehearsed');
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/^rehearsal soft\.json is not a usable approved plan: line \d+: duplicate key "mode"/)]);
  });
});

describe('numbers are exact or refused', () => {
  test('limits: 1e400 (Infinity), .nan, negative, fractional', () => {
    const dir = folder({
      'inf.json': `{"targets": ["${LEGACY}"],\n "limits": {"maxDeleted": 1e400}}\n`,
      'nan.yaml': `targets: [${LEGACY}]\nlimits:\n  maxDeleted: .nan\n`,
      'neg.yaml': `targets: [${LEGACY}]\nlimits:\n  maxDeleted: -1\n`,
      'half.yaml': `targets: [${LEGACY}]\nlimits:\n  maxDeleted: 1.5\n`,
    });
    refused(dir, ['check', 'inf.json', '--graph', SAMPLE], /^blastguard: inf\.json:2: limits\.maxDeleted: Infinity is not a finite number/, QUICK);
    refused(dir, ['check', 'nan.yaml', '--graph', SAMPLE], /^blastguard: nan\.yaml:3: limits\.maxDeleted: NaN is not a finite number/, QUICK);
    refused(dir, ['check', 'neg.yaml', '--graph', SAMPLE], /^blastguard: neg\.yaml:3: limits\.maxDeleted: must be >= 0$/, QUICK);
    refused(dir, ['check', 'half.yaml', '--graph', SAMPLE], /^blastguard: half\.yaml:3: limits\.maxDeleted: must be integer$/, QUICK);
  });
  test('whole numbers beyond 2^53 are refused where JSON or YAML would round them (an ID, a where value)', () => {
    const dir = folder({
      'where.yaml': `select:\n  - type: app-install\n    where:\n      external: 111677749041879313\n`,
      'ids.json': `[\n  "${LEGACY}",\n  111677749041879313\n]\n`,
      'm.json': `{"targets": [\n  "${LEGACY}",\n  111677749041879313]}\n`,
      'plan.json': planText,
    });
    refused(
      dir,
      ['check', 'where.yaml', '--graph', SAMPLE],
      /^blastguard: where\.yaml:4: select\[0\]\.where\.external: a whole number beyond ±9007199254740991 \(2\^53 − 1\) cannot be kept exactly \(it reads as 111677749041879312\): write it as a string$/,
      QUICK,
    );
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', 'ids.json'], /^blastguard: ids\.json:3: \[1\]: a whole number beyond/, QUICK);
    refused(dir, ['check', 'm.json', '--graph', SAMPLE], /^blastguard: m\.json:3: targets\[1\]: a whole number beyond/, QUICK);
  });
});

describe('strings and lines are bounded', () => {
  test('a 2 MiB string in a manifest, a 2 MiB line in an ID list', () => {
    const long = 'x'.repeat(2 << 20);
    const dir = folder({ 'm.json': `{"targets": ["${LEGACY}"],\n "description": "${long}"}`, 'ids.txt': `${LEGACY}\n${long}\n`, 'plan.json': planText });
    refused(dir, ['check', 'm.json', '--graph', SAMPLE], /^blastguard: m\.json:2: description: a string of 2097152 characters: the limit is 1048576$/);
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', 'ids.txt'], /^blastguard: ids\.txt:2: a line of 2097152 characters: no ID is longer than 1048576$/);
  });
});

describe('millions of tiny values are bounded with the cap (memory, not just bytes)', () => {
  test('objects and arrays in a JSON plan, lines of an ID list, and the size of a YAML manifest', () => {
    // At a 1 MiB cap: 16,384 objects and arrays, 65,536 values or IDs (the same ratios as 1,048,576 and 4,194,304 at
    // 64 MiB). YAML, at the default cap: 4 MiB (a sixteenth).
    const env = { BLASTGUARD_MAX_INPUT_MIB: '1' };
    const dir = folder({
      'plan.json': `[${'{},'.repeat(20_000)}{}]`,
      'values.json': `[${'1,'.repeat(70_000)}1]`,
      'ids.txt': 'a\n'.repeat(70_000),
      'm.yaml': `targets:\n${'  - x\n'.repeat(800_000)}`,
      'ok-ids.txt': `${LEGACY}\n`,
      'ok-plan.json': planText,
    });
    refused(
      dir,
      ['verify', '--plan', 'plan.json', '--ids', 'ok-ids.txt'],
      /^blastguard: plan\.json:1: more than 16384 objects and arrays: inputs read whole are capped \(raise the cap with --max-input-mib or BLASTGUARD_MAX_INPUT_MIB\)$/,
      { env },
    );
    refused(dir, ['verify', '--plan', 'ok-plan.json', '--ids', 'values.json'], /^blastguard: values\.json:1: more than 65536 values: /, { env });
    refused(dir, ['verify', '--plan', 'ok-plan.json', '--ids', 'ids.txt'], /^blastguard: ids\.txt:65537: more than 65536 IDs: /, { env });
    refused(dir, ['check', 'm.yaml', '--graph', SAMPLE], /^blastguard: m\.yaml: a YAML file larger than 4 MiB: .*write a large manifest as JSON/);
  });
});

describe('UTF-16 is named, not "not valid JSON"', () => {
  test('a manifest with a BOM, a plan without one (big-endian), an ID list', () => {
    const be = (s: string) => Buffer.from(s, 'utf16le').swap16();
    const dir = folder({
      'm.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`targets: [${LEGACY}]\n`, 'utf16le')]),
      'plan.json': be(planText),
      'ids.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${LEGACY}\n`, 'utf16le')]),
      'ok-plan.json': planText,
    });
    refused(
      dir,
      ['check', 'm.yaml', '--graph', SAMPLE],
      /^blastguard: m\.yaml:1: the file is UTF-16LE text: save it as UTF-8 \(e\.g\. `iconv -f UTF-16LE -t UTF-8`\)$/,
      QUICK,
    );
    refused(dir, ['verify', '--plan', 'plan.json', '--ids', 'ids.txt'], /^blastguard: plan\.json:1: the file is UTF-16BE text: save it as UTF-8/, QUICK);
    refused(dir, ['verify', '--plan', 'ok-plan.json', '--ids', 'ids.txt'], /^blastguard: ids\.txt:1: the file is UTF-16LE text/, QUICK);
  });
});

describe('type names that are Object.prototype keys are counted like any type', () => {
  test('__proto__ and constructor in plan JSON, the approved plan (and its waves), and the audit', () => {
    const snapshot = {
      schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } },
      entities: [
        { id: 'site:a', type: 'site' },
        { id: 'p1', type: '__proto__' },
        { id: 'p2', type: '__proto__' },
        { id: 'c1', type: 'constructor' },
        { id: 'h1', type: 'hasOwnProperty' },
      ],
      relations: [
        { from: 'p1', type: 'IN', to: 'site:a' },
        { from: 'p2', type: 'IN', to: 'p1' },
        { from: 'c1', type: 'IN', to: 'p1' },
        { from: 'h1', type: 'IN', to: 'p1' },
      ],
    };
    const dir = folder({ 'g.json': JSON.stringify(snapshot) });
    // JSON.parse makes "__proto__" an own key, so entries compare it (and the order) like any other key.
    const deleted = Object.entries(JSON.parse('{"__proto__": 2, "constructor": 1, "hasOwnProperty": 1}') as object);
    const p = runQuick(['plan', 'p1', '--graph', 'g.json', '--format', 'json', '--out', 'plan.json', '--waves', '1,rest'], { cwd: dir });
    expect(p.code).toBe(0);
    expect(Object.entries((JSON.parse(p.stdout) as { summary: { byType: object } }).summary.byType)).toEqual(deleted);
    const approved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { summary: { byType: object }; waves: { byType: object }[] };
    expect(Object.entries(approved.summary.byType)).toEqual(deleted);
    expect(Object.entries(approved.waves[0].byType)).toEqual(deleted);
    // The plan reads back intact (its digest covers the counts) and verifies against the graph.
    const v = runQuick(['verify', '--plan', 'plan.json', '--ids', '-', '--graph', 'g.json'], { cwd: dir, input: 'p1\n' });
    expect(v.code).toBe(0);
    const a = runQuick(['audit', '--graph', 'g.json', '--format', 'json'], { cwd: dir });
    expect(a.code).toBe(0);
    const audit = JSON.parse(a.stdout) as { graph: { byType: object }; types: { type: string; byType?: object }[] };
    expect(Object.entries(audit.graph.byType)).toEqual([['site', 1], ...deleted]);
    expect(audit.types.map((t) => t.type).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'site']);
  });
});

describe('IDs that begin with "-"', () => {
  test('plan and why take them after --; nothing stray is accepted after -- elsewhere', () => {
    const snapshot = {
      schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } },
      entities: [
        { id: 'site:a', type: 'site' },
        { id: '-weird-id', type: 'doc' },
        { id: '--looks-like-an-option', type: 'doc' },
      ],
      relations: [
        { from: '-weird-id', type: 'IN', to: 'site:a' },
        { from: '--looks-like-an-option', type: 'IN', to: '-weird-id' },
      ],
    };
    const dir = folder({ 'g.json': JSON.stringify(snapshot), 'm.yaml': 'targets: [x]\n' });
    const p = runQuick(['plan', '--graph', 'g.json', '--format', 'json', '--', '-weird-id'], { cwd: dir });
    expect(p.code).toBe(0);
    const result = JSON.parse(p.stdout) as { roots: string[]; deleted: { id: string }[] };
    expect(result.roots).toEqual(['-weird-id']);
    expect(result.deleted.map((d) => d.id).sort()).toEqual(['--looks-like-an-option', '-weird-id']);
    const w = runQuick(['why', '--graph', 'g.json', '--roots=-weird-id', '--', '--looks-like-an-option'], { cwd: dir });
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/^--looks-like-an-option would be deleted/);
    refused(dir, ['plan', '--graph', 'g.json'], /^blastguard: Name at least one ID to delete \(an ID that begins with "-" goes after --\)\.$/, QUICK);
    refused(dir, ['check', 'm.yaml', '--graph', 'g.json', '--', 'extra'], /^blastguard: Unexpected arguments after "--": "extra"/, QUICK);
  });
});
