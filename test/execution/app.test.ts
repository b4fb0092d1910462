// The application layer in-process (src/app): the table of graph sources and openGraph on each kind of source,
// backendOn choosing a backend by name, the memory Backend giving what the engine gives, approvePlan as the CLI and
// the library both use it, and the audit, diff and verify use cases giving what the engine gives.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  approvePlan,
  auditGraph,
  backendOn,
  BACKENDS,
  binaryGraphFile,
  diffGraphs,
  FILE_FORMATS,
  GRAPH_SOURCES,
  graphSourceKind,
  graphSourceOf,
  graphSourcesHelp,
  loadManifestFile,
  memoryBackend,
  openGraph,
  pushDownSource,
  verifyDeletion,
} from '../../src/app/index.js';
import { audit, gate } from '../../src/engine/audit.js';
import { checkManifest } from '../../src/engine/check.js';
import { diff, growthGate } from '../../src/engine/diff.js';
import { plan } from '../../src/engine/plan.js';
import { verifyIds } from '../../src/engine/verify.js';
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
    expect(graphSourceKind('postgresql://u@localhost/db')).toBe('postgres');
    expect(graphSourceKind('mysql://u@localhost/db')).toBe('mysql');
    expect(graphSourceKind('mariadb://u@localhost/db')).toBe('mysql');
    // Any other string is a file, whatever it looks like: its reader says what is wrong with it.
    expect(graphSourceKind('http://example/graph.json')).toBe('file');
  });

  test('the table: one entry per kind, the file last (it takes any string), each naming what it takes', () => {
    expect(GRAPH_SOURCES.map((s) => s.kind)).toEqual(['neo4j', 'postgres', 'mysql', 'mapping', 'file']);
    for (const s of GRAPH_SOURCES)
      expect(graphSourceOf(s.kind === 'mapping' ? { mapping: 'm.yaml' } : s.kind === 'file' ? 'g.json' : `${s.scheme}h/db`)).toBe(s);
    expect(GRAPH_SOURCES.filter((s) => s.takes.includes('allowDangling')).map((s) => s.kind)).toEqual(['mapping', 'file']);
    expect(GRAPH_SOURCES.filter((s) => s.takes.includes('overlay')).map((s) => s.kind)).toEqual(['postgres', 'mysql']);
    expect(GRAPH_SOURCES.filter((s) => s.catalog).map((s) => s.kind)).toEqual(['postgres', 'mysql']);
    // The push-down backends are the sources that have one; memory is always there, first.
    expect(BACKENDS).toEqual(['memory', 'neo4j', 'postgres']);
    expect(pushDownSource('neo4j').pushDown.approves).toBe(true);
    expect(pushDownSource('postgres').pushDown.approves).toBe(false);
    expect(graphSourcesHelp()).toBe(
      'Graph file: snapshot .json or .ndjson (.gz too), a binary .bgraph, or graphology JSON; or a Neo4j URI (bolt://…, neo4j://…), a PostgreSQL URI (postgres://USER@HOST:PORT/DB), or a MySQL/MariaDB URI (mysql://USER@HOST:PORT/DB)',
    );
  });

  test('a graph file is read by the first file format that recognises it: a .bgraph by its magic number, whatever its name', async () => {
    expect(FILE_FORMATS.map((f) => f.name)).toEqual(['bgraph', 'ndjson', 'json']);
    const dir = mkdtempSync(join(tmpdir(), 'bg-app-'));
    try {
      const disguised = join(dir, 'graph.json');
      writeFileSync(disguised, Buffer.concat(binaryGraphFile(graph)));
      expect(FILE_FORMATS.find((f) => f.recognises(disguised))!.name).toBe('bgraph');
      expect(text((await openGraph(disguised)).graph)).toBe(text(graph));
      const ndjson = join(dir, 'g.ndjson');
      writeFileSync(ndjson, [...snapshotChunks(graph, 'ndjson')].join(''));
      expect(FILE_FORMATS.find((f) => f.recognises(ndjson))!.name).toBe('ndjson');
      expect(text((await openGraph(ndjson)).graph)).toBe(text(graph));
      copyFileSync(TENANT, join(dir, 't.json'));
      expect(FILE_FORMATS.find((f) => f.recognises(join(dir, 't.json')))!.name).toBe('json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

describe('backendOn', () => {
  test('memory: the engine on the graph the source names', async () => {
    const backend = backendOn('memory', TENANT);
    expect(backend.name).toBe('memory');
    expect((await backend.plan(['site:acme-prod'], {})).value).toEqual(plan(graph, ['site:acme-prod']));
  });

  test('a push-down on a source that is not its database is a usage error, before any connection', () => {
    expect(() => backendOn('neo4j', TENANT)).toThrow(UsageError);
    expect(() => backendOn('postgres', 'mysql://u@localhost/db')).toThrow(/postgres backend needs a PostgreSQL URI/);
    expect(backendOn('neo4j', 'bolt://localhost:7687').name).toBe('neo4j');
    expect(backendOn('postgres', 'postgres://u@localhost/db').name).toBe('postgres');
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

describe('audit, diff and verify as use cases', () => {
  const AFTER = join(ROOT, 'samples', 'schema-change', 'member-of-cascade.json');

  test("auditGraph is the engine's audit, gated as asked; the graph is read only when needed", async () => {
    expect((await auditGraph(graph)).result).toEqual(audit(graph));
    const { result } = await auditGraph(async () => graph, { failOn: ['cascade-cycle', 'shared-entity'] });
    expect(result).toEqual(gate(audit(graph), ['cascade-cycle', 'shared-entity']));
    // A bad baseline is reported before the graph is read.
    let read = false;
    await expect(
      auditGraph(
        async () => {
          read = true;
          return graph;
        },
        { baseline: TENANT },
      ),
    ).rejects.toThrow();
    expect(read).toBe(false);
  });

  test("diffGraphs is the engine's diff, with the growth gate", async () => {
    const after = (await openGraph(AFTER)).graph;
    expect(await diffGraphs(graph, after)).toEqual(diff(graph, after));
    expect(await diffGraphs(graph, async () => after, { failOnGrowth: 10 })).toEqual(growthGate(diff(graph, after), 10));
  });

  test('verifyDeletion reads the plan, the IDs and the graph, and gives what the engine gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bg-app-'));
    try {
      const approved = approve(graph, check(graph, CLEANUP), { manifest: CLEANUP });
      writeFileSync(join(dir, 'plan.json'), JSON.stringify(approved));
      writeFileSync(join(dir, 'ids.txt'), approved.roots.join('\n') + '\n');
      const r = await verifyDeletion({ plan: join(dir, 'plan.json'), ids: join(dir, 'ids.txt'), graph: async () => graph });
      expect(r).toEqual(verifyIds(approved, approved.roots, { graph }));
      expect(r.ok).toBe(true);
      writeFileSync(join(dir, 'ids.txt'), approved.roots.slice(1).join('\n') + '\n');
      expect((await verifyDeletion({ plan: join(dir, 'plan.json'), ids: join(dir, 'ids.txt') })).ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
