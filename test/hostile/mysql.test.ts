// Hostile inputs and faults of a MySQL/MariaDB --graph, on a real server (test/mysql/global-setup.mjs): an
// unreachable server, a wrong password, a password in the URI, a user without SELECT on the whole database (MySQL
// hides the tables it cannot see), each one line and exit 2 within seconds, never the password; table names that
// need quoting read as data; 64-bit IDs above 2^53 kept exactly end to end; the connection killed in the middle of
// the read, or its query (exit 2, one line, no snapshot).
import { beforeAll, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, workdir } from '../helpers/cli.js';
import { problemLines, runHostile } from '../helpers/hostile-run.js';
import { connect, createDatabase, describeMy, emptyHome, server, uri } from '../mysql/helpers.js';

let db: string;
/** A database of its own for the killed read: its big table would slow every other read of `db`. */
let bigDb: string;
const READER_PW = 'reader-Pw-2';
const HOSTILE = 'a"; DROP TABLE b; --';

beforeAll(async () => {
  server();
  db = await createDatabase('hostile');
  const q = (s: string) => `\`${s.replace(/`/g, '``')}\``;
  const c = await connect(db);
  try {
    await c.query(
      `CREATE TABLE tenant (id bigint unsigned PRIMARY KEY, name varchar(40)) ENGINE = InnoDB;
       CREATE TABLE b (id int PRIMARY KEY) ENGINE = InnoDB;
       CREATE TABLE ${q(HOSTILE)} (id bigint PRIMARY KEY, tenant_id bigint unsigned,
         CONSTRAINT ${q('fk`; --')} FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE) ENGINE = InnoDB;
       CREATE TABLE ${q('we`ird')} (k varchar(20) PRIMARY KEY, ref bigint,
         CONSTRAINT weird_ref FOREIGN KEY (ref) REFERENCES ${q(HOSTILE)} (id) ON DELETE SET NULL) ENGINE = InnoDB;
       INSERT INTO tenant VALUES (18446744073709551615, 'max'), (9007199254740993, 'two-to-53-plus-1');
       INSERT INTO b VALUES (1);
       INSERT INTO ${q(HOSTILE)} VALUES (9223372036854775807, 18446744073709551615), (-9223372036854775808, 9007199254740993);
       INSERT INTO ${q('we`ird')} VALUES ('x|y%z', 9223372036854775807);
       CREATE USER 'reader'@'%' IDENTIFIED BY '${READER_PW}';
       GRANT SELECT ON ${db}.tenant TO 'reader'@'%';
       GRANT SELECT ON ${db}.b TO 'reader'@'%';`,
    );
  } finally {
    await c.end();
  }
  // 300,000 rows from MariaDB's sequence engine: a read of a second or more, long enough to be caught in the middle.
  bigDb = await createDatabase(
    'hostile_kill',
    `CREATE TABLE tenant (id bigint PRIMARY KEY) ENGINE = InnoDB;
     CREATE TABLE big (id bigint PRIMARY KEY, tenant_id bigint, pad varchar(40),
       FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE) ENGINE = InnoDB;
     INSERT INTO tenant VALUES (1);
     INSERT INTO big SELECT seq, 1, REPEAT('x', 40) FROM seq_1_to_300000;`,
  );
}, 120_000);

const env = (password: string | undefined, home = emptyHome) => ({ MYSQL_PWD: password, HOME: home });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describeMy('hostile MySQL sources', () => {
  test('an unreachable server: one line, exit 2, in seconds', async () => {
    const port = await freePort();
    const r = runHostile(['plan', 'tenant:1', '--graph', `mysql://root@127.0.0.1:${port}/x`], { env: env('x') });
    expect(r.code).toBe(2);
    expect(problemLines(r)).toEqual([`blastguard: mysql://root@127.0.0.1:${port}/x: cannot reach MySQL: connect ECONNREFUSED 127.0.0.1:${port}`]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.seconds).toBeLessThan(10);
  });

  test('a wrong password: one line naming the user and where the password came from, never the password', () => {
    const r = runHostile(['audit', '--graph', uri(db)], { env: env('not-the-Pw') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(problemLines(r)[0]).toMatch(
      /^blastguard: mysql:\/\/root@127\.0\.0\.1:\d+\/\w+: MySQL refused user "root" with the password from MYSQL_PWD: Access denied/,
    );
    expect(r.stdout + r.stderr).not.toContain('not-the-Pw');
    expect(r.seconds).toBeLessThan(10);
  });

  test('a password in the URI is refused without printing it', () => {
    const s = server();
    const r = runHostile(['plan', 'tenant:1', '--graph', `mysql://root:Secret-Pw@${s.host}:${s.port}/${db}`], { env: env(undefined) });
    expect(r.code).toBe(2);
    expect(problemLines(r)).toHaveLength(1);
    expect(problemLines(r)[0]).toMatch(/the URI carries a password: remove it and set MYSQL_PWD/);
    expect(r.stderr).not.toContain('Secret-Pw');
  });

  test('the password from ~/.my.cnf [client]', () => {
    const home = mkdtempSync(join(tmpdir(), 'bg-mycnf-'));
    writeFileSync(join(home, '.my.cnf'), `[mysqld]\npassword = wrong\n[client]\npassword = "${server().password}"\n`, { mode: 0o600 });
    const r = runHostile(['plan', 'tenant:9007199254740993', '--graph', uri(db), '--format', 'json'], { env: env(undefined, home) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('a user without SELECT on the whole database: one line, before any row is read', () => {
    const r = runHostile(['plan', 'tenant:1', '--graph', uri(db, 'reader')], { env: env(READER_PW) });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(problemLines(r)[0]).toContain(`user "reader" has no SELECT on database \`${db}\` as a whole: MySQL hides the tables a user has no privilege on`);
    expect(r.stderr).not.toContain(READER_PW);
  });

  test('table names that need quoting are data; IDs above 2^53 stay exact end to end', async () => {
    const r = runHostile(['plan', 'tenant:18446744073709551615', '--graph', uri(db), '--format', 'json'], { env: env(server().password) });
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout) as { deleted: { id: string }[]; detached: { id: string }[] };
    expect(result.deleted.map((d) => d.id).sort()).toEqual([`${HOSTILE}:9223372036854775807`, 'tenant:18446744073709551615']);
    // The key 'x|y%z' is one column: written as it is.
    expect(result.detached.map((d) => d.id)).toEqual(['we`ird:x|y%z']);
    const other = runHostile(['plan', 'tenant:9007199254740993', '--graph', uri(db), '--format', 'json'], { env: env(server().password) });
    expect((JSON.parse(other.stdout) as { deleted: { id: string }[] }).deleted.map((d) => d.id).sort()).toEqual([
      `${HOSTILE}:-9223372036854775808`,
      'tenant:9007199254740993',
    ]);
    // Nothing was dropped or written.
    const c = await connect(db);
    try {
      const [rows] = await c.query('SELECT COUNT(*) AS n FROM b');
      expect(String((rows as { n: unknown }[])[0].n)).toBe('1');
    } finally {
      await c.end();
    }
  });

  // KILL CONNECTION once waited for ever on the dead connection (Node exited 13, no message); KILL QUERY was an
  // internal error (exit 3).
  test.each([
    ['the connection killed', 'CONNECTION', 'lost the connection to MySQL while reading the graph: '],
    ['the query killed', 'QUERY', 'MySQL interrupted the query while reading the graph: '],
  ])(
    '%s in the middle of the read: exit 2, one line, no snapshot and no temporary file',
    async (_what, kill, message) => {
      const dir = workdir();
      const out = join(dir, 'snap.json');
      const child = spawn(BIN, ['ingest', '--graph', uri(bigDb), '--out', out, '--quiet'], {
        cwd: ROOT,
        env: { ...process.env, ...env(server().password), NO_COLOR: '1' },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Wait for its SELECT of the big table, then end its connection as an administrator (or a crash) would.
      const admin = await connect();
      let killed = false;
      try {
        for (let i = 0; i < 400 && !killed; i++) {
          const [rows] = await admin.query(`SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID() AND info LIKE 'SELECT%big%'`, [
            bigDb,
          ]);
          for (const { id } of rows as { id: string }[]) {
            await admin.query(`KILL ${kill} ${Number(id)}`);
            killed = true;
          }
          if (!killed) await new Promise((res) => setTimeout(res, 25));
        }
      } finally {
        await admin.end();
      }
      expect(killed).toBe(true);
      expect(await exited).toBe(2);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^blastguard: ${uri(bigDb).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${message}`));
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    },
    60_000,
  );
});
