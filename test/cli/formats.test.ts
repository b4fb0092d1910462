// Every command's --format choices come from one table (src/report/formats.ts): its help offers exactly what it
// serves, once, and any other format is yargs' "Invalid values" (exit 2) before anything is read.
import { describe, expect, test } from '@jest/globals';
import { FORMATS, formatsFor, type FormatCommand } from '../../src/report/formats.js';
import { MANIFESTS, run, SAMPLE } from '../helpers/cli.js';

/** The --format line(s) of a command's help, with the choices yargs prints. */
function formatHelp(command: FormatCommand): { flags: string; choices: string[] } {
  const help = run([command, '--help']).stdout;
  const start = help.indexOf('--format');
  expect(start).toBeGreaterThan(0);
  const lineStart = help.lastIndexOf('\n', start) + 1;
  const block = help.slice(lineStart, help.indexOf(']', help.indexOf('[choices:', start)) + 1);
  const flags = help.slice(lineStart, start + '--format'.length).trim();
  const choices = [...block.slice(block.indexOf('[choices:')).matchAll(/"([a-z]+)"/g)].map((m) => m[1]);
  return { flags, choices };
}

describe('output formats as data', () => {
  test('the table names each format once, each served by at least one command', () => {
    const names = FORMATS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of FORMATS) expect(f.commands.length).toBeGreaterThan(0);
    // The pictures draw the graph's relations: they are the formats that need it.
    expect(FORMATS.filter((f) => 'needs' in f && f.needs === 'graph').map((f) => f.name)).toEqual(['dot', 'mermaid', 'graphology']);
  });

  test.each(['plan', 'check', 'why', 'diff', 'verify', 'audit'] as const)('%s --help offers exactly the formats it serves, with -f once', (command) => {
    const { flags, choices } = formatHelp(command);
    expect(flags).toBe('-f, --format');
    expect(choices).toEqual([...formatsFor(command)]);
  });

  test('why serves text only: a picture format is refused by the parser, exit 2, one line', () => {
    expect(formatsFor('why')).toEqual(['human', 'json', 'markdown']);
    const r = run(['why', 'user:dana', '--roots', 'site:acme-prod', '--graph', SAMPLE, '--format', 'dot']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^blastguard: Invalid values:.*Argument: format, Given: "dot", Choices: "human", "json", "markdown"\n/);
  });

  test('a format only audit serves (html) is refused by check', () => {
    const r = run(['check', `${MANIFESTS}/legacy-app-cleanup.yaml`, '--graph', SAMPLE, '--format', 'html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid values');
  });

  test('every format a command serves is accepted by it', () => {
    for (const format of formatsFor('why')) {
      const r = run(['why', 'user:dana', '--roots', 'site:acme-prod', '--graph', SAMPLE, '--format', format]);
      expect([0, 1]).toContain(r.code);
      expect(r.stdout.length).toBeGreaterThan(0);
    }
  });
});
