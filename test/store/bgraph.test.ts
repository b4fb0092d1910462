// The binary graph file (.bgraph) round-trips losslessly through the real CLI: JSON → .bgraph → JSON gives the same
// bytes as JSON → JSON, and a plan from the .bgraph is the plan from the JSON, on the sample tenant, the sample
// exports (through their mapping) and generated tenants (written by `generate --out x.bgraph` directly, too).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, run, SAMPLE, ROOT } from '../helpers/cli.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blastguard-bgraph-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ok(args: string[]): string {
  const r = run(args, { cwd: dir });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
}

/** Converts `graph` (any --graph) to JSON directly and through a .bgraph; both must be the same bytes. */
function roundTrip(name: string, source: string[]): { json: string; bgraph: string } {
  const json = join(dir, `${name}.json`);
  const bgraph = join(dir, `${name}.bgraph`);
  const back = join(dir, `${name}.back.json`);
  ok(['ingest', ...source, '--out', json, '--quiet']);
  ok(['ingest', ...source, '--out', bgraph, '--quiet']);
  ok(['ingest', '--graph', bgraph, '--out', back, '--quiet']);
  expect(readFileSync(back, 'utf8')).toBe(readFileSync(json, 'utf8'));
  // And again: the JSON written back makes the .bgraph that JSON makes, and .bgraph → .bgraph copies it exactly.
  const fromJson = join(dir, `${name}.fromjson.bgraph`);
  const again = join(dir, `${name}.again.bgraph`);
  const copy = join(dir, `${name}.copy.bgraph`);
  ok(['ingest', '--graph', json, '--out', fromJson, '--quiet']);
  ok(['ingest', '--graph', back, '--out', again, '--quiet']);
  ok(['ingest', '--graph', bgraph, '--out', copy, '--quiet']);
  expect(readFileSync(again).equals(readFileSync(fromJson))).toBe(true);
  expect(readFileSync(copy).equals(readFileSync(bgraph))).toBe(true);
  return { json, bgraph };
}

function samePlans(json: string, bgraph: string, roots: string[]): void {
  for (const root of roots) {
    for (const format of ['json', 'human']) {
      const a = run(['plan', root, '--graph', json, '--format', format], { cwd: dir });
      const b = run(['plan', root, '--graph', bgraph, '--format', format], { cwd: dir });
      expect(a.code === 0 || a.code === 1).toBe(true);
      expect({ code: b.code, stdout: b.stdout, stderr: b.stderr }).toEqual({ code: a.code, stdout: a.stdout, stderr: a.stderr });
    }
  }
}

describe('.bgraph round trip', () => {
  test('the sample tenant: same JSON back, same plans, same audit', () => {
    const { json, bgraph } = roundTrip('sample', ['--graph', SAMPLE]);
    samePlans(json, bgraph, ['site:globex', 'app-install:acme-prod/jsm/legacy-asset-mgmt', 'organization:acme']);
    const a = run(['audit', '--graph', json, '--format', 'json'], { cwd: dir });
    const b = run(['audit', '--graph', bgraph, '--format', 'json'], { cwd: dir });
    expect(b.stdout).toBe(a.stdout);
    expect(b.code).toBe(a.code);
  }, 120_000);

  test('an ID of 70,000 bytes (its length kept apart from the packed positions) and non-ASCII IDs and names', () => {
    // The load's ID check scans packed positions in one tight loop and checks a long ID on its own, then resumes:
    // the long ID sits among ordinary ones, so the entities after it are checked and found too.
    const snapshot = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { entities: object[]; relations: object[] };
    const long = `site:${'x'.repeat(70_000)}`;
    snapshot.entities.splice(5, 0, { id: long, type: 'site', name: 'Long ✓' }, { id: 'site:zürich-ünïcode', type: 'site', name: 'Zürich ✓' });
    snapshot.relations.push(
      { from: long, type: 'PART_OF', to: 'organization:acme' },
      { from: 'site:zürich-ünïcode', type: 'PART_OF', to: 'organization:acme' },
    );
    const source = join(dir, 'long.src.json');
    writeFileSync(source, JSON.stringify(snapshot));
    const { bgraph } = roundTrip('long', ['--graph', source]);
    // Compared with the source it was written from: a plan lists entities in the graph's order, and the JSON that
    // ingest writes is in canonical order, which this source (a long ID spliced in) is not.
    samePlans(source, bgraph, [long, 'site:zürich-ünïcode', 'site:globex', 'organization:acme']);
  }, 120_000);

  test('the sample exports through their mapping', () => {
    roundTrip('exports', ['--mapping', join(ROOT, 'samples/exports/mapping.yaml')]);
  }, 120_000);

  test('generated tenants: generate --out x.bgraph is the graph its JSON gives', () => {
    for (const [sites, seed] of [
      [1, '1'],
      [4, '7'],
    ] as const) {
      const gen = join(dir, `gen-${sites}-${seed}.src.json`);
      const direct = join(dir, `gen-${sites}-${seed}.direct.bgraph`);
      for (const out of [gen, direct]) expect(run(['generate', '--sites', String(sites), '--seed', seed, '--out', out], { cwd: dir }).code).toBe(0);
      const { json, bgraph } = roundTrip(`gen-${sites}-${seed}`, ['--graph', gen]);
      expect(readFileSync(direct).equals(readFileSync(bgraph))).toBe(true);
      const site = /"id":"(site:[^"]+)"/.exec(readFileSync(json, 'utf8'))![1];
      samePlans(json, bgraph, [site]);
    }
  }, 240_000);

  (hasScript ? test : test.skip)(
    'loading a .bgraph shows progress (bytes) on a terminal, not with --quiet, not in a pipe',
    () => {
      const bgraph = join(dir, 'progress.bgraph');
      ok(['ingest', '--graph', SAMPLE, '--out', bgraph, '--quiet']);
      const quote = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;
      const onTerminal = (args: string[]) => {
        const command = [process.execPath, bin, ...args].map(quote).join(' ');
        const env: Record<string, string> = { ...(process.env as Record<string, string>), BLASTGUARD_PROGRESS_DELAY_MS: '0', NO_COLOR: '1' };
        delete env.CI;
        return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, env, encoding: 'utf8' }).stdout;
      };
      const shown = onTerminal(['plan', 'site:globex', '--graph', bgraph, '--format', 'json']);
      expect(shown).toMatch(/\r\[[#-]+\] +\d+% +[\d,]+ records +[\d.]+ K?B of [\d.]+ KB/);
      expect(shown).toContain('\r\u001b[K');
      expect(onTerminal(['plan', 'site:globex', '--graph', bgraph, '--format', 'json', '--quiet'])).not.toContain('\r[');
      const piped = run(['plan', 'site:globex', '--graph', bgraph, '--format', 'json'], {
        cwd: dir,
        env: { BLASTGUARD_PROGRESS_DELAY_MS: '0', CI: undefined },
      });
      expect(piped.stderr).toBe('');
    },
    60_000,
  );
});
