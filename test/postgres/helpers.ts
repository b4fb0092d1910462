// Helpers for the PostgreSQL suite: the server global-setup.mjs started, a fresh database per test file, and the
// CLI run with the server's password in PGPASSWORD (and no ~/.pgpass of the machine in the way).
import { describe } from '@jest/globals';
import pg from 'pg';
import { run, type Run } from '../helpers/cli.js';

/** Why the suite is skipped (no PostgreSQL here), or undefined. */
export const skipReason = process.env.BLASTGUARD_PG_SKIP;
export const describePg = (skipReason ? describe.skip : describe) as typeof describe;

export interface ServerInfo {
  host: string;
  port: number;
  superuser: string;
  password: string;
  pid: number;
}

export function server(): ServerInfo {
  const info = process.env.BLASTGUARD_PG;
  if (!info) throw new Error('no PostgreSQL server: test/postgres/global-setup.mjs did not start one (is it in jest.config.js?)');
  return JSON.parse(info) as ServerInfo;
}

/** postgres://USER@127.0.0.1:PORT/DB (no password: it travels in PGPASSWORD). */
export function uri(db: string, user = server().superuser): string {
  const s = server();
  return `postgres://${encodeURIComponent(user)}@${s.host}:${s.port}/${db}`;
}

/** A client logged in as the superuser (or `user` with `password`). */
export async function connect(db = 'postgres', user?: string, password?: string): Promise<pg.Client> {
  const s = server();
  const c = new pg.Client({ host: s.host, port: s.port, user: user ?? s.superuser, password: password ?? s.password, database: db });
  c.on('error', () => {});
  await c.connect();
  return c;
}

/** Creates a database named after `prefix` (unique per run), runs `sql` in it, and returns its name. */
export async function createDatabase(prefix: string, sql?: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = await connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  if (sql) await exec(name, sql);
  return name;
}

/** Runs SQL text (several statements) in database `db`. */
export async function exec(db: string, sql: string): Promise<void> {
  const c = await connect(db);
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** The CLI, with PGPASSWORD set to the server's password unless `env` says otherwise. */
export function cli(args: string[], env: Record<string, string | undefined> = {}, input?: string): Run {
  return run(args, { env: { PGPASSWORD: server().password, PGPASSFILE: '/nonexistent/pgpass', ...env }, input });
}

export interface Snap {
  schema: { boundary: string; relations: Record<string, { onDelete: string; description?: string }>; types?: Record<string, unknown> };
  entities: { id: string; type: string; name?: string; protected?: boolean; attributes?: Record<string, unknown> }[];
  relations: { from: string; type: string; to: string }[];
}

/** `ingest --graph URI --out -`: the snapshot of the database (throws with stderr when the run fails). */
export function snapshotOf(db: string, extra: string[] = []): { snap: Snap; stderr: string } {
  const r = cli(['ingest', '--graph', uri(db), '--out', '-', '--quiet', ...extra]);
  if (r.code !== 0) throw new Error(`ingest failed (${r.code}): ${r.stderr}`);
  return { snap: JSON.parse(r.stdout) as Snap, stderr: r.stderr };
}

export const relStrings = (s: Snap) => s.relations.map((r) => `${r.from} -${r.type}-> ${r.to}`).sort();
