// Bookmarks across processes: `ingest --to neo4j --neo4j-bookmarks FILE` writes the load's bookmarks, and every
// command given FILE (or NEO4J_BOOKMARKS) reads only what includes that load. One server only (Neo4j Community): a
// bookmark is always reached at once here, so this checks the plumbing and the refusals, not a follower's wait.
import { expect, test } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasStack, MANIFESTS, run, SAMPLE, workdir } from '../helpers/cli.js';
import { describeNeo4j, useSharedDatabase } from './helpers.js';

const TEST_MS = 240_000;

describeNeo4j('bookmarks between a load and the plans after it', () => {
  let uri: string;
  useSharedDatabase(
    (u) => {
      uri = u;
    },
    { clear: true },
  );

  test(
    'a load writes its bookmarks; plans, why, check and reads given them (file or NEO4J_BOOKMARKS) answer as without them',
    () => {
      const dir = workdir();
      const file = join(dir, 'load.bookmarks');
      const load = run(['ingest', '--to', 'neo4j', '--graph', SAMPLE, '--neo4j-uri', uri, '--neo4j-bookmarks', file]);
      expect(load.code).toBe(0);
      expect(load.stderr).toContain(`wrote the load's bookmark to ${file}`);
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThanOrEqual(1);
      for (const b of lines) expect(b).toMatch(/^\S+$/);
      // Never printed: the bookmark is in the file only.
      expect(load.stderr).not.toContain(lines[0]);

      const commands = [
        ['plan', 'site:globex', '-g', uri, '--backend', 'neo4j', '-f', 'json'],
        ['plan', 'site:globex', '-g', uri, '-f', 'json'],
        ['why', 'site:globex', '--roots', 'site:globex', '-g', uri, '--backend', 'neo4j', '-f', 'json'],
        ['check', join(MANIFESTS, 'incident-replay.yaml'), '-g', uri, '--backend', 'neo4j', '-f', 'json'],
      ];
      for (const args of commands) {
        const plain = run(args);
        const withFile = run([...args, '--neo4j-bookmarks', file]);
        const withEnv = run(args, { env: { NEO4J_BOOKMARKS: lines.join(',') } });
        expect({ args, code: withFile.code, err: withFile.stderr }).toEqual({ args, code: plain.code, err: plain.stderr });
        expect(withFile.stdout).toBe(plain.stdout);
        expect(withEnv.code).toBe(plain.code);
        expect(withEnv.stdout).toBe(plain.stdout);
      }

      // A second load waits for the first's bookmarks and replaces the file with its own.
      const again = run(['ingest', '--to', 'neo4j', '--graph', SAMPLE, '--neo4j-uri', uri, '--neo4j-bookmarks', file, '-q']);
      expect(again.code).toBe(0);
      expect(again.stderr).toBe('');
      const next = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(next.length).toBeGreaterThanOrEqual(1);
      expect(next).not.toEqual(lines);
    },
    TEST_MS,
  );

  test(
    'a bookmarks file that is missing, empty, mangled or not a bookmarks file: one line, exit 2, nothing written',
    () => {
      const dir = workdir();
      const missing = join(dir, 'nope.bookmarks');
      const empty = join(dir, 'empty.bookmarks');
      const mangled = join(dir, 'mangled.bookmarks');
      const notOne = join(dir, 'snapshot.json');
      writeFileSync(empty, '\n');
      writeFileSync(mangled, 'this-is-no-bookmark\n');
      writeFileSync(notOne, '{"schema": {"relations": {}}, "entities": [], "relations": []}\n');
      const plan = ['plan', 'site:globex', '-g', uri, '--backend', 'neo4j'];
      const cases: [string[], Record<string, string> | undefined, string][] = [
        [[...plan, '--neo4j-bookmarks', missing], undefined, `blastguard: ${missing}: cannot read the bookmarks file: no such file`],
        [[...plan, '--neo4j-bookmarks', empty], undefined, `blastguard: ${empty}: holds no bookmark`],
        [[...plan, '--neo4j-bookmarks', notOne], undefined, `blastguard: ${notOne}:1: a bookmark has no spaces or commas`],
        [[...plan, '--neo4j-bookmarks', mangled], undefined, `blastguard: ${uri}: Neo4j refused the bookmarks given`],
        [plan, { NEO4J_BOOKMARKS: 'this-is-no-bookmark' }, `blastguard: ${uri}: Neo4j refused the bookmarks given`],
      ];
      for (const [args, env, message] of cases) {
        const r = run(args, { env });
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(r.stdout).toBe('');
        expect(hasStack(r.stderr)).toBe(false);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toContain(message);
      }
      // A usage mistake: the usage line and the hint to --help, exit 2.
      const usage = run(['plan', 'site:globex', '-g', SAMPLE, '--neo4j-bookmarks', empty]);
      expect(usage.code).toBe(2);
      expect(usage.stderr.split('\n')[0]).toBe('blastguard: --neo4j-bookmarks goes with a Neo4j URI (bolt://… or neo4j://…).');
      // A load refuses to write its bookmarks over its own input, before it writes anything.
      const over = run(['ingest', '--to', 'neo4j', '--graph', notOne, '--neo4j-uri', uri, '--neo4j-bookmarks', notOne]);
      expect(over.code).toBe(2);
      expect(over.stderr).toContain('--neo4j-bookmarks would overwrite');
      // A load given a missing file creates it.
      const fresh = join(dir, 'fresh.bookmarks');
      expect(run(['ingest', '--to', 'neo4j', '--graph', SAMPLE, '--neo4j-uri', uri, '--neo4j-bookmarks', fresh, '-q']).code).toBe(0);
      expect(existsSync(fresh)).toBe(true);
    },
    TEST_MS,
  );
});
