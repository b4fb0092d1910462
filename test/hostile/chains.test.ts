// Long chains times many violations, through the real CLI: one cascade chain of 20,000 entities whose 19,999
// members each break the intent (delete-type). A chain of 100,000 used to need 5·10^9 chain links and died out of
// memory (exit 134). Every format now answers exit 1 with every violation counted, in bounded time and memory;
// --full prints a long chain whole, streamed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workdir } from '../helpers/cli.js';
import { writeCascadeChain } from '../helpers/graphs.js';
import { runHostile, type HostileRun } from '../helpers/hostile-run.js';

// 20,000 links is enough to catch the quadratic failure: a chain per violation would be N²/2 = 2·10^8 links (at
// least 8 bytes each, 1.6 GB: far over MIB below, and gigabytes of JSON over the size bounds), while the linear
// answer costs about a second. The 100,000 this file used first made every run cost 4 s for no stronger proof.
const LINKS = 20_000;
const VIOLATIONS = LINKS - 1;
/** "19,999": a count as the reports print it. */
const n = (x: number) => x.toLocaleString('en-US');
/** Seconds and MiB a CI runner may spend on one run (idle: about 2 s and 150 MiB; the machine is shared). */
const SECONDS = 90;
const MIB = 1024;

let dir = '';
const at = (name: string) => join(dir, name);

const writeChain = (path: string, last: string) => writeCascadeChain(path, LINKS, last);

beforeAll(() => {
  dir = workdir();
  writeChain(at('chain.json'), 'thing');
  writeChain(at('chain-leaf.json'), 'leaf');
  // Every thing is a delete-type violation; in the second graph only the last entity (a leaf), at the chain's end.
  writeFileSync(at('m.yaml'), 'targets: [e0]\nintent: { deleteTypes: [site] }\n');
  writeFileSync(at('one.yaml'), 'targets: [e0]\nintent: { deleteTypes: [site, thing] }\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Exit 1 (the plan fails), nothing on stderr, in bounded time and memory. */
function expectAnswered(r: HostileRun): void {
  expect({ code: r.code, timedOut: r.timedOut, stderr: r.stderr }).toEqual({ code: 1, timedOut: false, stderr: '' });
  expect(r.seconds).toBeLessThan(SECONDS);
  expect(r.peakMiB).toBeLessThan(MIB);
}

const check = (format: string, ...more: string[]) =>
  runHostile(['check', 'm.yaml', '--graph', 'chain.json', '-q', '--format', format, ...more], { cwd: dir, timeout: SECONDS + 30 });

describe(`${n(VIOLATIONS)} delete-type violations under one ${n(LINKS)}-long cascade chain`, () => {
  test('human: the headline and the rule group count every violation; chains by their ends', () => {
    const r = check('human');
    expectAnswered(r);
    // Lines fitted to 80 columns (stdout is not a terminal): the words, whatever line they fall on.
    const words = r.stdout.replace(/\s+/g, ' ');
    expect(words).toContain(`1 target would delete ${n(LINKS)} entities in 1 entity of type site — ${n(VIOLATIONS)} violations`);
    expect(words).toMatch(new RegExp(`✖ delete-type .*\\(${n(VIOLATIONS)} — thing: ${n(VIOLATIONS)}\\)`));
    expect(r.stdout).toContain(`… and ${n(VIOLATIONS - 5)} more delete-type`);
    expect(words).toMatch(new RegExp(`This deletion must not run as it stands: ${n(VIOLATIONS)} violations \\(delete-type: ${n(VIOLATIONS)}\\)\\. $`));
    expect(r.stdout.length).toBeLessThan(64 * 1024);
  }, 180_000);

  test('json: every violation listed with its entity; long chains by their ends and chainLength', () => {
    const r = check('json');
    expectAnswered(r);
    expect(r.stdout.startsWith('{\n  "verdict": "fail",')).toBe(true);
    expect(count(r.stdout, '"rule": "delete-type"')).toBe(VIOLATIONS);
    // Each entity e1 … e19999 is named as a violation's entity exactly once.
    const entities = new Set<string>();
    for (const m of r.stdout.matchAll(/"entity": "(e\d+)"/g)) entities.add(m[1]);
    expect(entities.size).toBe(VIOLATIONS);
    expect(entities.has('e1') && entities.has(`e${LINKS - 1}`)).toBe(true);
    // Chains of 13 links or more (e12 … e19999) carry their length; the shorter ones are whole.
    expect(count(r.stdout, '"chainLength": ')).toBe(VIOLATIONS - 11);
    expect(r.stdout).toContain(`"chainLength": ${LINKS}\n`);
    // Linear in the violations (about 1.8 kB each), not quadratic (about 20 TB).
    expect(r.stdout.length).toBeLessThan(VIOLATIONS * 2500);
    const summary = /"summary": \{\n {4}"deleted": (\d+),/.exec(r.stdout);
    expect(summary?.[1]).toBe(String(LINKS));
  }, 180_000);

  test('markdown: the group counts every violation', () => {
    const r = check('markdown');
    expectAnswered(r);
    expect(r.stdout).toContain(`1 target would delete ${n(LINKS)} entities in 1 entity of type site — ${n(VIOLATIONS)} violations.`);
    expect(r.stdout).toContain(`**delete-type** — deleted entities of a type the intent does not allow (${n(VIOLATIONS)})`);
    expect(r.stdout).toContain(`| Violations | ${n(VIOLATIONS)} |`);
  }, 180_000);

  test('github: one annotation for the manifest line, counting every violation', () => {
    const r = check('github');
    expectAnswered(r);
    expect(r.stdout).toContain(`title=blastguard%3A delete-type (${encodeURIComponent(n(VIOLATIONS))})`);
    expect(r.stdout).toContain(`… and ${n(VIOLATIONS - 1)} more delete-type`);
  }, 180_000);

  test('sarif: one result per violation, long chains by their ends and chainLength', () => {
    const r = check('sarif');
    expectAnswered(r);
    expect(count(r.stdout, '"ruleId": "delete-type"')).toBe(VIOLATIONS);
    expect(count(r.stdout, '"chainLength": ')).toBe(VIOLATIONS - 11);
    expect(r.stdout.length).toBeLessThan(VIOLATIONS * 3000);
  }, 180_000);
});

describe(`one violation at the end of a ${n(LINKS)}-long chain: elided by default, whole with --full`, () => {
  const checkOne = (format: string, ...more: string[]) =>
    runHostile(['check', 'one.yaml', '--graph', 'chain-leaf.json', '-q', '--format', format, ...more], { cwd: dir, timeout: SECONDS + 30 });

  test('human: "… N − 10 more links …" by default; --full prints every link, indentation capped', () => {
    const short = checkOne('human');
    expectAnswered(short);
    expect(short.stdout).toContain(`… ${n(LINKS - 10)} more links …`);
    const full = checkOne('human', '--full');
    expectAnswered(full);
    expect(full.stdout).not.toContain('more links');
    const links = full.stdout.split('\n').filter((l) => /^ +└ e\d+ \[(thing|leaf)\]/.test(l));
    expect(links).toHaveLength(LINKS - 1);
    // At 80 columns (a pipe) the deepest lines keep the last 56 columns of their indent; the relation may wrap.
    expect(links[links.length - 1]).toContain(`└ e${LINKS - 1} [leaf]`);
    expect(full.stdout).toMatch(new RegExp(`└ e${LINKS - 1} \\[leaf\\] {2}IN,\\s+cascade\\n`));
    expect(Math.max(...links.map((l) => l.length))).toBeLessThan(200);
  }, 180_000);

  test('markdown --full: the whole chain on its line; json: its ends and chainLength', () => {
    const md = checkOne('markdown', '--full');
    expectAnswered(md);
    expect(md.stdout).not.toContain('more links');
    expect(md.stdout).toContain(`← IN ← \`e${LINKS / 2}\` (thing) ← IN ← \`e${LINKS / 2 + 1}\` (thing)`);
    const json = checkOne('json');
    expectAnswered(json);
    const v = (JSON.parse(json.stdout) as { violations: { rule: string; entity: string; chain: { id: string }[]; chainLength?: number }[] }).violations;
    expect(v).toHaveLength(1);
    expect({ rule: v[0].rule, entity: v[0].entity, chainLength: v[0].chainLength }).toEqual({
      rule: 'delete-type',
      entity: `e${LINKS - 1}`,
      chainLength: LINKS,
    });
    expect(v[0].chain.map((l) => l.id)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', ...[5, 4, 3, 2, 1].map((k) => `e${LINKS - k}`)]);
  }, 180_000);
});
