// Every deletion whose outcome PostgreSQL 15 itself produced (fixtures/conformance/README.md explains the mapping).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import { graphOf, outcome } from '../helpers/graphs.js';

interface Case {
  snapshot: Snapshot;
  roots: string[];
  expected: { verdict: 'pass' | 'fail'; violations: unknown[]; deleted: string[]; detached: string[] };
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/conformance/postgres-cases.json', import.meta.url), 'utf8')) as Case[];

describe('PostgreSQL conformance', () => {
  test('the fixture holds all 60 cases', () => {
    expect(cases).toHaveLength(60);
    expect(cases.filter((c) => c.expected.verdict === 'fail').length).toBeGreaterThan(0);
  });
  test.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const result = plan(graphOf(c.snapshot), c.roots);
    expect(result.verdict).toBe(c.expected.verdict);
    if (c.expected.verdict === 'pass') {
      const got = outcome(result);
      expect(got.deleted).toEqual([...c.expected.deleted].sort());
      expect(got.detached).toEqual([...c.expected.detached].sort());
      expect(result.violations).toEqual([]);
    } else {
      expect(result.violations.map((v) => v.rule)).toContain('restricted');
      // Only restrict can make PostgreSQL refuse here: there are no sites, protected entities or protect relations.
      expect(new Set(result.violations.map((v) => v.rule))).toEqual(new Set(['restricted']));
    }
  });
});
