// Hostile inputs and faults of a PostgreSQL --graph, on a real server (test/postgres/global-setup.mjs): each ends in
// exit 2 with one line, within seconds, and writes nothing — an unreachable server, a wrong password, a role that may
// not read a table, row-level security that would hide rows, the connection killed in the middle of the read.
import { beforeAll, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { BIN, ROOT, workdir } from '../helpers/cli.js';
import { problemLines, runHostile } from '../helpers/hostile-run.js';
import { connect, createDatabase, describePg, server, uri } from '../postgres/helpers.js';

let db: string;
const READER_PW = 'reader-Pw-2';

beforeAll(async () => {
  server();
  db = await createDatabase(
    'hostile',
    `CREATE TABLE tenant (id bigint PRIMARY KEY);
     CREATE TABLE secrets (id int PRIMARY KEY, tenant_id bigint REFERENCES tenant ON DELETE CASCADE);
     CREATE TABLE notes (id int PRIMARY KEY, tenant_id bigint REFERENCES tenant ON DELETE CASCADE, owner text);
     ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
     CREATE POLICY own ON notes USING (owner = current_user);
     CREATE TABLE big (id bigint PRIMARY KEY, pad text);
     INSERT INTO tenant VALUES (1);
     INSERT INTO secrets VALUES (1, 1);
     INSERT INTO notes VALUES (1, 1, 'someone-else');
     INSERT INTO big SELECT g, repeat('x', 40) FROM generate_series(1, 600000) g;
     CREATE ROLE reader LOGIN PASSWORD '${READER_PW}';
     GRANT SELECT ON tenant, notes, big TO reader;
     CREATE ROLE rls_reader LOGIN PASSWORD '${READER_PW}';
     GRANT SELECT ON tenant, notes, secrets, big TO rls_reader;`,
  );
}, 120_000);

const env = (password: string | undefined) => ({ PGPASSWORD: password, PGPASSFILE: '/nonexistent/pgpass' });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describePg('hostile PostgreSQL sources', () => {
  test('an unreachable server: one line, exit 2, in seconds', async () => {
    const port = await freePort();
    const r = runHostile(['plan', 'tenant:1', '--graph', `postgres://postgres@127.0.0.1:${port}/x`], { env: env('x') });
    expect(r.code).toBe(2);
    expect(problemLines(r)).toEqual([`blastguard: postgres://postgres@127.0.0.1:${port}/x: cannot reach PostgreSQL: connect ECONNREFUSED 127.0.0.1:${port}`]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.seconds).toBeLessThan(10);
  });

  test('a wrong password: one line naming the user and where the password came from, never the password', () => {
    const r = runHostile(['audit', '--graph', uri(db)], { env: env('not-the-Pw') });
    expect(r.code).toBe(2);
    expect(problemLines(r)).toEqual([
      `blastguard: ${uri(db)}: PostgreSQL refused user "postgres" with the password from PGPASSWORD: password authentication failed for user "postgres"`,
    ]);
    expect(r.stderr).not.toContain('not-the-Pw');
    expect(r.seconds).toBeLessThan(10);
  });

  test('a role without SELECT on a table: one line naming it', () => {
    const r = runHostile(['plan', 'tenant:1', '--graph', uri(db, 'reader')], { env: env(READER_PW) });
    expect(r.code).toBe(2);
    expect(problemLines(r)).toEqual([
      `blastguard: ${uri(db, 'reader')}: role "reader" may not SELECT from table secrets: GRANT SELECT, or skip it in an overlay`,
    ]);
  });

  test('row-level security that would hide rows from the role: one line, never a partial graph', () => {
    const r = runHostile(['plan', 'tenant:1', '--graph', uri(db, 'rls_reader')], { env: env(READER_PW) });
    expect(r.code).toBe(2);
    expect(problemLines(r)).toEqual([
      `blastguard: ${uri(db, 'rls_reader')}: row-level security would hide rows of table notes from role "rls_reader" (blastguard must read every row: use a role that bypasses it)`,
    ]);
  });

  test('the connection killed in the middle of the read: exit 2, one line, no snapshot and no temporary file', async () => {
    const dir = workdir();
    const out = join(dir, 'snap.json');
    const child = spawn(BIN, ['ingest', '--graph', uri(db), '--out', out, '--quiet'], {
      cwd: ROOT,
      env: { ...process.env, ...env(server().password), NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait for its COPY of the big table, then end its backend as an administrator (or a crash) would.
    const admin = await connect(db);
    let killed = false;
    try {
      for (let i = 0; i < 400 && !killed; i++) {
        const r = await admin.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'blastguard' AND query LIKE 'COPY%big%'`,
        );
        killed = r.rows.some((x) => x.ok);
        if (!killed) await new Promise((res) => setTimeout(res, 25));
      }
    } finally {
      await admin.end();
    }
    expect(killed).toBe(true);
    expect(await exited).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^blastguard: ${uri(db).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: lost the connection to PostgreSQL while reading the graph: `),
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
