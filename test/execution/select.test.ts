// Selectors (manifest `select:`) and the target-mismatch rule, through the CLI a reviewer runs.
import { describe, expect, test } from '@jest/globals';
import { matchesWhere, select } from '../../src/engine/select.js';
import { graphOf } from '../helpers/graphs.js';
import { LEGACY_INSTALLS, run, TENANT, tmp, write } from './helpers.js';

describe('selector matching rule', () => {
  test('equality on scalars is strict (no coercion)', () => {
    expect(matchesWhere({ n: 1 }, { n: 1 })).toBe(true);
    expect(matchesWhere({ n: 1 }, { n: '1' })).toBe(false);
    expect(matchesWhere({ b: false }, { b: false })).toBe(true);
    expect(matchesWhere({ b: 0 }, { b: false })).toBe(false);
    expect(matchesWhere({ z: null }, { z: null })).toBe(true);
    expect(matchesWhere({}, { z: null })).toBe(false);
  });
  test('a list is any-of; every key must match', () => {
    expect(matchesWhere({ app: 'b', region: 'eu' }, { app: ['a', 'b'], region: 'eu' })).toBe(true);
    expect(matchesWhere({ app: 'c', region: 'eu' }, { app: ['a', 'b'], region: 'eu' })).toBe(false);
    expect(matchesWhere({ app: 'a', region: 'us' }, { app: ['a', 'b'], region: 'eu' })).toBe(false);
  });
  test('object and array attribute values never match; inherited properties are not attributes', () => {
    expect(matchesWhere({ tags: ['x'] }, { tags: 'x' })).toBe(false);
    expect(matchesWhere({ tags: ['x'] }, { tags: ['x'] })).toBe(false);
    expect(matchesWhere({ o: { a: 1 } }, { o: '[object Object]' })).toBe(false);
    expect(matchesWhere({}, { toString: 'x' })).toBe(false);
    expect(matchesWhere(JSON.parse('{"__proto__": "p"}'), JSON.parse('{"__proto__": "p"}'))).toBe(true);
  });
  test('select over a graph: by type, deduplicated, sorted, first matching selector recorded', () => {
    const g = graphOf({
      schema: { boundary: 'site', relations: {} },
      entities: [
        { id: 'z', type: 'app-install', attributes: { app: 'old' } },
        { id: 'a', type: 'app-install', attributes: { app: 'old' } },
        { id: 'm', type: 'app-install', attributes: { app: 'new' } },
        { id: 'q', type: 'app-data', attributes: { app: 'old' } },
        { id: 'n', type: 'app-install' },
      ],
      relations: [],
    });
    const s = select(g, [{ type: 'app-install', where: { app: 'old' } }, { type: 'app-install', where: { app: ['old', 'new'] } }, { type: 'nothing' }]);
    expect(s.ids).toEqual(['a', 'm', 'z']);
    expect(Object.fromEntries(s.matchedBy)).toEqual({ z: 0, a: 0, m: 1 });
    expect(s.counts).toEqual([2, 3, 0]);
    expect(select(g, [{ type: 'app-install' }]).ids).toEqual(['a', 'm', 'n', 'z']);
  });
});

describe('check with select', () => {
  const dir = tmp();
  const intent = 'intent:\n  rootTypes: [app-install]\n  deleteTypes: [app-install, app-data]\n';

  test('select alone picks the five legacy installs and passes like the hand-made list', () => {
    const m = write(dir, 'select-only.yaml', `select:\n  - type: app-install\n    where: { app: legacy-asset-mgmt }\n${intent}`);
    const r = run(['check', m, '--graph', TENANT, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.roots).toEqual(LEGACY_INSTALLS);
    expect(result.summary.deleted).toBe(14);
  });

  test('any-of over two apps', () => {
    const m = write(dir, 'two-apps.yaml', `select:\n  - type: app-install\n    where: { app: [legacy-asset-mgmt, drawio] }\n`);
    const r = run(['check', m, '--graph', TENANT, '--format', 'json']);
    const roots: string[] = JSON.parse(r.stdout).roots;
    expect(roots.filter((id) => id.endsWith('/drawio'))).toHaveLength(4);
    expect(roots.filter((id) => id.endsWith('/legacy-asset-mgmt'))).toHaveLength(5);
    expect(roots).toHaveLength(9);
  });

  test('targets and select that agree: no target-mismatch', () => {
    const m = write(
      dir,
      'agree.yaml',
      `targets:\n${LEGACY_INSTALLS.map((t) => `  - ${t}\n`).join('')}select:\n  - type: app-install\n    where: { app: legacy-asset-mgmt }\n${intent}`,
    );
    const r = run(['check', m, '--graph', TENANT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS');
  });

  test('target-mismatch reports every ID in one and not the other, both ways', () => {
    // The incident: the list names sites and one install, while the stated intent picks the app's installs.
    const listed = ['site:acme-prod', 'site:globex', LEGACY_INSTALLS[0]];
    const m = write(
      dir,
      'mismatch.yaml',
      `targets:\n${listed.map((t) => `  - ${t}\n`).join('')}select:\n  - type: app-install\n    where: { app: legacy-asset-mgmt }\n${intent}`,
    );
    const r = run(['check', m, '--graph', TENANT, '--format', 'json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    const mismatched = result.violations
      .filter((v: any) => v.rule === 'target-mismatch')
      .map((v: any) => v.entity)
      .sort();
    expect(mismatched).toEqual(['site:acme-prod', 'site:globex', ...LEGACY_INSTALLS.slice(1)].sort());
    // The literal targets are what the script runs, so they are what is planned.
    expect(result.roots).toEqual(listed);
    // Human output is fitted to 80 columns (stdout is a pipe): the messages are read across their line breaks.
    const human = run(['check', m, '--graph', TENANT]).stdout.replace(/\s+/g, ' ');
    expect(human).toContain('"site:acme-prod" (site) is in targets, but no select entry picks it');
    expect(human).toContain(
      '"app-install:globex/jsm/legacy-asset-mgmt" (app-install) is picked by select[0] (app-install where app = "legacy-asset-mgmt"), but is not in targets',
    );
  });

  test('a target that is not in the graph is both unknown-target and target-mismatch', () => {
    const m = write(
      dir,
      'unknown.yaml',
      `targets: [app-install:nowhere, ${LEGACY_INSTALLS.join(', ')}]\nselect:\n  - type: app-install\n    where: { app: legacy-asset-mgmt }\n`,
    );
    const r = run(['check', m, '--graph', TENANT, '--format', 'json']);
    const rules = JSON.parse(r.stdout).violations.map((v: any) => `${v.rule}|${v.entity}`);
    expect(rules).toEqual(['unknown-target|app-install:nowhere', 'target-mismatch|app-install:nowhere']);
  });

  test('a manifest with neither targets nor select is bad input (exit 2, one line)', () => {
    const m = write(dir, 'empty-intent.yaml', 'description: nothing\n');
    const r = run(['check', m, '--graph', TENANT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`blastguard: ${m}:1: a manifest needs "targets", "select", or both\n`);
  });

  test('a where value that is an object is bad input, with its line', () => {
    const m = write(dir, 'bad-where.yaml', 'select:\n  - type: app-install\n    where:\n      app: { nested: 1 }\n');
    const r = run(['check', m, '--graph', TENANT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`blastguard: ${m}:4: select[0].where.app: must be a string, number, boolean or null, or a non-empty list of them\n`);
  });

  test('a selector without type, or with an unknown field, is bad input', () => {
    const m = write(dir, 'bad-select.yaml', 'select:\n  - where: { app: x }\n    typo: 1\n');
    const r = run(['check', m, '--graph', TENANT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('select[0].type: missing required field "type"');
    expect(r.stderr).toContain('select[0].typo: unknown field "typo"');
  });
});
