// Helpers for the Neo4j suite: the pool of shared servers started by global-setup.mjs, a lock per server so that
// suites sharing one do not clear each other's database, and canonical snapshots.
import { afterAll, beforeAll, describe } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../../src/model/types.js';
import { connectNeo4j, type Neo4jConnection } from '../../src/store/neo4j/connect.js';

/** Why the suite is skipped (no Java or no Maven), or undefined. */
export const skipReason = process.env.BLASTGUARD_NEO4J_SKIP;
export const describeNeo4j = (skipReason ? describe.skip : describe) as typeof describe;

/** Generous: the server takes 7-50 s to boot on a loaded machine. */
export const SERVER_WAIT_MS = 300_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ServerInfo {
  uri: string;
  port: number;
  home: string;
  pid: number;
}

/** A server global-setup.mjs started (see servers.mjs), once it is ready: 'fault', or one of the shared pool's. */
export async function serverInfo(name: string): Promise<ServerInfo> {
  const dir = process.env.BLASTGUARD_NEO4J_STATE;
  if (!dir) throw new Error('no Neo4j server: test/neo4j/global-setup.mjs did not start one (is it configured in jest.config.js?)');
  const file = join(dir, `${name}.json`);
  const deadline = Date.now() + SERVER_WAIT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the Neo4j server "${name}" was not ready after ${SERVER_WAIT_MS} ms`);
    await sleep(200);
  }
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerInfo> & { error?: string };
  if (!state.uri) throw new Error(`the Neo4j server "${name}" did not start: ${state.error}`);
  return state as ServerInfo;
}

/** The shared pool's servers (shared-1, …), as global-setup.mjs started them. */
function sharedServers(): string[] {
  const names = (process.env.BLASTGUARD_NEO4J_SHARED ?? '').split(',').filter(Boolean);
  if (!names.length) throw new Error('no shared Neo4j server: global-setup.mjs started none (is this file listed in servers.mjs?)');
  return names;
}

/**
 * Takes one of the shared servers for one test file (released by the returned function): the first that no other
 * file holds; when all are held, waits for one.
 */
export async function lockSharedDatabase(): Promise<{ name: string; release: () => void }> {
  const names = sharedServers();
  for (;;) {
    for (const name of names) {
      const release = tryLock(join(process.env.BLASTGUARD_NEO4J_STATE!, `${name}.lock`));
      if (release) return { name, release };
    }
    await sleep(200);
  }
}

/** Takes the lock directory, or takes over one whose holder died; undefined when a live process holds it. */
function tryLock(dir: string): (() => void) | undefined {
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'pid'), String(process.pid));
    return () => rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    let pid = 0;
    try {
      pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    } catch {
      /* being written */
    }
    if (pid && !alive(pid)) rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function connect(uri: string, password?: string): Promise<Neo4jConnection> {
  return connectNeo4j({ uri, password });
}

/** Runs one Cypher statement (auto-commit) and returns plain rows. */
export async function cypher(conn: Neo4jConnection, q: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
  const session = conn.session('WRITE');
  try {
    return (await session.run(q, params)).records.map((r) => r.toObject());
  } finally {
    await session.close();
  }
}

/** Empties the database (nodes, relationships; constraints stay). */
export async function clearDatabase(conn: Neo4jConnection): Promise<void> {
  await cypher(conn, 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The snapshot in the order a graph read from Neo4j has: entities by ID, relations by (from, type, to), without
 * duplicate relations (Neo4j keeps one relationship per from, type and to).
 */
export function canonicalSnapshot(snap: Snapshot): Snapshot {
  const seen = new Set<string>();
  const relations = [...snap.relations]
    .sort((a, b) => cmp(a.from, b.from) || cmp(a.type, b.type) || cmp(a.to, b.to))
    .filter((r) => {
      const k = `${r.from}\u0000${r.type}\u0000${r.to}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  return { schema: snap.schema, entities: [...snap.entities].sort((a, b) => cmp(a.id, b.id)), relations };
}

/** Writes a snapshot to a fresh temporary file and returns its path. */
export function snapshotFile(snap: Snapshot, name = 'graph.json'): string {
  const dir = join(tmpdir(), `blastguard-neo4j-test-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(snap));
  return file;
}

/**
 * A shared server's database for the calling test file (whichever of the pool is free): its lock taken and a
 * connection opened before the file's tests (emptied first with `clear`), both given back after. `ready` receives
 * the URI and the connection.
 */
export function useSharedDatabase(ready: (uri: string, conn: Neo4jConnection) => void, options: { clear?: boolean } = {}): void {
  let conn: Neo4jConnection | undefined;
  let release: (() => void) | undefined;
  beforeAll(async () => {
    const lock = await lockSharedDatabase();
    release = lock.release;
    const { uri } = await serverInfo(lock.name);
    conn = await connect(uri);
    if (options.clear) await clearDatabase(conn);
    ready(uri, conn);
  }, SERVER_WAIT_MS);
  afterAll(async () => {
    await conn?.close();
    release?.();
  });
}
