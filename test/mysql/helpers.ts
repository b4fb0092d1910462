// Helpers for the MariaDB suite: the server global-setup.mjs started, a fresh database per test file, and the CLI
// run with the server's password in MYSQL_PWD (and a HOME without the machine's ~/.my.cnf).
import { describe } from '@jest/globals';
import mysql from 'mysql2/promise';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type Run } from '../helpers/cli.js';

/** Why the suite is skipped (no MariaDB here), or undefined. */
export const skipReason = process.env.BLASTGUARD_MARIADB_SKIP;
export const describeMy = (skipReason ? describe.skip : describe) as typeof describe;

export interface ServerInfo {
  host: string;
  port: number;
  superuser: string;
  password: string;
  pid: number;
}

export function server(): ServerInfo {
  const info = process.env.BLASTGUARD_MARIADB;
  if (!info) throw new Error('no MariaDB server: test/mysql/global-setup.mjs did not start one (is it in jest.config.js?)');
  return JSON.parse(info) as ServerInfo;
}

/** mysql://USER@127.0.0.1:PORT/DB (no password: it travels in MYSQL_PWD). */
export function uri(db: string, user = server().superuser): string {
  const s = server();
  return `mysql://${encodeURIComponent(user)}@${s.host}:${s.port}/${encodeURIComponent(db)}`;
}

/** A connection as the superuser (or `user` with `password`), numbers as exact text. */
export async function connect(db?: string, user?: string, password?: string): Promise<mysql.Connection> {
  const s = server();
  const c = await mysql.createConnection({
    host: s.host,
    port: s.port,
    user: user ?? s.superuser,
    password: password ?? s.password,
    database: db,
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  c.on('error', () => {});
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

export async function exec(db: string, sql: string): Promise<void> {
  const c = await connect(db);
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A HOME with no ~/.my.cnf, so the machine's option file cannot change a test. */
export const emptyHome = mkdtempSync(join(tmpdir(), 'blastguard-myhome-'));

/** The CLI, with MYSQL_PWD set to the server's password unless `env` says otherwise. */
export function cli(args: string[], env: Record<string, string | undefined> = {}, input?: string): Run {
  return run(args, { env: { MYSQL_PWD: server().password, HOME: emptyHome, ...env }, input });
}

export interface Snap {
  schema: {
    boundary: string;
    relations: Record<string, { onDelete: string; description?: string }>;
    types?: Record<string, unknown>;
    maxCascadeDepth?: number;
  };
  entities: { id: string; type: string; name?: string; protected?: boolean; attributes?: Record<string, unknown> }[];
  relations: { from: string; type: string; to: string }[];
}

export function snapshotOf(db: string, extra: string[] = []): { snap: Snap; stderr: string } {
  const r = cli(['ingest', '--graph', uri(db), '--out', '-', '--quiet', ...extra]);
  if (r.code !== 0) throw new Error(`ingest failed (${r.code}): ${r.stderr}`);
  return { snap: JSON.parse(r.stdout) as Snap, stderr: r.stderr };
}
