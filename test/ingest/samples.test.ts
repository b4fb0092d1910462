// The sample exports (samples/exports/) ingest to exactly the sample tenant (samples/tenant.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import type { Snapshot } from '../../src/model/types.js';
import { repo, run, workdir } from '../helpers/cli.js';

const tenant = JSON.parse(readFileSync(join(repo, 'samples/tenant.json'), 'utf8')) as Snapshot;
const mapping = join(repo, 'samples/exports/mapping.yaml');

/** Entities and relations as sets of canonical strings (key order does not matter). */
function canon(snap: Snapshot) {
  const sortKeys = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
        )
      : v;
  const set = (xs: unknown[]) => xs.map((x) => JSON.stringify(sortKeys(x))).sort();
  return { schema: sortKeys(snap.schema), entities: set(snap.entities), relations: set(snap.relations) };
}

/** A JSON report with every array sorted (deep), so that two reports differing only in entity order compare equal. */
function unordered(text: string): unknown {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
    return v;
  };
  return norm(JSON.parse(text));
}

describe('sample exports', () => {
  test('ingest writes a snapshot equal to samples/tenant.json', () => {
    const dir = workdir();
    const out = join(dir, 'tenant.json');
    const r = run(['ingest', '--mapping', mapping, '--out', out]);
    expect(r.stderr).toContain('ingested 181 entities and 214 relations');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const got = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
    const want = canon(tenant);
    const have = canon(got);
    expect(have.schema).toEqual(want.schema);
    expect(have.entities).toEqual(want.entities);
    expect(have.relations).toEqual(want.relations);
    // No duplicates hiding behind the set comparison.
    expect(got.entities).toHaveLength(tenant.entities.length);
    expect(got.relations).toHaveLength(tenant.relations.length);
  });

  test('the summary counts entities per type and relations per type', () => {
    const r = run(['ingest', '--mapping', mapping]);
    expect(r.code).toBe(0);
    const count = (type: string) => tenant.entities.filter((e) => e.type === type).length;
    const rcount = (type: string) => tenant.relations.filter((e) => e.type === type).length;
    expect(r.stderr).toMatch(new RegExp(`\\n  issue +${count('issue')}\\n`));
    expect(r.stderr).toMatch(new RegExp(`\\n  retention-policy +${count('retention-policy')}\\n`));
    expect(r.stderr).toMatch(new RegExp(`\\n  MEMBER_OF +${rcount('MEMBER_OF')}\\n`));
    expect(r.stderr).toMatch(/ in \d+\.\d\d s\n/);
    expect(r.stderr).toContain('no --out given: nothing written');
  });

  test('gzipped and NDJSON outputs hold the same graph, and --out - writes the snapshot to stdout only', () => {
    const dir = workdir();
    const gz = join(dir, 'tenant.json.gz');
    const nd = join(dir, 'tenant.ndjson');
    expect(run(['ingest', '-q', '--mapping', mapping, '--out', gz]).code).toBe(0);
    expect(run(['ingest', '-q', '--mapping', mapping, '--out', nd]).code).toBe(0);
    const fromGz = JSON.parse(gunzipSync(readFileSync(gz)).toString('utf8')) as Snapshot;
    expect(canon(fromGz)).toEqual(canon(tenant));
    const lines = readFileSync(nd, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ schema: expect.any(Object) });
    const asSnap = {
      schema: lines[0].schema,
      entities: lines.filter((l) => 'id' in l),
      relations: lines.filter((l) => 'from' in l),
    } as unknown as Snapshot;
    expect(canon(asSnap)).toEqual(canon(tenant));
    const toStdout = run(['ingest', '--mapping', mapping, '--out', '-']);
    expect(toStdout.code).toBe(0);
    expect(canon(JSON.parse(toStdout.stdout) as Snapshot)).toEqual(canon(tenant));
    expect(toStdout.stderr).toContain('ingested 181 entities');
    // Each written snapshot loads back with --graph and gives the same plan as the original.
    const plan = (g: string) => run(['plan', 'site:acme-sandbox', '--graph', g, '--format', 'json']);
    const original = plan(join(repo, 'samples/tenant.json'));
    for (const g of [gz, nd]) {
      const p = plan(g);
      expect(p.code).toBe(original.code);
      expect(unordered(p.stdout)).toEqual(unordered(original.stdout));
    }
    expect(existsSync(gz)).toBe(true);
  });

  test('check --mapping reads the exports directly and gives the same verdict as --graph', () => {
    for (const manifest of ['incident-replay.yaml', 'legacy-app-cleanup.yaml']) {
      const m = join(repo, 'samples/manifests', manifest);
      const viaGraph = run(['check', m, '--graph', join(repo, 'samples/tenant.json'), '--format', 'json']);
      const viaMapping = run(['check', m, '--mapping', mapping, '--format', 'json']);
      expect(viaMapping.stderr).toBe('');
      expect(viaMapping.code).toBe(viaGraph.code);
      expect(unordered(viaMapping.stdout)).toEqual(unordered(viaGraph.stdout));
      expect((JSON.parse(viaMapping.stdout) as { verdict: string }).verdict).toBe(manifest === 'incident-replay.yaml' ? 'fail' : 'pass');
    }
  });
});
