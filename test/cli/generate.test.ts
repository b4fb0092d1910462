// `blastguard generate` through the real binary, as a user runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from '@jest/globals';
import { loadGraph } from '../../src/api.js';
import { run as runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'blastguard-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => {
  const r = runCli(args);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
};

describe('blastguard generate', () => {
  test('the same seed writes the same bytes; another seed, other bytes', () => {
    const a = join(dir, 'a.ndjson');
    const b = join(dir, 'b.ndjson');
    const c = join(dir, 'c.ndjson');
    for (const [file, seed] of [
      [a, '7'],
      [b, '7'],
      [c, '8'],
    ]) {
      const r = run('generate', '--sites', '3', '--seed', seed, '--out', file);
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
      expect(r.stderr).toMatch(/wrote a tenant of 3 sites \(seed \d\)/);
    }
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
    const lines = readFileSync(a, 'utf8').trimEnd().split('\n');
    expect(Object.keys(JSON.parse(lines[0]))).toEqual(['schema']);
    expect(lines.length).toBeGreaterThan(1000);
  });

  test('.gz is the same NDJSON, gzipped; .json is a snapshot with the same records', async () => {
    const plain = join(dir, 't.ndjson');
    const gz = join(dir, 't.ndjson.gz');
    const json = join(dir, 't.json');
    for (const file of [plain, gz, json]) expect(run('generate', '--sites', '2', '--seed', 'x', '--out', file).status).toBe(0);
    expect(gunzipSync(readFileSync(gz)).equals(readFileSync(plain))).toBe(true);
    const snap = JSON.parse(readFileSync(json, 'utf8'));
    const records = readFileSync(plain, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l));
    expect(snap.entities).toEqual(records.filter((r) => r.from === undefined));
    expect(snap.relations).toEqual(records.filter((r) => r.from !== undefined));
    const g = await loadGraph(json);
    expect(g.size).toBe(snap.entities.length);
    expect(g.relationCount).toBe(snap.relations.length);
    // The NDJSON (through the byte fast path) and its gzip load to the same graph as the snapshot JSON.
    const dump = (x: Awaited<ReturnType<typeof loadGraph>>) => ({ entities: [...x.entities()], relations: [...x.relations()] });
    const fromJson = dump(g);
    expect(dump(await loadGraph(plain))).toEqual(fromJson);
    expect(dump(await loadGraph(gz))).toEqual(fromJson);
  });

  test('bad arguments: one line, exit 2, nothing written', () => {
    const cases: [string[], RegExp][] = [
      [['generate', '--sites', '0', '--out', join(dir, 'z.ndjson')], /--sites must be a whole number/],
      [['generate', '--sites', '2.5', '--out', join(dir, 'z.ndjson')], /--sites must be a whole number/],
      [['generate', '--sites', 'many', '--out', join(dir, 'z.ndjson')], /--sites must be a whole number/],
      [['generate', '--sites', '2', '--out', join(dir, 'z.csv')], /--out must end in \.ndjson, \.jsonl or \.json/],
      [['generate', '--out', join(dir, 'z.ndjson')], /Missing required argument: sites/],
      [['generate', '--sites', '2'], /Missing required argument: out/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('z') || f.startsWith('.z'))).toEqual([]);
  });

  test('a target that cannot be replaced (a directory): exit 2 naming it, refused before writing, nothing left behind', () => {
    const sub = join(dir, 'blocked');
    const target = join(sub, 'out.ndjson');
    spawnSync('mkdir', ['-p', join(target, 'inside')]);
    const r = run('generate', '--sites', '1', '--out', target);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`blastguard: ${target}: --out: is a directory, not a file; refusing to write into it`]);
    expect(readdirSync(sub)).toEqual(['out.ndjson']); // the directory is still there, and nothing else
  });

  test('a missing directory: exit 2 naming the file', () => {
    const target = join(dir, 'no', 'such', 'dir', 'out.ndjson');
    const r = run('generate', '--sites', '1', '--out', target);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`blastguard: ${target}: cannot write: its directory does not exist (ENOENT)`]);
  });
});
