// The GitHub Action (action.yml): its steps' script (scripts/action.mjs) runs here for real, in a throwaway git
// repository, with the files GitHub hands a step (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY); only the runner is not here.
// test/package/pack.test.ts runs the same script with the packed package installed by its `install` step.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BIN, ROOT, workdir } from '../helpers/cli.js';
import { step } from '../helpers/action.js';

const TENANT = join(ROOT, 'samples', 'tenant.json');
const CLEANUP = join(ROOT, 'samples', 'manifests', 'legacy-app-cleanup.yaml');
const INCIDENT = join(ROOT, 'samples', 'manifests', 'incident-replay.yaml');

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A workspace with the two sample manifests committed, as a checkout would be. */
function workspace(): string {
  const dir = workdir();
  mkdirSync(join(dir, 'manifests', 'old'), { recursive: true });
  copyFileSync(CLEANUP, join(dir, 'manifests', 'legacy-app-cleanup.yaml'));
  copyFileSync(INCIDENT, join(dir, 'manifests', 'old', 'incident replay.yml'));
  copyFileSync(TENANT, join(dir, 'snapshot.json'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

const withRepoBin = { BLASTGUARD_BIN: BIN };

describe('scripts/action.mjs check', () => {
  test('checks every manifest the glob matches: annotations, summary, comment, approved plans of the passing ones, outputs', () => {
    const dir = workspace();
    const r = step(dir, 'check', { manifests: 'manifests/**/*.{yaml,yml}', graph: 'snapshot.json', formats: 'github,markdown,json,sarif' }, withRepoBin);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(r.outputs.checked).toBe('2');
    expect(r.outputs.failed).toBe('1');
    expect(r.outputs['approved-plans']).toBe('blastguard-plans/manifests_legacy-app-cleanup.yaml.plan.json');
    const plan = JSON.parse(readFileSync(join(dir, r.outputs['approved-plans']), 'utf8'));
    expect(plan.verdict).toBe('pass');
    expect(r.outputs.reports.split('\n').sort()).toEqual(
      ['md', 'json', 'sarif']
        .flatMap((ext) => [`blastguard-reports/manifests_legacy-app-cleanup.yaml.${ext}`, `blastguard-reports/manifests_old_incident_replay.yml.${ext}`])
        .sort(),
    );
    expect(JSON.parse(readFileSync(join(dir, 'blastguard-reports/manifests_old_incident_replay.yml.sarif'), 'utf8')).version).toBe('2.1.0');
    // Annotations on the manifest lines, by path in the repository.
    expect(r.stdout).toContain('::error file=manifests/old/incident replay.yml,line=25,title=blastguard%3A root-type');
    expect(r.stdout).toContain('::notice file=manifests/legacy-app-cleanup.yaml,title=blastguard%3A pass::');
    // The job summary and the comment file carry the Markdown reports; the comment starts with its marker.
    expect(r.summary).toContain('## blastguard: 2 deletion manifest(s) checked');
    expect(r.summary).toContain('FAIL');
    const comment = readFileSync(join(dir, r.outputs['comment-file']), 'utf8');
    expect(comment.split('\n')[0]).toBe('<!-- blastguard -->');
    expect(comment).toContain(r.summary.trim().split('\n').at(-1));
  });

  test('with since, only the manifests added or changed since that commit; none changed is verdict none, exit 0', () => {
    const dir = workspace();
    const base = git(dir, 'rev-parse', 'HEAD');
    const none = step(dir, 'check', { manifests: 'manifests/**', graph: 'snapshot.json', since: base }, withRepoBin);
    expect(none.code).toBe(0);
    expect(none.outputs).toMatchObject({ verdict: 'none', checked: '0', failed: '0', 'approved-plans': '', 'comment-file': '' });
    expect(none.summary).toBe('## blastguard: no deletion manifest matched\n');
    writeFileSync(join(dir, 'manifests', 'legacy-app-cleanup.yaml'), readFileSync(CLEANUP, 'utf8') + '# reviewed\n');
    git(dir, 'commit', '-qam', 'change');
    const one = step(dir, 'check', { manifests: 'manifests/**', graph: 'snapshot.json', since: base, formats: 'markdown' }, withRepoBin);
    expect(one.code).toBe(0);
    expect(one.outputs).toMatchObject({ verdict: 'pass', checked: '1', failed: '0' });
    expect(one.outputs['approved-plans']).toBe('blastguard-plans/manifests_legacy-app-cleanup.yaml.plan.json');
  });

  test('a manifest the tool cannot judge is verdict error, exit 2, its one-line reason in the comment; no plan approved', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'manifests', 'broken.yaml'), 'targets: [site:globex\n');
    const r = step(dir, 'check', { manifests: 'manifests/broken.yaml', graph: 'snapshot.json' }, withRepoBin);
    expect(r.code).toBe(2);
    expect(r.outputs).toMatchObject({ verdict: 'error', checked: '1', failed: '1', 'approved-plans': '' });
    expect(r.stderr).toMatch(/^blastguard: manifests\/broken\.yaml/);
    expect(readFileSync(join(dir, 'blastguard-comment.md'), 'utf8')).toContain('### ❌ blastguard: cannot check `manifests/broken.yaml`');
  });

  test('missing inputs are an error (exit 2), and nothing is written', () => {
    const dir = workspace();
    const r = step(dir, 'check', { manifests: 'manifests/*.yaml' }, withRepoBin);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('blastguard action: the inputs `manifests` and `graph` are required\n');
    expect(existsSync(join(dir, 'blastguard-plans'))).toBe(false);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  const steps: any[] = action.runs.steps;

  test('is a composite action whose steps run the script, with every input handed over as INPUT_*', () => {
    expect(action.runs.using).toBe('composite');
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual([
      'node "$GITHUB_ACTION_PATH/scripts/action.mjs" install',
      'node "$GITHUB_ACTION_PATH/scripts/action.mjs" check',
    ]);
    const handed = Object.fromEntries(steps.flatMap((s) => Object.entries(s.env ?? {})));
    for (const name of Object.keys(action.inputs).filter((n) => n !== 'node-version'))
      expect(handed[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`]).toBe(`\${{ inputs.${name} }}`);
    // No input is pasted into a shell command (a manifest glob is data, not code).
    expect(JSON.stringify(steps.map((s) => s.run))).not.toContain('${{');
    expect(action.inputs.manifests.required).toBe(true);
    expect(action.inputs.graph.required).toBe(true);
  });

  test('its outputs are the ones the check step writes', () => {
    const dir = workspace();
    const r = step(dir, 'check', { manifests: 'manifests/legacy-app-cleanup.yaml', graph: 'snapshot.json' }, withRepoBin);
    for (const [name, o] of Object.entries<any>(action.outputs)) {
      expect(o.value).toBe(`\${{ steps.check.outputs.${name} }}`);
      expect(Object.keys(r.outputs)).toContain(name);
    }
    expect(steps.find((s) => s.id === 'check')).toBeDefined();
  });
});
