// Hand-checked expectations (computed by reasoning through the rules, not by running any engine).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import { graphOf, outcome } from '../helpers/graphs.js';

interface HandCase {
  description: string;
  snapshot?: Snapshot;
  roots: string[];
  expected: { deleted: string[]; detached: string[]; spared: string[]; violationRules: string[] };
}

const dir = new URL('../fixtures/hand/', import.meta.url);
const sample = JSON.parse(readFileSync(new URL('../../samples/tenant.json', import.meta.url), 'utf8')) as Snapshot;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('hand-checked plans', () => {
  test('there are fixtures', () => expect(files.length).toBeGreaterThanOrEqual(8));
  test.each(files)('%s', (file) => {
    const c = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as HandCase;
    const result = plan(graphOf(c.snapshot ?? sample), c.roots);
    expect(outcome(result)).toEqual({ deleted: c.expected.deleted, detached: c.expected.detached, spared: c.expected.spared });
    const rules = [...new Set(result.violations.map((v) => v.rule))].sort();
    expect(rules).toEqual([...c.expected.violationRules].sort());
  });
});
