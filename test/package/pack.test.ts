// The package as a user gets it: `npm pack` of this checkout (its dist/ built by `npm test`'s pretest), installed
// into an empty project with production dependencies only (through the action's own install step), then the CLI
// and the library used from there on copies of the samples. Needs the npm registry or npm's cache.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workdir } from '../helpers/cli.js';
import { step } from '../helpers/action.js';

const SAMPLES = join(ROOT, 'samples');

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

let dir: string; // the user's project
let packed: Packed;
let bin: string;

beforeAll(() => {
  dir = workdir();
  // --ignore-scripts: pack the dist/ this run built; `prepare` would rebuild it under the other test files' feet.
  const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack: ${pack.stderr}`);
  packed = JSON.parse(pack.stdout)[0];
  // The user's own project, with a version of its own (the CLI must not report it as blastguard's).
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ops-scripts', version: '9.9.9', private: true, type: 'module' }));
  mkdirSync(join(dir, 'manifests'));
  for (const m of ['legacy-app-cleanup.yaml', 'incident-replay.yaml']) copyFileSync(join(SAMPLES, 'manifests', m), join(dir, 'manifests', m));
  copyFileSync(join(SAMPLES, 'tenant.json'), join(dir, 'snapshot.json'));
  copyFileSync(join(SAMPLES, 'maintenance', 'remove-legacy-app.mjs'), join(dir, 'remove-legacy-app.mjs'));
  // Installed by the action's install step, into RUNNER_TEMP/blastguard.
  const install = step(dir, 'install', { package: join(dir, packed.filename) }, { RUNNER_TEMP: join(dir, 'runner-temp') });
  if (install.code !== 0) throw new Error(`install: ${install.stdout}\n${install.stderr}`);
  bin = install.env.BLASTGUARD_BIN;
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function blastguard(args: string[]) {
  const r = spawnSync(bin, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm pack', () => {
  test('the tarball holds exactly the CLI bundle, the library, its types, the validators, the report client and the schemas', () => {
    const paths = packed.files.map((f) => f.path);
    const top = [
      ...new Set(
        paths.map((p) =>
          p
            .split('/')
            .slice(0, p.startsWith('dist/') ? 2 : 1)
            .join('/'),
        ),
      ),
    ].sort();
    expect(top).toEqual(
      [
        'README.md',
        'bin',
        'dist/api.d.ts',
        'dist/api.js',
        'dist/app',
        'dist/bundle',
        'dist/engine',
        'dist/generate',
        'dist/ingest',
        'dist/model',
        'dist/report',
        'dist/report-client.js',
        'dist/store',
        'dist/validators',
        'package.json',
        'schemas',
      ].sort(),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'bin/blastguard',
        'bin/package.json',
        'dist/bundle/cli.cjs',
        'dist/bundle/launch.cjs',
        'dist/ingest/ndjson-worker.js',
        'schemas/snapshot.schema.json',
      ]),
    );
    // No source maps (their sources are not shipped), no sources, tests, samples or the unbundled CLI.
    expect(paths.filter((p) => /\.map$|^src\/|^test\/|^samples\/|^dist\/cli\//.test(p))).toEqual([]);
    // Sizes today: ~0.55 MB packed, ~2.2 MB unpacked; the bounds catch a stray folder (node_modules, bench/out).
    expect(packed.size).toBeLessThan(1.5e6);
    expect(packed.unpackedSize).toBeLessThan(5e6);
  });
});

describe('installed into an empty project, production dependencies only', () => {
  test('no dev dependency is installed', () => {
    const modules = join(dir, 'runner-temp', 'blastguard', 'node_modules');
    for (const dev of ['typescript', 'jest', 'esbuild', 'mermaid', 'eslint'])
      expect({ dev, installed: existsSync(join(modules, dev)) }).toEqual({ dev, installed: false });
    expect(existsSync(join(modules, 'blastguard', 'dist', 'bundle', 'cli.cjs'))).toBe(true);
  });

  test('the bin works at once: --version (both paths) is the package version, not the project one', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(blastguard(['--version']).stdout).toBe(`${version}\n`);
    expect(blastguard(['--version', '--no-color']).stdout).toBe(`${version}\n`); // through yargs
    expect(blastguard(['--help']).stdout).toContain('blastguard check <manifest>');
  });

  test('blastguard check on the samples: the incident fails (exit 1), the cleanup passes and writes its plan', () => {
    const incident = blastguard(['check', 'manifests/incident-replay.yaml', '--graph', 'snapshot.json']);
    expect(incident.code).toBe(1);
    expect(incident.stdout).toMatch(/^FAIL /);
    const cleanup = blastguard(['check', 'manifests/legacy-app-cleanup.yaml', '--graph', 'snapshot.json', '--out', 'plan.json']);
    expect(cleanup.code).toBe(0);
    expect(cleanup.stderr).toMatch(/^blastguard: plan written to plan\.json \(5 targets, 14 deletions, digest sha256:[0-9a-f]{64}\)\n$/);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).verdict).toBe('pass');
  });

  test("the library's guard() from the installed package (the sample maintenance script) runs the plan and refuses site IDs", () => {
    // The script imports 'blastguard': resolved from the project, where the action's prefix is linked in.
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    const link = spawnSync('ln', ['-sfn', join(dir, 'runner-temp', 'blastguard', 'node_modules', 'blastguard'), join(dir, 'node_modules', 'blastguard')]);
    expect(link.status).toBe(0);
    const plan = blastguard(['check', 'manifests/legacy-app-cleanup.yaml', '--graph', 'snapshot.json', '--out', 'guard-plan.json']);
    expect(plan.code).toBe(0);
    const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
    const ok = node(['remove-legacy-app.mjs', '--plan', 'guard-plan.json', '--graph', 'snapshot.json']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^done: 5 app install\(s\) of legacy-asset-mgmt, as approved/m);
    writeFileSync(join(dir, 'site-ids.txt'), 'site:globex\nsite:initech\n');
    const refused = node(['remove-legacy-app.mjs', '--plan', 'guard-plan.json', '--graph', 'snapshot.json', '--ids', 'site-ids.txt']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('never approved: site:globex, site:initech');
    expect(refused.stdout).not.toContain('DRY RUN delete');
  });

  test('the action check step runs the installed package on the samples', () => {
    const r = step(dir, 'check', { manifests: 'manifests/*.yaml', graph: 'snapshot.json', formats: 'github,markdown' }, { BLASTGUARD_BIN: bin });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({
      verdict: 'fail',
      checked: '2',
      failed: '1',
      'approved-plans': 'blastguard-plans/manifests_legacy-app-cleanup.yaml.plan.json',
    });
  });
});
