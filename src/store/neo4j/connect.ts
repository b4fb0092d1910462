// Connecting to Neo4j with bounded waits, and turning the driver's failures into one clear line (exit 2).
import neo4j, { type AuthToken, type Driver, type Session } from 'neo4j-driver';
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
}

export interface Neo4jConnection {
  readonly driver: Driver;
  /** The URI without credentials, for messages. */
  readonly where: string;
  readonly database?: string;
  session(mode: 'READ' | 'WRITE'): Session;
  close(): Promise<void>;
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
    throw new InputError({ file: conn.where, message: `Neo4j does not allow user "${conn.user ?? 'neo4j'}" to do this (loads and --backend neo4j need write access): ${reason}` });
  }
  if (code.startsWith(SECURITY)) {
    const how = conn.passwordSet ? 'the password in NEO4J_PASSWORD' : 'no password (NEO4J_PASSWORD is not set)';
    const why = code.endsWith('AuthenticationRateLimit') ? 'is refusing logins for a while (too many failed attempts)' : `refused user "${conn.user ?? 'neo4j'}" with ${how}`;
    throw new InputError({ file: conn.where, message: `Neo4j ${why}` });
  }
  if (code.startsWith('Neo.TransientError.') || code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
    // Still failing after the driver's retries (or the server's transaction timeout): the server's state, not input.
    throw new InputError({ file: conn.where, message: `Neo4j gave up${during ? ` while ${during}` : ''}: ${reason}` });
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

/** Opens a driver and checks that the server answers and accepts the credentials (within the connection timeout). */
export async function connectNeo4j(target: Neo4jTarget): Promise<Neo4jConnection> {
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
    await driver.close().catch(() => {});
    // Not an error from the server or the network (e.g. a port out of range): the URI cannot be used.
    if (!(err instanceof neo4j.Neo4jError)) throw new InputError({ file: where, message: `not a usable Neo4j URI: ${firstLine((err as Error).message)}` });
    if (err.code.startsWith(SECURITY) || err.code === 'Neo.ClientError.Database.DatabaseNotFound') rethrowNeo4j(err, info);
    // Whatever else fails before the first query (refused, timed out, not Bolt at that port) means: not reachable.
    throw new InputError({ file: where, message: `cannot reach Neo4j: ${firstLine(err.message)}` });
  }
  return {
    driver,
    where,
    database: target.database,
    session: (mode) => driver.session({ defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE, database: target.database }),
    close: () => driver.close(),
  };
}

/** Connects, runs `fn`, closes; driver failures about the connection become InputErrors (see rethrowNeo4j). */
export async function withNeo4j<T>(target: Neo4jTarget, during: string, fn: (conn: Neo4jConnection) => Promise<T>): Promise<T> {
  const conn = await connectNeo4j(target);
  try {
    return await fn(conn);
  } catch (err) {
    rethrowNeo4j(err, { where: conn.where, user: target.user, passwordSet: !!target.password }, during);
  } finally {
    await conn.close().catch(() => {});
  }
}
