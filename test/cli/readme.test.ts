// Every command of README.md, run exactly as written: the fenced shell blocks are read from the README itself and
// each line runs under bash in a copy of the repository's inputs, with `npx blastguard` mapped to bin/blastguard by
// an `npx` shim first on PATH. A README command that fails with a usage or input error, or leaves a file in the
// repository, fails here; the exit codes the README announces (`# exit 0`, `# REFUSED, exit 1`) are checked.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced blocks of one language, as their lines. */
function blocks(lang: string): string[][] {
  const out: string[][] = [];
  for (const m of README.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))) out.push(m[1].trimEnd().split('\n'));
  return out;
}

/**
 * Commands that need what a test machine does not give a README reader's shell: a PostgreSQL or Neo4j server (their
 * own suites run those commands' code paths), or a fresh `npm install` (the suite runs after one). Named, so a new
 * README command is never skipped silently.
 */
const NEEDS_SERVER = /postgres:\/\/|bolt:\/\/|\bcreatedb\b|\bpsql\b|^export (PGPASSWORD|NEO4J_PASSWORD)=/;
const NPM_INSTALL = /^npm install\b/;

function git(args: string[]): string {
  return spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout;
}

/** A scratch copy of what the README's commands read, with the built CLI; node_modules and dist linked, not copied. */
function readerCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'blastguard-readme-'));
  for (const d of ['samples', 'bin', 'schemas']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  for (const d of ['dist', 'node_modules']) symlinkSync(join(ROOT, d), join(dir, d), 'dir');
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  // `npx blastguard …` runs this copy's bin/blastguard; any other npx use is a README command this test cannot map.
  mkdirSync(join(dir, '.shim'));
  const shim = join(dir, '.shim', 'npx');
  writeFileSync(
    shim,
    `#!/bin/sh\nif [ "$1" = blastguard ]; then shift; exec "${join(dir, 'bin', 'blastguard')}" "$@"; fi\necho "readme test: npx $1 is not mapped" >&2\nexit 99\n`,
  );
  chmodSync(shim, 0o755);
  return dir;
}

interface Ran {
  line: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runLine(dir: string, line: string): Ran {
  const env: Record<string, string | undefined> = { ...process.env, PATH: `${join(dir, '.shim')}:${process.env.PATH}`, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync('bash', ['-c', line], { cwd: dir, encoding: 'utf8', timeout: 120_000, env });
  return { line, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** "# OK, exit 0" → 0; no announced code → undefined. */
function announcedExit(line: string): number | undefined {
  const m = /#.*\bexit (\d)\b/.exec(line);
  return m ? Number(m[1]) : undefined;
}

describe('README.md commands, run as written', () => {
  const lines = blocks('sh')
    .flat()
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  const runnable = lines.filter((l) => !NEEDS_SERVER.test(l) && !NPM_INSTALL.test(l));

  test('the README has the commands this test expects to run, and names the ones it cannot', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    // The skipped ones are only the server and install commands.
    for (const l of lines.filter((x) => !runnable.includes(x))) expect(l).toMatch(/postgres|bolt|createdb|psql|PGPASSWORD|NEO4J_PASSWORD|npm install/);
  });

  test('every shell command exits as announced (else 0 or 1, never a usage or input error) and leaves nothing in the repository', () => {
    const before = git(['status', '--porcelain', '--untracked-files=all']);
    const dir = readerCopy();
    try {
      const ran = runnable.map((l) => runLine(dir, l));
      for (const r of ran) {
        const want = announcedExit(r.line);
        const got = { line: r.line, code: r.code, stderr: r.stderr.slice(0, 400) };
        if (want !== undefined) expect(got).toEqual({ ...got, code: want });
        else expect([0, 1]).toContain(r.code);
        expect(r.stderr).not.toMatch(/readme test: npx|Run "blastguard --help"|internal error/);
      }
      // What the commands write lands in the scratch directory of the copy, which git ignores in a clone.
      for (const f of ['tenant.json', 'report.html', 'plan.json']) expect(existsSync(join(dir, 'scratch', f))).toBe(true);
      expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^scratch\/$/m);
      // The ingested exports hold the sample tenant's entities (test/ingest checks the rest).
      expect(JSON.parse(readFileSync(join(dir, 'scratch', 'tenant.json'), 'utf8')).entities).toHaveLength(181);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(git(['status', '--porcelain', '--untracked-files=all'])).toBe(before);
  }, 300_000);

  test('the shown `why` output is what the command prints (its words; the terminal width may wrap the lines)', () => {
    const [text] = blocks('text');
    const [command, ...shown] = text;
    expect(command.startsWith('$ npx blastguard why ')).toBe(true);
    const dir = readerCopy();
    try {
      const r = runLine(dir, command.slice(2));
      expect(r.code).toBe(0);
      const words = (s: string) => s.split(/\s+/).filter(Boolean);
      // The README shows the chain; the command goes on with a one-line reading of its last link.
      const want = words(shown.join('\n'));
      expect(words(r.stdout).slice(0, want.length)).toEqual(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the library example runs as written against the package', () => {
    const [js] = blocks('js');
    const dir = readerCopy();
    try {
      // The copy's package.json names the package "blastguard" with its exports: the import resolves to this build.
      writeFileSync(join(dir, 'readme-library.mjs'), js.join('\n') + '\n');
      const r = spawnSync(process.execPath, ['readme-library.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^pass .*'app-install': 1, 'app-data': 2 \}\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the diff pair: samples/schema-change/member-of-cascade.json is the sample tenant but for MEMBER_OF', () => {
    const read = (f: string) => JSON.parse(readFileSync(join(ROOT, 'samples', f), 'utf8'));
    const before = read('tenant.json');
    const after = read('schema-change/member-of-cascade.json');
    expect(after.schema.relations.MEMBER_OF.onDelete).toBe('cascade');
    expect(before.schema.relations.MEMBER_OF.onDelete).toBe('last-owner');
    after.schema.relations.MEMBER_OF = before.schema.relations.MEMBER_OF;
    expect(after).toEqual(before);
  });
});
