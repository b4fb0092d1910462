// Connecting to Neo4j with bounded waits, and turning the driver's failures into one clear line (exit 2).
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import neo4j, { type AuthToken, type BookmarkManager, type Driver, type Session } from 'neo4j-driver';
import { InputError } from '../../model/errors.js';
import { redactUri } from './names.js';

export interface Neo4jTarget {
  /** bolt://HOST:PORT, neo4j://HOST:PORT (or a +s / +ssc variant). */
  uri: string;
  /** Default `neo4j`. */
  user?: string;
  /** Without one, the driver connects without authentication. */
  password?: string;
  /** The database to use; the server's default database when absent. */
  database?: string;
  /** How long to wait for a TCP connection (default 5 s). */
  connectionTimeoutMs?: number;
  /** How long to keep retrying a transaction that failed for a transient reason or a lost connection (default 10 s). */
  retryTimeMs?: number;
  /**
   * How long the server may send nothing while a command waits on it before the command gives up (default 120 s):
   * a server (or proxy) that accepted the connection and then stopped answering must not hang a CI job for ever.
   */
  idleTimeoutMs?: number;
  /**
   * Bookmarks of writes this process did not make (e.g. printed by another process's load) that every read must
   * see: on a cluster, a read then waits until the member serving it has caught up with them.
   */
  bookmarks?: readonly string[];
}

/** The default of `idleTimeoutMs`. */
export const IDLE_TIMEOUT_MS = 120_000;

export interface Neo4jConnection {
  readonly driver: Driver;
  /** The URI without credentials, for messages. */
  readonly where: string;
  readonly database?: string;
  session(mode: 'READ' | 'WRITE'): Session;
  close(): Promise<void>;
}

// Causal consistency within a process: every connection to the same URI and database shares one bookmark manager,
// so a plan that follows a load in the same process (the library: writeGraphToNeo4j, then planInNeo4j) reads what
// the load wrote even when a cluster routes the read to another member. Loads and plans open their own drivers, so
// the manager has to outlive them.
const bookmarkManagers = new Map<string, BookmarkManager>();

// A target that brings bookmarks of its own (from another process) gets a manager of its own, keyed by them too:
// a bookmark the server refuses then fails only the targets that carry it, not every later connection of the
// process to that database.
function bookmarkKey(target: Pick<Neo4jTarget, 'uri' | 'database' | 'bookmarks'>): string {
  return `${redactUri(target.uri)}\u0000${target.database ?? ''}\u0000${(target.bookmarks ?? []).join('\u0000')}`;
}

function bookmarkManagerFor(target: Neo4jTarget): BookmarkManager {
  const key = bookmarkKey(target);
  let manager = bookmarkManagers.get(key);
  if (!manager) bookmarkManagers.set(key, (manager = neo4j.bookmarkManager({ initialBookmarks: target.bookmarks ?? [] })));
  return manager;
}

/** The bookmarks of the writes this process made to `target` so far (to hand to another process's `bookmarks`). */
export async function neo4jBookmarks(target: Pick<Neo4jTarget, 'uri' | 'database' | 'bookmarks'>): Promise<string[]> {
  const manager = bookmarkManagers.get(bookmarkKey(target));
  return manager ? [...(await manager.getBookmarks())] : [];
}

// neo4j.auth.none() exists at run time but is missing from the driver's index.d.ts.
const NO_AUTH = { scheme: 'none' } as unknown as AuthToken;
const SECURITY = 'Neo.ClientError.Security.';
const UNAVAILABLE = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable']);

/**
 * Rethrows a driver failure as an InputError when it is about reaching the server (unreachable, lost, refused
 * credentials, unknown database), so the CLI prints one line and exits 2; anything else (a Cypher error is a bug
 * here) is rethrown unchanged. `during` says what was being done, for a lost connection.
 */
export function rethrowNeo4j(err: unknown, conn: { where: string; user?: string; passwordSet?: boolean }, during?: string): never {
  if (err instanceof InputError) throw err;
  const e = err as { code?: string; message?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  const reason = firstLine(e?.message ?? String(err));
  if (code === `${SECURITY}Forbidden` || code.startsWith(`${SECURITY}Forbidden`)) {
    // Logged in, but not allowed: e.g. a read-only user (loads write; the push-down writes marks it rolls back).
    throw new InputError({
      file: conn.where,
      message: `Neo4j does not allow user "${conn.user ?? 'neo4j'}" to do this (loads need write access; plans only read): ${reason}`,
    });
  }
  if (code.startsWith(SECURITY)) {
    const how = conn.passwordSet ? 'the password in NEO4J_PASSWORD' : 'no password (NEO4J_PASSWORD is not set)';
    const why = code.endsWith('AuthenticationRateLimit')
      ? 'is refusing logins for a while (too many failed attempts)'
      : `refused user "${conn.user ?? 'neo4j'}" with ${how}`;
    throw new InputError({ file: conn.where, message: `Neo4j ${why}` });
  }
  if (code.startsWith('Neo.TransientError.') || code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
    // Still failing after the driver's retries (or the server's transaction timeout): the server's state, not input.
    throw new InputError({ file: conn.where, message: `Neo4j gave up${during ? ` while ${during}` : ''}: ${reason}` });
  }
  if (code.startsWith('Neo.ClientError.Transaction.InvalidBookmark')) {
    // A bookmark that is not one (a mangled file) or belongs to another database or cluster: the input, not a bug.
    throw new InputError({ file: conn.where, message: `Neo4j refused the bookmarks given (--neo4j-bookmarks, NEO4J_BOOKMARKS): ${reason}` });
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') throw new InputError({ file: conn.where, message: `Neo4j has no such database: ${reason}` });
  if (UNAVAILABLE.has(code) || /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|timed out|Connection was closed/i.test(reason)) {
    const what = during ? `lost the connection to Neo4j while ${during}` : 'cannot reach Neo4j';
    throw new InputError({ file: conn.where, message: `${what}: ${reason}` });
  }
  throw err;
}

/** The useful part of a driver message: what it was "Caused by", else its first sentence. */
function firstLine(s: string): string {
  const caused = /Caused by: (.+)$/m.exec(s);
  if (caused) return caused[1].trim().replace(/\.$/, '');
  const line = (s.split('\n').find((l) => l.trim() !== '') ?? s).trim();
  const sentence = /^(.+?\.)(\s|$)/.exec(line);
  return (sentence ? sentence[1] : line).replace(/\.$/, '');
}

// The sockets the driver opens for one connection, found through Node's `net.client.socket` channel within the
// asynchronous context of that connection's calls (so never another part of the program's sockets). Closing the
// driver does not close a socket still waiting for the server's handshake: against a server that accepts and never
// answers, that socket would keep the process alive for ever. Closing destroys what the driver left open.
// (TLS sockets, bolt+s://, are not announced on that channel; the CLI also exits explicitly once a command ends.)
const socketsOf = new AsyncLocalStorage<Set<Socket>>();
let watching = false;

function watchSockets(): void {
  if (watching) return;
  watching = true;
  subscribe('net.client.socket', (message) => socketsOf.getStore()?.add((message as { socket: Socket }).socket));
}

/** How long closing waits for the driver to end its connections politely before destroying the sockets. */
const CLOSE_WAIT_MS = 2000;

/**
 * Closes the driver (waiting at most CLOSE_WAIT_MS) and destroys every socket it opened and left open; `abrupt`
 * (after a failed connection, where nothing is left to say goodbye to) destroys the sockets first.
 */
async function closeAll(driver: Driver, sockets: Set<Socket>, abrupt = false): Promise<void> {
  if (abrupt) for (const socket of sockets) socket.destroy();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([driver.close().catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
  clearTimeout(timer);
  for (const socket of sockets) socket.destroy();
  sockets.clear();
}

/** Opens a driver and checks that the server answers and accepts the credentials (within the connection timeout). */
export async function connectNeo4j(target: Neo4jTarget): Promise<Neo4jConnection> {
  watchSockets();
  const sockets = socketsOf.getStore();
  return sockets ? connectWith(target, sockets) : socketsOf.run(new Set(), () => connectWith(target, socketsOf.getStore()!));
}

async function connectWith(target: Neo4jTarget, sockets: Set<Socket>): Promise<Neo4jConnection> {
  const where = redactUri(target.uri);
  const user = target.user ?? 'neo4j';
  const passwordSet = target.password !== undefined && target.password !== '';
  const info = { where, user, passwordSet };
  const timeout = target.connectionTimeoutMs ?? 5000;
  let driver: Driver;
  try {
    driver = neo4j.driver(target.uri, passwordSet ? neo4j.auth.basic(user, target.password!) : NO_AUTH, {
      connectionTimeout: timeout,
      connectionAcquisitionTimeout: timeout * 2,
      maxTransactionRetryTime: target.retryTimeMs ?? 10_000,
      disableLosslessIntegers: true,
      fetchSize: 2000,
      userAgent: 'blastguard',
    });
  } catch (err) {
    // A malformed URI (bad port, unknown scheme) fails here, synchronously.
    throw new InputError({ file: where, message: `not a usable Neo4j URI: ${firstLine((err as Error).message)}` });
  }
  try {
    await driver.verifyConnectivity(target.database ? { database: target.database } : {});
  } catch (err) {
    await closeAll(driver, sockets, true);
    // Not an error from the server or the network (e.g. a port out of range): the URI cannot be used.
    if (!(err instanceof neo4j.Neo4jError)) throw new InputError({ file: where, message: `not a usable Neo4j URI: ${firstLine((err as Error).message)}` });
    if (err.code.startsWith(SECURITY) || err.code === 'Neo.ClientError.Database.DatabaseNotFound') rethrowNeo4j(err, info);
    // Whatever else fails before the first query (refused, timed out, not Bolt at that port) means: not reachable.
    const silent = /acquisition timed out/i.test(err.message) ? ` (it accepted the connection but gave no Bolt answer within ${(timeout * 2) / 1000} s)` : '';
    throw new InputError({ file: where, message: `cannot reach Neo4j: ${firstLine(err.message)}${silent}` });
  }
  const bookmarkManager = bookmarkManagerFor(target);
  return {
    driver,
    where,
    database: target.database,
    session: (mode) =>
      driver.session({ defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE, database: target.database, bookmarkManager }),
    close: () => closeAll(driver, sockets),
  };
}

/**
 * Rejects once no byte has gone either way on `sockets` for `idleMs` (the driver itself never gives up on a query
 * the server does not answer). Time our own code spends busy is not the server's silence: a late tick counts as
 * activity.
 */
function idleWatch(sockets: Set<Socket>, idleMs: number, fail: () => Error): { expired: Promise<never>; stop: () => void } {
  const period = Math.min(1000, Math.max(50, idleMs / 4));
  let last = Date.now();
  let tick = last;
  let seen = -1;
  let reject: (err: Error) => void = () => {};
  const expired = new Promise<never>((_, r) => (reject = r));
  expired.catch(() => {});
  const timer = setInterval(() => {
    const now = Date.now();
    let bytes = 0;
    for (const s of sockets) bytes += s.bytesRead + s.bytesWritten;
    if (bytes !== seen || now - tick > 2 * period) {
      seen = bytes;
      last = now;
    }
    tick = now;
    if (now - last >= idleMs) {
      clearInterval(timer);
      reject(fail());
    }
  }, period);
  return { expired, stop: () => clearInterval(timer) };
}

/** Connects, runs `fn`, closes; driver failures about the connection become InputErrors (see rethrowNeo4j). */
export async function withNeo4j<T>(target: Neo4jTarget, during: string, fn: (conn: Neo4jConnection) => Promise<T>): Promise<T> {
  watchSockets();
  // One context for the connection and everything `fn` does with it: every socket opened is closed at the end.
  return socketsOf.run(new Set(), async () => {
    const conn = await connectNeo4j(target);
    const idleMs = target.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    const silence = () => new InputError({ file: conn.where, message: `Neo4j stopped answering while ${during}: nothing received for ${idleMs / 1000} s` });
    const watch = idleWatch(socketsOf.getStore()!, idleMs, silence);
    try {
      const work = fn(conn);
      work.catch(() => {}); // when the watch wins, the abandoned work fails later, unheard
      return await Promise.race([work, watch.expired]);
    } catch (err) {
      rethrowNeo4j(err, { where: conn.where, user: target.user, passwordSet: !!target.password }, during);
    } finally {
      watch.stop();
      await conn.close().catch(() => {});
    }
  });
}
