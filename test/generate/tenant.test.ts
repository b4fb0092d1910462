// The tenant generator: deterministic, loadable, and shaped like a real platform.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { generateTenant, isRelation, LEGACY_APP, TENANT_SCHEMA, tenantBatches, type TenantRecord } from '../../src/generate/tenant.js';
import { tenantText } from '../../src/generate/text.js';
import { buildSnapshot } from '../../src/ingest/snapshot.js';
import { siteIndex } from '../../src/engine/sites.js';
import type { Entity, Relation, Snapshot } from '../../src/model/types.js';

const text = (sites: number, seed: number | string, format: 'ndjson' | 'json' = 'ndjson', scale?: number) =>
  [...tenantText({ sites, seed, scale }, format)].join('');

function split(records: Iterable<TenantRecord>): { entities: Entity[]; relations: Relation[] } {
  const entities: Entity[] = [];
  const relations: Relation[] = [];
  for (const r of records) (isRelation(r) ? relations : entities).push(r as never);
  return { entities, relations };
}

describe('determinism', () => {
  test('the same seed gives the same bytes, in both formats', () => {
    expect(text(5, 42)).toBe(text(5, 42));
    expect(text(5, 42, 'json')).toBe(text(5, 42, 'json'));
  });
  test('another seed gives another tenant', () => {
    expect(text(5, 42)).not.toBe(text(5, 43));
    expect(text(5, '42')).toBe(text(5, 42)); // a number and its decimal text are the same seed
    expect(text(5, 'a')).not.toBe(text(5, 'b'));
  });
  test('the entity and relation passes agree with one pass over everything', () => {
    const all = split(generateTenant({ sites: 4, seed: 9 }));
    const entities = [...tenantBatches({ sites: 4, seed: 9 }, 'entities')].flat();
    const relations = [...tenantBatches({ sites: 4, seed: 9 }, 'relations')].flat();
    expect(entities).toEqual(all.entities);
    expect(relations).toEqual(all.relations);
  });
  test('NDJSON: a schema line, then every entity before any relation', () => {
    const lines = text(3, 1)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ schema: TENANT_SCHEMA });
    const firstRelation = lines.findIndex((r) => r.from !== undefined);
    expect(firstRelation).toBeGreaterThan(1);
    expect(lines.slice(firstRelation).every((r) => r.from !== undefined && r.id === undefined)).toBe(true);
    expect(lines.slice(1, firstRelation).every((r) => typeof r.id === 'string' && r.from === undefined)).toBe(true);
  });
  test('rejects a site count that is not a positive number', () => {
    expect(() => [...generateTenant({ sites: 0, seed: 1 })]).toThrow(RangeError);
    expect(() => [...generateTenant({ sites: Number.NaN, seed: 1 })]).toThrow(RangeError);
  });
});

describe('schema', () => {
  test('is the schema of samples/tenant.json', () => {
    const sample = JSON.parse(readFileSync(new URL('../../samples/tenant.json', import.meta.url), 'utf8')) as Snapshot;
    expect(TENANT_SCHEMA).toEqual(sample.schema);
  });
});

describe('shape of a 200-site tenant', () => {
  const sites = 200;
  const { entities, relations } = split(generateTenant({ sites, seed: 1 }));
  const count = (type: string) => entities.filter((e) => e.type === type).length;
  const rels = (type: string) => relations.filter((r) => r.type === type);

  test('about 1,000 entities and 2 to 3.5 relations per entity per site, content being most of it', () => {
    expect(entities.length / sites).toBeGreaterThan(700);
    expect(entities.length / sites).toBeLessThan(1400);
    expect(relations.length / entities.length).toBeGreaterThan(2);
    expect(relations.length / entities.length).toBeLessThan(3.5);
    const content = ['project', 'issue', 'space', 'page', 'attachment'].reduce((n, t) => n + count(t), 0);
    expect(content / entities.length).toBeGreaterThan(0.7);
    expect(count('site')).toBe(sites);
  });

  test('every type and relation type of the sample appears', () => {
    for (const type of [
      'organization',
      'site',
      'product',
      'project',
      'issue',
      'space',
      'page',
      'attachment',
      'connection',
      'user',
      'api-token',
      'app',
      'app-install',
      'app-data',
      'retention-policy',
    ]) {
      expect([type, count(type)]).toEqual([type, expect.any(Number)]);
      expect(count(type)).toBeGreaterThan(0);
    }
    for (const type of Object.keys(TENANT_SCHEMA.relations)) expect(rels(type).length).toBeGreaterThan(0);
  });

  test('organizations own one or more sites; products are the five of the platform', () => {
    const orgs = count('organization');
    expect(orgs).toBeLessThan(sites);
    expect(orgs).toBeGreaterThan(sites / 5);
    const products = new Set(entities.filter((e) => e.type === 'product').map((e) => e.name));
    expect([...products].sort()).toEqual(['Confluence', 'Jira Service Management', 'Jira Software', 'Opsgenie', 'Statuspage']);
  });

  test('site memberships follow a power law: most users on one site, many shared, a few on very many', () => {
    const per = new Map<string, number>();
    for (const r of rels('MEMBER_OF')) per.set(r.from, (per.get(r.from) ?? 0) + 1);
    const counts = [...per.values()];
    const single = counts.filter((c) => c === 1).length;
    const shared = counts.filter((c) => c >= 2).length;
    expect(per.size).toBe(count('user'));
    expect(single).toBeGreaterThan(shared);
    expect(shared / counts.length).toBeGreaterThan(0.15);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(10);
    // No duplicate memberships.
    expect(new Set(rels('MEMBER_OF').map((r) => `${r.from}>${r.to}`)).size).toBe(rels('MEMBER_OF').length);
  });

  test('the legacy app is installed on a share of Jira products, and installs keep data', () => {
    const installs = rels('INSTANCE_OF').filter((r) => r.to === LEGACY_APP);
    const jira = entities.filter((e) => e.id.endsWith('/jira-software') || e.id.endsWith('/jsm')).length;
    expect(installs.length / jira).toBeGreaterThan(0.15);
    expect(installs.length / jira).toBeLessThan(0.45);
    const stored = new Set(rels('STORED_BY').map((r) => r.to));
    expect(entities.filter((e) => e.type === 'app-install').every((e) => stored.has(e.id))).toBe(true);
  });

  test('a few protected entities and compliance policies', () => {
    const prot = entities.filter((e) => e.protected);
    expect(prot.length).toBeGreaterThan(0);
    expect(prot.length).toBeLessThan(entities.length / 1000);
    expect(prot.every((e) => e.type === 'user' || e.type === 'site')).toBe(true);
    expect(rels('GOVERNS').every((r) => r.to.startsWith('site:'))).toBe(true);
  });
});

describe('a small-content tenant of 300 sites (scale 0.1) as the engine sees it', () => {
  const { entities, relations } = split(generateTenant({ sites: 300, seed: 3, scale: 0.1 }));
  const count = (type: string) => entities.filter((e) => e.type === type).length;

  test('loads as a snapshot: unique IDs, no dangling relation', () => {
    const g = buildSnapshot({ schema: TENANT_SCHEMA, entities, relations }, 'generated');
    expect(g.size).toBe(entities.length);
    expect(g.relationCount).toBe(relations.length);
  });

  test('content belongs to one site; cross-site connections and shared users are rare but present', () => {
    const g = buildSnapshot({ schema: TENANT_SCHEMA, entities, relations }, 'generated');
    const s = siteIndex(g);
    const multi = (type: string) => {
      let n = 0;
      for (let i = 0; i < g.size; i++) if (g.typeOf(i) === type && s.sitesOf(i).length > 1) n++;
      return n;
    };
    for (const type of ['issue', 'page', 'attachment', 'project', 'space', 'product', 'app-install', 'app-data']) {
      expect([type, multi(type)]).toEqual([type, 0]);
    }
    const cross = multi('connection');
    expect(cross).toBeGreaterThan(0);
    expect(cross).toBeLessThan(count('connection') * 0.1);
    expect(multi('user')).toBeGreaterThan(0);
    expect(multi('user')).toBeLessThan(count('user'));
    // Global entities: the app listings, organizations and retention policies.
    expect(s.globalCount).toBe(count('app') + count('organization') + count('retention-policy'));
  });
});
