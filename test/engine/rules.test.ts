// The rule registries against everything that lists rules (README, docs, JSON Schemas, every module file), and one
// case per rule that makes it fire: a rule added without its case, its row or its schema entry fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { audit, AUDIT_RULE_HELP, AUDIT_RULES, type AuditResult, type AuditRule } from '../../src/engine/audit.js';
import { AUDIT_RULE_MODULES } from '../../src/engine/audit-rules/index.js';
import { checkManifest } from '../../src/engine/check.js';
import { plan } from '../../src/engine/plan.js';
import type { PlanResult, RuleName } from '../../src/engine/result.js';
import { RULE_ANCHORS, RULE_HELP, RULE_MODULES, RULES } from '../../src/engine/rules/index.js';
import { yamlLocator } from '../../src/model/locate.js';
import type { Manifest, Snapshot } from '../../src/model/types.js';
import { manifestAnchors } from '../../src/report/anchors.js';
import { graphOf } from '../helpers/graphs.js';

const root = new URL('../../', import.meta.url);
const text = (path: string) => readFileSync(new URL(path, root), 'utf8');
const sample = JSON.parse(text('samples/tenant.json')) as Snapshot;
const g = graphOf(sample);
const DEEP = graphOf({
  schema: { boundary: 'site', maxCascadeDepth: 14, relations: { PARENT: { onDelete: 'cascade' } } },
  entities: Array.from({ length: 17 }, (_, i) => ({ id: `row:${i}`, type: 'row' })),
  relations: Array.from({ length: 16 }, (_, i) => ({ from: `row:${i + 1}`, type: 'PARENT', to: `row:${i}` })),
});

/** The backticked names in the first column of the first markdown table at or after the line matching `at`. */
function tableNames(markdown: string, at: RegExp): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => at.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.startsWith('|')) rows.push(line);
    else if (rows.length) break;
  }
  return rows.slice(2).flatMap((r) => [...r.split('|')[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

/** The exported values of every module file in a folder, but for the listed support files. */
async function moduleExports(folder: string, support: string[]): Promise<{ file: string; values: unknown[] }[]> {
  const dir = new URL(folder, root);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !support.includes(f));
  return Promise.all(files.map(async (file) => ({ file, values: Object.values(await import(new URL(file, dir).href)) })));
}

describe('the plan-rule registry', () => {
  test('names and orders are unique, and RULES, the help and the anchors list every rule in order', () => {
    expect(new Set(RULES).size).toBe(RULES.length);
    expect(new Set(RULE_MODULES.map((r) => r.order)).size).toBe(RULE_MODULES.length);
    expect(RULE_MODULES.map((r) => r.order)).toEqual([...RULE_MODULES.map((r) => r.order)].sort((a, b) => a - b));
    expect(Object.keys(RULE_HELP)).toEqual([...RULES]);
    expect(Object.keys(RULE_ANCHORS)).toEqual([...RULES]);
    for (const r of RULE_MODULES) {
      expect(r.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(r.help.length).toBeGreaterThan(10);
      expect(r.help).not.toMatch(/\n/);
    }
  });

  test('every module in src/engine/rules/ is registered, once', async () => {
    const mods = await moduleExports('src/engine/rules/', ['index.ts', 'types.ts', 'blockers.ts']);
    const registered = new Set<unknown>(RULE_MODULES);
    for (const { file, values } of mods) {
      const rules = values.filter((v) => registered.has(v));
      expect([file, rules.length]).toEqual([file, 1]);
      expect([file, (rules[0] as { name: string }).name]).toEqual([file, file.replace(/\.ts$/, '')]);
    }
    expect(mods).toHaveLength(RULES.length);
  });

  test("the README's Violations table names exactly the registry's rules", () => {
    const names = tableNames(text('README.md'), /^### Violations$/);
    expect([...names].sort()).toEqual([...RULES].sort());
  });

  test("the result schema's rule list is the registry's, in report order", () => {
    const schema = JSON.parse(text('schemas/plan-result.schema.json'));
    const rule = schema.properties.violations.items.properties.rule;
    const listed = /^Stable rule name: (.*) \(and rules added by later features\)\.$/.exec(rule.description);
    expect(listed).not.toBeNull();
    expect(listed![1].split(', ')).toEqual([...RULES]);
    if (rule.enum) expect(rule.enum).toEqual([...RULES]);
  });

  test('violations come in registry order, each rule in the order it found them', () => {
    const r = checkManifest(g, {
      targets: ['site:acme-sandbox', 'product:acme-prod/jira-software', 'app:legacy-asset-mgmt', 'nope:missing'],
      select: [{ type: 'site' }],
      mode: 'permanent',
      intent: { rootTypes: ['product'], deleteTypes: ['product'] },
      limits: { maxDeleted: 1, maxSites: 0 },
    }).result;
    const rank = (v: { rule: string }) => RULES.indexOf(v.rule as RuleName);
    const ranks = r.violations.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(r.violations.map((v) => v.rule)).size).toBeGreaterThanOrEqual(10);
  });
});

// One case per rule: what makes it fire on the sample tenant, and the entity it names (null for plan-wide rules).
// Typed by RuleName: a new rule does not compile (npm run typecheck) until it has its case.
const SITE_MANIFEST: Manifest = { targets: ['site:acme-sandbox'] };
const FIRES: Record<RuleName, { run: () => PlanResult; entity: string | null }> = {
  'unknown-target': { run: () => plan(g, ['site:nowhere']), entity: 'site:nowhere' },
  'target-mismatch': {
    run: () => checkManifest(g, { targets: ['app:legacy-asset-mgmt'], select: [{ type: 'app', where: { vendor: 'nobody' } }] }).result,
    entity: 'app:legacy-asset-mgmt',
  },
  'root-type': { run: () => plan(g, ['site:acme-sandbox'], { intent: { rootTypes: ['app-install'] } }), entity: 'site:acme-sandbox' },
  'delete-type': {
    run: () => plan(g, ['project:acme-prod/WEB'], { intent: { deleteTypes: ['project'] } }),
    entity: 'issue:acme-prod/WEB-101',
  },
  'cross-boundary': { run: () => plan(g, ['product:acme-prod/jira-software']), entity: 'connection:acme-prod/jira-software~acme-eu/confluence' },
  'root-boundary': {
    run: () => plan(g, ['product:acme-prod/jira-software', 'product:acme-eu/confluence']),
    entity: 'connection:acme-prod/jira-software~acme-eu/confluence',
  },
  'boundary-deleted': { run: () => plan(g, ['site:acme-sandbox']), entity: 'site:acme-sandbox' },
  protected: { run: () => plan(g, ['user:billing-admin@initech.com']), entity: 'user:billing-admin@initech.com' },
  restricted: { run: () => plan(g, ['app:legacy-asset-mgmt']), entity: 'app-install:acme-prod/jira-software/legacy-asset-mgmt' },
  'permanent-scope': { run: () => checkManifest(g, { ...SITE_MANIFEST, mode: 'permanent' }).result, entity: 'site:acme-sandbox' },
  'permanent-unrehearsed': { run: () => checkManifest(g, { ...SITE_MANIFEST, mode: 'permanent' }).result, entity: null },
  'max-deleted': { run: () => plan(g, ['site:acme-sandbox'], { limits: { maxDeleted: 1 } }), entity: null },
  'max-sites': { run: () => plan(g, ['site:acme-sandbox'], { limits: { maxSites: 0 } }), entity: null },
  // A cascade chain 16 rows long under a database that carries out 14 levels (InnoDB): row 15 is the 15th level.
  'cascade-depth': { run: () => plan(DEEP, ['row:0']), entity: 'row:16' },
};

describe('every plan rule fires where it should', () => {
  test('there is a case for every rule', () => expect(Object.keys(FIRES).sort()).toEqual([...RULES].sort()));
  test.each([...RULES])('%s', (rule) => {
    const c = FIRES[rule];
    const r = c.run();
    expect(r.verdict).toBe('fail');
    const mine = r.violations.filter((v) => v.rule === rule);
    expect(mine.map((v) => v.entity)).toContain(c.entity);
    for (const v of mine) {
      expect(v.message.length).toBeGreaterThan(10);
      // A violation about an entity carries its proof from a root; plan-wide ones carry none.
      if (v.entity === null || rule === 'unknown-target') expect(v.chain).toEqual([]);
      else if (v.chain.length) expect(v.chain[0].relation).toBeNull();
    }
  });
});

describe('anchors: where each rule points in a manifest', () => {
  const yaml = [
    'targets:',
    '  - site:acme-sandbox', // line 2
    'mode: permanent', // line 3
    'limits:',
    '  maxDeleted: 1', // line 5
    '  maxSites: 0', // line 6
  ].join('\n');
  const manifest: Manifest = { targets: ['site:acme-sandbox'], mode: 'permanent', limits: { maxDeleted: 1, maxSites: 0 } };
  const result = checkManifest(g, manifest).result;
  const anchors = manifestAnchors('m.yaml', manifest, yamlLocator(yaml));
  const lineOf = (rule: RuleName) => anchors.lineOf(result.violations.find((v) => v.rule === rule)!);
  test('a field of the manifest for limits and rehearsals, the target line for the rest', () => {
    expect(lineOf('max-deleted')).toBe(5);
    expect(lineOf('max-sites')).toBe(6);
    expect(lineOf('permanent-unrehearsed')).toBe(3);
    expect(lineOf('boundary-deleted')).toBe(2);
    expect(lineOf('permanent-scope')).toBe(2);
  });
  test('the anchor of a rehearsal problem is the rehearsal line when the manifest names one', () => {
    expect(RULE_ANCHORS['permanent-unrehearsed']).not.toBe('target');
    const anchor = RULE_ANCHORS['permanent-unrehearsed'] as (m: Manifest) => readonly (string | number)[];
    expect(anchor({ ...manifest, rehearsal: 'soft.json' })).toEqual(['rehearsal']);
    expect(anchor(manifest)).toEqual(['mode']);
  });
});

describe('the audit-rule registry', () => {
  test('names and orders are unique; AUDIT_RULES and the help list every rule in order', () => {
    expect(new Set(AUDIT_RULES).size).toBe(AUDIT_RULES.length);
    expect(new Set(AUDIT_RULE_MODULES.map((r) => r.order)).size).toBe(AUDIT_RULE_MODULES.length);
    expect(Object.keys(AUDIT_RULE_HELP)).toEqual([...AUDIT_RULES]);
  });

  test('every module in src/engine/audit-rules/ is registered, once', async () => {
    const mods = await moduleExports('src/engine/audit-rules/', ['index.ts', 'types.ts']);
    const registered = new Set<unknown>(AUDIT_RULE_MODULES);
    for (const { file, values } of mods) {
      const rules = values.filter((v) => registered.has(v));
      expect([file, rules.length]).toEqual([file, 1]);
      expect([file, (rules[0] as { name: string }).name]).toEqual([file, file.replace(/\.ts$/, '')]);
    }
    expect(mods).toHaveLength(AUDIT_RULES.length);
  });

  test("docs/review.md's table and the baseline schema name exactly the registry's rules", () => {
    const names = tableNames(text('docs/review.md'), /^\| rule \| what it finds \|$/);
    expect(names.sort()).toEqual([...AUDIT_RULES].sort());
    const schema = text('schemas/audit-baseline.schema.json');
    const enumList = /"enum": \[([^\]]*)\]/.exec(schema.slice(schema.indexOf('"rule"')));
    expect(JSON.parse(`[${enumList![1]}]`)).toEqual([...AUDIT_RULES]);
    expect(schema).toContain(`"pattern": "^(${AUDIT_RULES.join('|')}):[0-9a-f]{16}$"`);
  });
});

// One case per audit rule. Typed by AuditRule, like FIRES.
const tiny = (relations: Snapshot['schema']['relations'], entities: Snapshot['entities'], rels: Snapshot['relations']): Snapshot => ({
  schema: { boundary: 'site', relations },
  entities,
  relations: rels,
});
const cycle = JSON.parse(text('test/fixtures/hand/graph-cascade-cycle.json')).snapshot as Snapshot;
const noneHeavy = tiny(
  { IN: { onDelete: 'cascade' }, LINKS: { onDelete: 'none' } },
  [
    { id: 'site:a', type: 'site' },
    { id: 'page:1', type: 'page' },
    { id: 'page:2', type: 'page' },
  ],
  [
    { from: 'page:1', type: 'IN', to: 'site:a' },
    { from: 'page:2', type: 'LINKS', to: 'page:1' },
  ],
);
const AUDIT_FIRES: Record<AuditRule, { run: () => AuditResult; subject: string }> = {
  'cross-boundary-relation': { run: () => audit(g), subject: 'connection:acme-prod/jira-software~acme-eu/confluence CONNECTS product:acme-eu/confluence' },
  'shared-entity': { run: () => audit(g), subject: 'connection:acme-prod/jira-software~acme-eu/confluence' },
  'boundary-deletable': { run: () => audit(g), subject: 'site:acme-prod PART_OF organization:acme' },
  'cascade-cycle': { run: () => audit(graphOf(cycle)), subject: 'folder:a +2' },
  'no-site': { run: () => audit(g), subject: 'app:legacy-asset-mgmt' },
  'none-structure': { run: () => audit(graphOf(noneHeavy)), subject: 'LINKS from page' },
};

describe('every audit rule finds what it should', () => {
  test('there is a case for every rule', () => expect(Object.keys(AUDIT_FIRES).sort()).toEqual([...AUDIT_RULES].sort()));
  test.each([...AUDIT_RULES])('%s', (rule) => {
    const c = AUDIT_FIRES[rule];
    const r = c.run();
    const mine = r.findings.filter((f) => f.rule === rule);
    expect(mine.map((f) => f.subject)).toContain(c.subject);
    expect(r.counts[rule]).toBe(mine.length);
    for (const f of mine) expect(f.fingerprint).toMatch(new RegExp(`^${rule}:[0-9a-f]{16}$`));
    // Findings come in registry order.
    const ranks = r.findings.map((f) => AUDIT_RULES.indexOf(f.rule));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});
