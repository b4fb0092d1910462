// The application layer in-process (src/app): openGraph on each kind of source, the memory Backend giving what the
// engine gives, and approvePlan as the CLI and the library both use it.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { approvePlan, checkManifest, graphSourceKind, loadManifestFile, memoryBackend, openGraph, plan } from '../../src/app/index.js';
import { approve, check, ingest } from '../../src/api.js';
import { snapshotChunks } from '../../src/store/serialize.js';
import { UsageError } from '../../src/model/errors.js';
import type { CompactGraph } from '../../src/store/compact.js';
import { CLEANUP, ROOT, TENANT } from './helpers.js';

const MAPPING = join(ROOT, 'samples', 'exports', 'mapping.yaml');
const text = (g: CompactGraph) => [...snapshotChunks(g, 'json')].join('');

let graph: CompactGraph;
beforeAll(async () => {
  graph = (await openGraph(TENANT)).graph;
});

describe('openGraph', () => {
  test('tells the kinds of source apart by their form', () => {
    expect(graphSourceKind(TENANT)).toBe('file');
    expect(graphSourceKind({ mapping: MAPPING })).toBe('mapping');
    expect(graphSourceKind('bolt://localhost:7687')).toBe('neo4j');
    expect(graphSourceKind('neo4j+s://db.example:7687')).toBe('neo4j');
    expect(graphSourceKind('postgres://u@localhost:5432/db')).toBe('postgres');
  });

  test('a mapping gives the graph ingest() reads from it, and reports its progress to the watcher', async () => {
    const seen: number[] = [];
    let stopped = false;
    const { graph: fromMapping, stats } = await openGraph(
      { mapping: MAPPING },
      {
        watch: (p) => {
          seen.push(p.records);
          return () => {
            stopped = true;
            seen.push(p.records);
          };
        },
      },
    );
    expect(stats.entities).toBe(fromMapping.size);
    expect(stopped).toBe(true);
    expect(seen[1]).toBeGreaterThan(0);
    expect(text(fromMapping)).toBe(text((await ingest(MAPPING)).graph));
  });
});

describe('the memory backend', () => {
  test('plan and check give what the engine gives, on the graph it was given', async () => {
    const backend = memoryBackend(graph);
    expect(backend.name).toBe('memory');
    const planned = await backend.plan(['site:acme-prod'], {});
    expect(planned.graph).toBe(graph);
    expect(planned.value).toEqual(plan(graph, ['site:acme-prod']));
    const m = loadManifestFile(CLEANUP).manifest;
    expect((await backend.check(m, {})).value).toEqual(checkManifest(graph, m));
  });

  test('loads a lazy graph once, on first use', async () => {
    let loads = 0;
    const backend = memoryBackend(async () => {
      loads++;
      return graph;
    });
    expect(loads).toBe(0);
    await backend.plan(['site:acme-prod'], {});
    await backend.plan(['user:dana'], {});
    expect(loads).toBe(1);
  });
});

describe('approvePlan', () => {
  test('is what the library approve() records for the same request', () => {
    const result = check(graph, CLEANUP);
    const m = loadManifestFile(CLEANUP).manifest;
    const fromLib = approve(graph, result, { source: 'x', waves: '1,rest', manifest: CLEANUP });
    const direct = approvePlan(graph, result, {
      mode: m.mode,
      source: 'x',
      waves: [1, 'rest'],
      planOptions: { intent: m.intent ?? {}, limits: m.limits ?? {} },
      request: { ...fromLib.request!, waves: undefined },
    });
    expect(direct.digest).toBe(fromLib.digest);
  });

  test('a wave list that does not fit the targets is a usage error, not a bug', () => {
    const result = check(graph, CLEANUP); // targets in more than one site group
    expect(() => approvePlan(graph, result, { request: { roots: 'listed', intent: {}, limits: {} }, waves: [1] })).toThrow(UsageError);
    expect(() => approvePlan(graph, result, { request: { roots: 'listed', intent: {}, limits: {} }, waves: [1] })).toThrow(/end the list with "rest"/);
  });
});
