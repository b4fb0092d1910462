#!/usr/bin/env node
// The steps of the GitHub Action (action.yml at the repository root), as one script with no dependencies, so that
// it runs the same on a runner and in a test (test/package/): `install` puts the blastguard package into a private
// prefix, `check` checks the matching manifests with it and writes the step's outputs and summary.
//
//   node scripts/action.mjs install    env: INPUT_PACKAGE (npm spec; default blastguard@<this checkout's version>),
//                                            RUNNER_TEMP, GITHUB_ENV (receives BLASTGUARD_BIN)
//   node scripts/action.mjs check      env: INPUT_MANIFESTS (globs or paths, one a line or comma-separated),
//                                            INPUT_GRAPH, INPUT_FORMATS (comma-separated check formats),
//                                            INPUT_SINCE (a commit: only manifests changed since it), INPUT_PLAN_DIR,
//                                            INPUT_REPORT_DIR, INPUT_COMMENT_FILE, INPUT_SIGN_KEY (a key file),
//                                            BLASTGUARD_BIN, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY
//
// Outputs of `check`: verdict (pass, fail or error: the worst over all manifests; `none` when none matched),
// checked and failed (counts), approved-plans (the plans of the passing manifests) and reports (paths, one a line), comment-file (Markdown with the
// marker line the sample workflow uses to update its own pull-request comment). Exit code: 0 pass or none,
// 1 any violation, 2 input the tool cannot judge (nothing is guessed).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '<!-- blastguard -->';
/** File extension of each report format `check` can write (github goes to the log as annotations instead). */
const EXT = { human: 'txt', json: 'json', markdown: 'md', sarif: 'sarif', junit: 'xml', dot: 'dot', mermaid: 'mmd', graphology: 'graphology.json' };
const VERDICT = ['pass', 'fail', 'error'];

const input = (name, fallback = '') => (process.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim() || fallback;
const list = (text) =>
  text
    .split(/\n|,(?![^{]*\})/) // a comma inside {a,b} belongs to the glob
    .map((s) => s.trim())
    .filter(Boolean);

/** Appends `name=value` to the GitHub file `file` (multi-line values with a random delimiter, as GitHub documents). */
function setOutput(file, name, value) {
  if (!file) return;
  const text = String(value);
  if (!text.includes('\n')) return appendFileSync(file, `${name}=${text}\n`);
  const delimiter = `blastguard_${randomBytes(8).toString('hex')}`;
  appendFileSync(file, `${name}<<${delimiter}\n${text}\n${delimiter}\n`);
}

/** A glob as a regular expression over '/'-separated relative paths: `**`, `*`, `?`, `{a,b}`. */
function globRegex(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:[^/]*/)*'; // zero or more directories
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((alt) => alt.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Every file under `dir` (relative, '/'-separated), skipping .git and node_modules. */
function walk(dir, base = dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git' || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(path, base, out);
    else if (e.isFile()) out.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

/** The manifests the patterns name, sorted; only those changed since `since` when it is set. */
function manifestsOf(patterns, since) {
  const files = walk(process.cwd());
  const matched = new Set();
  for (const p of patterns) {
    const re = globRegex(p.replace(/^\.\//, ''));
    for (const f of files) if (re.test(f)) matched.add(f);
  }
  if (!since) return [...matched].sort();
  const r = spawnSync('git', ['diff', '-z', '--name-only', '--diff-filter=ACMR', `${since}...HEAD`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git diff ${since}...HEAD failed: ${r.stderr.trim()}`);
  const changed = new Set(r.stdout.split('\0').filter(Boolean));
  return [...matched].filter((f) => changed.has(f)).sort();
}

function install() {
  const here = join(dirname(fileURLToPath(import.meta.url)), '..');
  const version = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).version;
  const spec = input('package', `blastguard@${version}`);
  const prefix = join(process.env.RUNNER_TEMP || join(here, '.action'), 'blastguard');
  mkdirSync(prefix, { recursive: true });
  // A private project of its own: production dependencies only, nothing from the repository being checked.
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  const r = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', spec], { cwd: prefix, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`blastguard action: npm install ${spec} failed (exit ${r.status})\n`);
    return 2;
  }
  const bin = join(prefix, 'node_modules', '.bin', 'blastguard');
  setOutput(process.env.GITHUB_ENV, 'BLASTGUARD_BIN', bin);
  setOutput(process.env.GITHUB_OUTPUT, 'bin', bin);
  process.stdout.write(`blastguard action: installed ${spec} (${bin})\n`);
  return 0;
}

/** Runs blastguard; the exit code and both streams. */
function blastguard(args) {
  const bin = process.env.BLASTGUARD_BIN || 'blastguard';
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) return { code: 2, stdout: '', stderr: `cannot run ${bin}: ${r.error.message}\n` };
  return { code: r.status ?? 2, stdout: r.stdout, stderr: r.stderr };
}

function check() {
  const graph = input('graph');
  const patterns = list(input('manifests'));
  if (!graph || !patterns.length) {
    process.stderr.write('blastguard action: the inputs `manifests` and `graph` are required\n');
    return 2;
  }
  const formats = list(input('formats', 'github,markdown'));
  const planDir = input('plan-dir', 'blastguard-plans');
  const reportDir = input('report-dir', 'blastguard-reports');
  const commentFile = input('comment-file', 'blastguard-comment.md');
  const signKey = input('sign-key');
  const manifests = manifestsOf(patterns, input('since'));
  const plans = [];
  const reports = [];
  let worst = -1;
  let failed = 0;
  const comment = [MARKER, `## blastguard: ${manifests.length} deletion manifest(s) checked`, ''];
  for (const m of manifests) {
    const slug = m.replace(/[/\\ ]/g, '_');
    const plan = join(planDir, `${slug}.plan.json`);
    mkdirSync(planDir, { recursive: true });
    // The first run writes the approved plan (signed when a key is given); each format is one more run.
    const first = blastguard([
      'check',
      m,
      '--graph',
      graph,
      '--quiet',
      '--format',
      formats[0] ?? 'human',
      '--out',
      plan,
      ...(signKey ? ['--sign-key', signKey] : []),
    ]);
    let code = first.code;
    for (const [i, format] of formats.entries()) {
      const r = i === 0 ? first : blastguard(['check', m, '--graph', graph, '--quiet', '--format', format]);
      code = Math.max(code, r.code);
      if (r.code === 2) {
        // Bad input prints nothing on stdout: say so, with blastguard's one-line reasons.
        process.stderr.write(r.stderr);
        comment.push(`### ❌ blastguard: cannot check \`${m.replace(/`/g, "'")}\``, '', '```text', r.stderr.replace(/```/g, '` ` `').trimEnd(), '```', '');
        break;
      }
      if (format === 'github') process.stdout.write(r.stdout);
      else {
        mkdirSync(reportDir, { recursive: true });
        const file = join(reportDir, `${slug}.${EXT[format] ?? format}`);
        writeFileSync(file, r.stdout);
        reports.push(file);
        if (format === 'markdown') comment.push(r.stdout.trimEnd(), '');
      }
    }
    if (code === 0) plans.push(plan); // approved: only a passing check's plan
    if (code !== 0) failed++;
    worst = Math.max(worst, code);
    process.stdout.write(`blastguard: ${m}: ${VERDICT[code] ?? 'error'}\n`);
  }
  const verdict = worst < 0 ? 'none' : (VERDICT[worst] ?? 'error');
  if (manifests.length) writeFileSync(commentFile, `${comment.join('\n')}\n`);
  const out = process.env.GITHUB_OUTPUT;
  setOutput(out, 'verdict', verdict);
  setOutput(out, 'checked', manifests.length);
  setOutput(out, 'failed', failed);
  setOutput(out, 'approved-plans', plans.join('\n'));
  setOutput(out, 'reports', reports.join('\n'));
  setOutput(out, 'comment-file', manifests.length ? commentFile : '');
  if (process.env.GITHUB_STEP_SUMMARY)
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, manifests.length ? `${comment.slice(1).join('\n')}\n` : '## blastguard: no deletion manifest matched\n');
  process.stdout.write(`blastguard: ${manifests.length} manifest(s) checked, ${failed} failed: ${verdict}\n`);
  return Math.max(worst, 0);
}

const step = process.argv[2];
if (step === 'install') process.exitCode = install();
else if (step === 'check') process.exitCode = check();
else {
  process.stderr.write('usage: node scripts/action.mjs install|check\n');
  process.exitCode = 2;
}
