// The hostile-input harness measures a real child process: these check the measurements themselves.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { workdir } from '../helpers/cli.js';
import { problemLines, runHostile, strayTempFiles, treeState } from '../helpers/hostile-run.js';

describe('hostile-input harness', () => {
  test('a bad input is measured: exit 2, one line, time and peak memory of the child', () => {
    const r = runHostile(['plan', 'x', '--graph', '/nonexistent/graph.json']);
    expect(r.code).toBe(2);
    expect(r.timedOut).toBe(false);
    expect(problemLines(r)).toEqual(['blastguard: /nonexistent/graph.json: file not found']);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.peakMiB).toBeGreaterThan(20); // a Node process: tens of MiB, not kilobytes misread as MiB
    expect(r.peakMiB).toBeLessThan(1024);
  });
  test('the tree fingerprint sees a changed file and a stray temporary file', () => {
    const dir = workdir({ 'a.json': '{}' });
    const before = treeState(dir);
    writeFileSync(join(dir, 'a.json'), '{ }');
    expect(treeState(dir)).not.toBe(before);
    writeFileSync(join(dir, '.a.json.1.2.tmp'), '');
    expect(strayTempFiles(dir)).toEqual(['.a.json.1.2.tmp']);
  });
});
