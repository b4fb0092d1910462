// samples/ci: the GitHub Actions workflow and the script it runs. The script runs here for real, in a throwaway git
// repository with a pull request's base and head commits; only GitHub itself (the comment API) is not here.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BIN, CLEANUP, INCIDENT, ROOT, TENANT, tmp } from './helpers.js';
import { step as actionStep } from '../helpers/action.js';

const SCRIPT = join(ROOT, 'samples', 'ci', 'check-changed-manifests.sh');
const WORKFLOW = join(ROOT, 'samples', 'ci', 'blastguard.yml');

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function repoWithPr(change: (dir: string) => void): { dir: string; base: string; head: string } {
  const dir = tmp();
  git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'manifests'));
  copyFileSync(CLEANUP, join(dir, 'manifests', 'legacy-app-cleanup.yaml'));
  writeFileSync(join(dir, 'manifests', 'old.yaml'), 'targets: [x]\n');
  writeFileSync(join(dir, 'README.md'), 'readme\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  const base = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-qb', 'pr');
  change(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'pr');
  return { dir, base, head: git(dir, 'rev-parse', 'HEAD') };
}

function runScript(dir: string, base: string, head: string, extraEnv: Record<string, string> = {}) {
  const out = join(dir, 'github-output.txt');
  writeFileSync(out, '');
  const r = spawnSync('bash', [SCRIPT, base, head], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SNAPSHOT: TENANT, BLASTGUARD: `${process.execPath} ${BIN}`, GITHUB_OUTPUT: out, NO_COLOR: '1', ...extraEnv },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs: readFileSync(out, 'utf8') };
}

describe('samples/ci/check-changed-manifests.sh', () => {
  test('checks only the manifests the PR adds or changes, annotates, and writes the comment and the plans', () => {
    const { dir, base, head } = repoWithPr((d) => {
      writeFileSync(join(d, 'manifests', 'legacy-app-cleanup.yaml'), readFileSync(CLEANUP, 'utf8') + '# reviewed\n');
      copyFileSync(INCIDENT, join(d, 'manifests', 'incident replay.yaml'));
      spawnSync('git', ['rm', '-q', 'manifests/old.yaml'], { cwd: d });
      writeFileSync(join(d, 'README.md'), 'changed\n');
    });
    const r = runScript(dir, base, head);
    expect(r.code).toBe(1);
    expect(r.outputs).toBe('checked=2\nfailed=1\n');
    // Annotations point at the changed manifest, by its path in the repository.
    expect(r.stdout).toContain('::error file=manifests/incident replay.yaml,line=25,title=blastguard%3A root-type');
    expect(r.stdout).toContain('::notice file=manifests/legacy-app-cleanup.yaml,title=blastguard%3A pass::');
    expect(r.stdout).not.toContain('old.yaml');
    expect(r.stdout.trim().split('\n').pop()).toBe('blastguard: 2 manifest(s) checked, 1 failed');
    const comment = readFileSync(join(dir, 'blastguard-comment.md'), 'utf8');
    expect(comment.startsWith('<!-- blastguard -->\n## blastguard: 2 deletion manifest(s) changed\n')).toBe(true);
    expect(comment).toContain('### ❌ blastguard: FAIL — manifests/incident replay.yaml');
    expect(comment).toContain('### ✅ blastguard: pass — manifests/legacy\\-app\\-cleanup.yaml');
    expect(readdirSync(join(dir, 'blastguard-plans')).sort()).toEqual([
      'manifests_incident_replay.yaml.plan.json',
      'manifests_legacy-app-cleanup.yaml.plan.json',
    ]);
    const plan = JSON.parse(readFileSync(join(dir, 'blastguard-plans', 'manifests_legacy-app-cleanup.yaml.plan.json'), 'utf8'));
    expect(plan.verdict).toBe('pass');
  });

  test('a broken manifest: exit 2, and the comment carries the reason', () => {
    const { dir, base, head } = repoWithPr((d) => writeFileSync(join(d, 'manifests', 'bro`ken.yaml'), 'targets: [a\n'));
    const r = runScript(dir, base, head);
    expect(r.code).toBe(2);
    const comment = readFileSync(join(dir, 'blastguard-comment.md'), 'utf8');
    expect(comment).toContain("### ❌ blastguard: cannot check `manifests/bro'ken.yaml`");
    expect(comment).toMatch(/```text\nblastguard: manifests\/bro`ken\.yaml:\d+: not valid YAML/);
  });

  test("the approve job's signing steps, run for real (key file, the action's check, removal): plans signed with the secret", () => {
    const { dir, base } = repoWithPr((d) => writeFileSync(join(d, 'manifests', 'legacy-app-cleanup.yaml'), readFileSync(CLEANUP, 'utf8') + '# reviewed\n'));
    const keys = join(dir, '..', `keys-${process.pid}-${Date.now()}`);
    expect(spawnSync(process.execPath, [BIN, 'keygen', '--out', keys]).status).toBe(0);
    const runnerTemp = join(dir, '..', `runner-temp-${process.pid}-${Date.now()}`);
    mkdirSync(runnerTemp);
    const approve = parse(readFileSync(WORKFLOW, 'utf8')).jobs.approve.steps;
    const named = (name: string) => approve.find((x: any) => x.name === name);
    // GitHub runs `run:` with bash -e; the ${{ }} values are what GitHub would put in the environment.
    const bash = (run: string, env: Record<string, string> = {}) =>
      spawnSync('bash', ['-e', '-c', run], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env, RUNNER_TEMP: runnerTemp } });
    const key = bash(named('Write the signing key').run, { SIGNING_KEY: readFileSync(join(keys, 'blastguard-plan.pem'), 'utf8').trim() });
    expect(key.status).toBe(0);
    expect(statSync(join(runnerTemp, 'blastguard-plan.pem')).mode & 0o777).toBe(0o600);
    const inputs = Object.fromEntries(
      Object.entries<string>(named('Check and sign the merged manifests').with).map(([k, v]) => [
        k,
        v.replace('${{ github.event.before }}', base).replace('${{ runner.temp }}', runnerTemp).replace('snapshot.json', TENANT),
      ]),
    );
    const r = actionStep(dir, 'check', inputs, { BLASTGUARD_BIN: BIN });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.outputs['approved-plans']).toBe('approved-plans/manifests_legacy-app-cleanup.yaml.plan.json');
    expect(bash(named('Remove the signing key').run).status).toBe(0);
    expect(readdirSync(runnerTemp)).toEqual([]);
    const plan = join(dir, 'approved-plans', 'manifests_legacy-app-cleanup.yaml.plan.json');
    expect(JSON.parse(readFileSync(plan, 'utf8')).signature.algorithm).toBe('ed25519');
    const ids = join(dir, 'ids.json');
    writeFileSync(ids, JSON.stringify(JSON.parse(readFileSync(plan, 'utf8')).roots));
    const v = spawnSync(
      process.execPath,
      [BIN, 'verify', '--plan', plan, '--ids', ids, '--graph', TENANT, '--trust-key', join(keys, 'blastguard-plan.pub.pem')],
      { encoding: 'utf8' },
    );
    expect(v.stdout).toContain('(trusted)');
    expect(v.status).toBe(0);
  });

  test('no manifest changed: nothing checked, exit 0, no comment', () => {
    const { dir, base, head } = repoWithPr((d) => writeFileSync(join(d, 'README.md'), 'only docs\n'));
    const r = runScript(dir, base, head);
    expect(r.code).toBe(0);
    expect(r.outputs).toBe('checked=0\nfailed=0\n');
    expect(existsSync(join(dir, 'blastguard-comment.md'))).toBe(false);
  });
});

describe('samples/ci/blastguard.yml', () => {
  const wf = parse(readFileSync(WORKFLOW, 'utf8'));
  const steps: any[] = wf.jobs.check.steps;

  test('runs on pull requests that touch manifests, and may comment', () => {
    expect(wf.on.pull_request.paths).toEqual(['manifests/**']);
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
  });

  test("the check step is blastguard's action (no global install) on the PR's changed manifests, with the names the later steps read", () => {
    const check = steps.find((s) => s.id === 'check');
    expect(check.uses).toMatch(/^[\w.-]+\/blastguard@v0\.1$/);
    expect(JSON.stringify(wf)).not.toContain('npm install --global');
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    // Every input it passes is one the action declares.
    for (const name of Object.keys(check.with)) expect(Object.keys(action.inputs)).toContain(name);
    expect(check.with).toMatchObject({
      manifests: 'manifests/**/*.{yaml,yml,json}',
      since: '${{ github.event.pull_request.base.sha }}',
      graph: 'snapshot.json',
      'comment-file': 'blastguard-comment.md',
      'plan-dir': 'blastguard-plans',
    });
    const post = steps.find((s) => s.uses === 'actions/github-script@v7');
    expect(post.if).toContain("steps.check.outputs.checked != '0'");
    expect(Object.keys(action.outputs)).toContain('checked');
    expect(post.if).toContain('always()');
    expect(post.with.script).toContain("readFileSync('blastguard-comment.md'");
    // The comment it updates is found by the marker the action writes first.
    expect(post.with.script).toContain("const marker = '<!-- blastguard -->'");
    expect(readFileSync(join(ROOT, 'scripts', 'action.mjs'), 'utf8')).toContain("const MARKER = '<!-- blastguard -->'");
    const keep = steps.find((s) => s.uses === 'actions/upload-artifact@v4');
    expect(keep.with.path).toBe('blastguard-plans/');
  });

  test('pull requests are checked without the signing key; only a push to main signs, from an environment', () => {
    expect(wf.jobs.check.if).toBe("github.event_name == 'pull_request'");
    expect(JSON.stringify(wf.jobs.check)).not.toContain('secrets.');
    expect(wf.on.push).toEqual({ branches: ['main'], paths: ['manifests/**'] });
    const approve = wf.jobs.approve;
    expect(approve.if).toBe("github.event_name == 'push'");
    expect(approve.environment).toBe('plan-signing');
    expect(approve.permissions).toEqual({ contents: 'read' });
    const keyStep = approve.steps.find((s: any) => s.name === 'Write the signing key');
    const signStep = approve.steps.find((s: any) => s.name === 'Check and sign the merged manifests');
    const removeStep = approve.steps.find((s: any) => s.name === 'Remove the signing key');
    expect(keyStep.env).toEqual({ SIGNING_KEY: '${{ secrets.BLASTGUARD_SIGNING_KEY }}' });
    expect(signStep.with).toMatchObject({
      since: '${{ github.event.before }}',
      'plan-dir': 'approved-plans',
      'sign-key': '${{ runner.temp }}/blastguard-plan.pem',
    });
    // The key is written owner-only, handed to the action as a file, and removed whatever happens.
    expect(keyStep.run).toContain('umask 077');
    expect(removeStep.if).toBe('always()');
    expect(removeStep.run).toBe('rm -f "$RUNNER_TEMP/blastguard-plan.pem"');
    expect(approve.steps.indexOf(removeStep)).toBe(approve.steps.indexOf(signStep) + 1);
    expect(approve.steps.find((s: any) => s.uses === 'actions/upload-artifact@v4').with.path).toBe('approved-plans/');
  });

  test('the comment script is valid JavaScript', () => {
    const post = steps.find((s) => s.uses === 'actions/github-script@v7');
    // github-script wraps the script in an async function.
    expect(() => new Function('require', 'github', 'context', `return (async () => {\n${post.with.script}\n})`)).not.toThrow();
  });
});
