// The library surface: loadGraph on a graph file or a mapping, and ingest with its counts.
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ingest, loadGraph, plan } from '../../src/api.js';
import { InputError } from '../../src/model/errors.js';
import { repo, workdir } from '../helpers/cli.js';

describe('library', () => {
  test('loadGraph reads snapshot JSON and a mapping to the same graph; ingest reports counts', async () => {
    const fromJson = await loadGraph(join(repo, 'samples/tenant.json'));
    const fromMapping = await loadGraph({ mapping: join(repo, 'samples/exports/mapping.yaml') });
    expect(fromMapping.size).toBe(fromJson.size);
    expect(fromMapping.relationCount).toBe(fromJson.relationCount);
    const ids = (g: typeof fromJson) => Array.from({ length: g.size }, (_, i) => g.idOf(i)).sort();
    expect(ids(fromMapping)).toEqual(ids(fromJson));
    const deleted = (g: typeof fromJson) =>
      plan(g, ['site:globex'])
        .deleted.map((d) => d.id)
        .sort();
    expect(deleted(fromMapping)).toEqual(deleted(fromJson));
    const { stats } = await ingest(join(repo, 'samples/exports/mapping.yaml'));
    expect(stats.entitiesByType.site).toBe(7);
    expect(stats.relationsByType.MEMBER_OF).toBe(37);
  });

  test('problems surface as InputError with every problem', async () => {
    const dir = workdir({ 'g.ndjson': '{"schema":{"relations":{}}}\n{"id":"a","type":"x"}\n{"id":"a","type":"x"}\n' });
    const err = await loadGraph(join(dir, 'g.ndjson')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([
      {
        file: expect.stringMatching(/g\.ndjson$/),
        line: 3,
        field: 'id',
        message: expect.stringMatching(/^duplicate ID "a" \(first defined at .*g\.ndjson:2\)$/),
      },
    ]);
  });
});
