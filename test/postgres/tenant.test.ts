// The bundled sample tenant as a database (samples/postgres/tenant.sql + tenant.overlay.yaml, written by
// make-tenant-sql.mjs): read back, it is samples/tenant.json (up to relation type names), and the incident replay
// and the intended cleanup give the same answers as on the file.
import { beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFESTS, ROOT, SAMPLE } from '../helpers/cli.js';
import { cli, createDatabase, describePg, server, snapshotOf, uri, type Snap } from './helpers.js';

const OVERLAY = join(ROOT, 'samples/postgres/tenant.overlay.yaml');
let db: string;

beforeAll(async () => {
  server();
  db = await createDatabase('tenant', readFileSync(join(ROOT, 'samples/postgres/tenant.sql'), 'utf8'));
}, 60_000);

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

interface Result {
  verdict: string;
  deleted: { id: string }[];
  detached: { id: string }[];
  spared: { id: string; keptBy: string }[];
  violations: { rule: string; entity: string | null }[];
  summary: { deleted: number; sites: unknown[] };
}

/** What a plan decides, without the relation type names (they are constraint names in the database). */
function decision(r: Result) {
  return {
    verdict: r.verdict,
    deleted: r.deleted.map((d) => d.id).sort(),
    detached: r.detached.map((d) => d.id).sort(),
    spared: r.spared.map((s) => `${s.id} kept by ${s.keptBy}`).sort(),
    violations: r.violations.map((v) => `${v.rule} ${v.entity}`).sort(),
    sites: r.summary.sites,
  };
}

describePg('the sample tenant in PostgreSQL', () => {
  test('read back, it is samples/tenant.json: the same entities, and the same relations with the same onDelete', () => {
    const file = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Snap;
    const { snap } = snapshotOf(db, ['--overlay', OVERLAY]);
    expect(snap.schema.boundary).toBe('site');
    expect([...snap.entities].sort(byId)).toEqual([...file.entities].sort(byId));
    const rel = (s: Snap) => s.relations.map((r) => `${r.from} -${s.schema.relations[r.type].onDelete}-> ${r.to}`).sort();
    expect(rel(snap)).toEqual(rel(file));
  });

  test('check samples/manifests/incident-replay.yaml: the same FAIL, deletions and violations as on the file', () => {
    for (const manifest of ['incident-replay.yaml', 'legacy-app-cleanup.yaml']) {
      const onFile = cli(['check', join(MANIFESTS, manifest), '--graph', SAMPLE, '--format', 'json']);
      const onDb = cli(['check', join(MANIFESTS, manifest), '--graph', uri(db), '--overlay', OVERLAY, '--format', 'json', '--quiet']);
      expect(onDb.code).toBe(onFile.code);
      expect(decision(JSON.parse(onDb.stdout) as Result)).toEqual(decision(JSON.parse(onFile.stdout) as Result));
    }
    const human = cli(['check', join(MANIFESTS, 'incident-replay.yaml'), '--graph', uri(db), '--overlay', OVERLAY, '--quiet']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^FAIL/);
    expect(human.stdout).toMatch(/acme\.atlassian\.net/);
  });
});
