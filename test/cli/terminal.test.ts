// Human output and help as a person sees them, in a real pseudo-terminal of 80 and of 160 columns
// (test/helpers/pty.ts): fitted to the window, verdict in view at the end, IDs whole, help that can be copied.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatsFor } from '../../src/report/formats.js';
import { BIN, ROOT, run, workdir } from '../helpers/cli.js';
import { hasPython, runInPty } from '../helpers/pty.js';

const INCIDENT = ['check', 'samples/manifests/incident-replay.yaml', '--graph', 'samples/tenant.json'];
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
/** Columns a line takes (code points; the output holds no wide characters). */
const cols = (l: string) => [...strip(l)].length;

const pty = hasPython() ? describe : describe.skip;
if (!hasPython()) console.log('terminal tests skipped: python3 with pty and termios is not available');

pty('in a terminal of 80 and of 160 columns', () => {
  const ids: string[] = JSON.parse(run([...INCIDENT, '--format', 'json']).stdout).deleted.map((d: { id: string }) => d.id);

  test.each([80, 160])('the incident replay fits %i columns, ends on its verdict, and cuts no ID', (width) => {
    const r = runInPty([BIN, ...INCIDENT], width, 50, { FORCE_COLOR: '1' }, ROOT);
    expect(r.code).toBe(1);
    const lines = r.screen.split('\n');
    expect(lines.filter((l) => cols(l) > width)).toEqual([]);
    // The terminal took colour: the output is what a person sees, not a pipe's.
    expect(r.screen).toContain('\x1b[');
    // The last rows of a 50-row window hold the verdict, its one-line summary and the violations counted by rule.
    const tail = strip(lines.slice(-8).join('\n'));
    expect(tail).toMatch(/^FAIL {2}samples\/manifests\/incident-replay\.yaml: /m);
    const words = tail.replace(/\s+/g, ' ');
    expect(words).toContain('FAIL samples/manifests/incident-replay.yaml: 4 targets would delete 122 entities in 5 entities of type site — 104 violations');
    expect(words).toContain(
      'This deletion must not run as it stands: 104 violations (root-type: 4, delete-type: 92, cross-boundary: 1, boundary-deleted: 4, protected: 2, max-deleted: 1).',
    );
    // Every ID shown is shown whole on one line (all of them are shorter than a line).
    const text = strip(r.screen);
    for (const id of ids) if (text.includes(id.slice(0, 24))) expect(text).toContain(id);
  });

  test('the same command through a pipe fits 80 columns; --width overrides both', () => {
    const piped = run(INCIDENT);
    expect(piped.stdout.split('\n').filter((l) => cols(l) > 80)).toEqual([]);
    const wide = run([...INCIDENT, '--width', '200']);
    expect(wide.stdout.split('\n').some((l) => cols(l) > 100)).toBe(true);
    const inPty = runInPty([BIN, ...INCIDENT, '--width', '100'], 160, 50, {}, ROOT);
    expect(inPty.screen.split('\n').filter((l) => cols(l) > 100)).toEqual([]);
    const bad = run([...INCIDENT, '--width', '5']);
    expect({ code: bad.code, stderr: bad.stderr.split('\n')[0] }).toEqual({
      code: 2,
      stderr: 'blastguard: --width must be a whole number of columns, at least 20 (got 5)',
    });
  });

  test.each([80, 160])('help at %i columns: the terminal width, examples copyable on one line of their own', (width) => {
    const r = runInPty([BIN, '--help'], width, 50, {}, ROOT);
    expect(r.code).toBe(0);
    const lines = r.screen.split('\n');
    expect(lines.filter((l) => cols(l) > width)).toEqual([]);
    if (width === 160) expect(lines.some((l) => cols(l) > 100)).toBe(true); // not held at 100 any more
    expect(lines).toContain('Examples:');
    // Each example is a comment line, then the command alone: it runs as it is copied.
    expect(lines).toContain('  # what would deleting this site take down?');
    expect(lines).toContain('  blastguard plan site:globex --graph samples/tenant.json');
    // At 160 columns the longer ones stay whole too (at 80, one longer than yargs' 76 columns inside its padding wraps).
    if (width === 160) {
      expect(lines).toContain('  blastguard check samples/manifests/incident-replay.yaml -g samples/tenant.json');
      expect(lines).toContain('  blastguard why user:raj.patel@acme.com -r site:acme-prod -g samples/tenant.json');
    }
  });
});

describe('help text', () => {
  const help = (args: string[]) => run([...args, '--help', '--width', '160']).stdout;

  test('why: one -f, the formats it serves (src/report/formats.ts), and an example that runs', () => {
    const text = help(['why']);
    expect(text.match(/-f, --format/g)).toHaveLength(1);
    expect(text).not.toMatch(/-f, -f/);
    const choices = /\[choices: ([^\]]+)\]/.exec(text.slice(text.indexOf('--format')))![1];
    expect(choices.split(', ').map((c) => JSON.parse(c))).toEqual([...formatsFor('why')]);
    const example = text.split('\n').find((l) => l.startsWith('  blastguard why '))!;
    const r = run(example.trim().split(/\s+/).slice(1));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would be deleted, through');
  });

  test("every command's examples run as shown (those on the sample graph) or at least parse", () => {
    for (const cmd of ['plan', 'check', 'audit', 'report']) {
      const lines = help([cmd]).split('\n');
      const examples = lines.filter((l) => l.startsWith('  blastguard ') && l.includes('samples/'));
      expect(examples.length).toBeGreaterThan(0);
      for (const e of examples) {
        const dir = workdir();
        const args = e
          .trim()
          .split(/\s+/)
          .slice(1)
          .map((a) => (a.endsWith('.html') ? join(dir, a) : a));
        const r = run(args);
        expect({ e, code: r.code === 0 || r.code === 1 }).toEqual({ e, code: true });
      }
    }
  });

  test('plan and report: the required positional shows no "[default: []]"', () => {
    for (const cmd of ['plan', 'report']) expect(help([cmd])).not.toContain('[default: []]');
  });

  test('top-level help has examples', () => {
    expect(help([])).toMatch(/Examples:\n {2}# .+\n {2}blastguard check samples\/manifests\/incident-replay\.yaml -g samples\/tenant\.json\n/);
  });
});

describe('words', () => {
  test('verify says "the 1 ID is exactly the target", not "the 1 IDs"', () => {
    const dir = workdir();
    const plan = join(dir, 'plan.json');
    const id = 'app-install:acme-prod/jsm/legacy-asset-mgmt';
    expect(run(['plan', id, '--graph', 'samples/tenant.json', '--out', plan]).code).toBe(0);
    const r = run(['verify', '--plan', plan, '--ids', '-', '--graph', 'samples/tenant.json'], { input: `${id}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK {2}the 1 ID is exactly the target of the approved plan/);
    expect(r.stdout).toContain('IDs      1 ID given, 1 approved target');
    expect(r.stdout).not.toMatch(/1 IDs/);
  });

  test('audit: the count of entities of no site in the header adds up with the no-site findings', () => {
    const r = run(['audit', '--graph', 'samples/tenant.json']);
    const m = /(\d+) entities belong to no site: (\d+) above the site entities \(what they belong to\), (\d+) listed under no-site/.exec(
      r.stdout.replace(/\s+/g, ' '),
    )!;
    expect(m).not.toBeNull();
    expect(Number(m[2]) + Number(m[3])).toBe(Number(m[1]));
    const findings = JSON.parse(run(['audit', '--graph', 'samples/tenant.json', '--format', 'json']).stdout).findings;
    expect(findings.filter((f: { rule: string }) => f.rule === 'no-site')).toHaveLength(Number(m[3]));
  });
});

describe('docs/terminal captures', () => {
  test.each(['incident-replay-80', 'incident-replay-160'])('%s.txt is what the CLI prints now', (name) => {
    if (!hasPython()) return;
    const width = Number(name.split('-').at(-1));
    const saved = readFileSync(join(ROOT, 'docs', 'terminal', `${name}.txt`), 'utf8');
    const now = strip(runInPty([BIN, ...INCIDENT], width, 50, { FORCE_COLOR: '1' }, ROOT).screen);
    expect(saved.slice(saved.indexOf('\n') + 1)).toBe(now);
  });
});
