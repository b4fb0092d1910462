// Connecting to PostgreSQL with a bounded wait, the password as libpq finds it, and the driver's failures turned
// into one clear line (exit 2). The password is never put in a message: messages name the URI without it.
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { InputError } from '../../model/errors.js';
import { lookupPassword } from './pgpass.js';
import { assertNoPassword, redactPostgresUri } from './uri.js';

export interface PostgresTarget {
  /** postgres://user@host:port/db (or postgresql://…); a password in it is refused. */
  uri: string;
  /** How long to wait for the connection and the login (default 5 s). */
  connectTimeoutMs?: number;
  /** Where warnings go (an ignored password file); default stderr. */
  warn?: (line: string) => void;
}

export interface PostgresConnection {
  readonly client: pg.Client;
  /** The URI without credentials, for messages. */
  readonly where: string;
  readonly user: string;
  readonly database: string;
  close(): Promise<void>;
}

/** How the password was found, for a refusal message (never the password). */
interface Login {
  user: string;
  source: 'PGPASSWORD' | 'password file' | 'none';
}

const NETWORK = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|timeout|timed out|terminated|closed|socket/i;

/** The first line of a driver message. */
function reasonOf(err: unknown): string {
  const e = err as { message?: string; code?: string };
  const msg = (e?.message ?? String(err)).split('\n')[0].trim();
  return msg === '' ? (e?.code ?? 'unknown error') : msg;
}

/**
 * Rethrows a failure to connect or log in as an InputError naming the server (unreachable, refused login, no such
 * database); anything else is rethrown unchanged.
 */
function rethrowConnect(err: unknown, where: string, login: Login): never {
  if (err instanceof InputError) throw err;
  const code = (err as { code?: string }).code ?? '';
  const reason = reasonOf(err);
  if (code === '28P01' || code === '28000') {
    const how = login.source === 'none' ? 'no password (PGPASSWORD is not set and no password file line matches)' : `the password from ${login.source}`;
    throw new InputError({ file: where, message: `PostgreSQL refused user "${login.user}" with ${how}: ${reason}` });
  }
  if (login.source === 'none' && /password must be a (non-empty )?string/i.test(reason)) {
    // The driver will not even try an empty password with SCRAM: the server asked for one, and there is none.
    throw new InputError({
      file: where,
      message: `PostgreSQL refused user "${login.user}" with no password: the server asks for one (set PGPASSWORD, or add a line to ~/.pgpass)`,
    });
  }
  if (code === '3D000') throw new InputError({ file: where, message: `PostgreSQL has no such database: ${reason}` });
  if (code === '53300') throw new InputError({ file: where, message: `PostgreSQL refused the connection: ${reason}` });
  if (code.startsWith('08') || NETWORK.test(code) || NETWORK.test(reason)) throw new InputError({ file: where, message: `cannot reach PostgreSQL: ${reason}` });
  if (code === '' && err instanceof Error) throw new InputError({ file: where, message: `cannot connect to PostgreSQL: ${reason}` });
  throw err;
}

/**
 * Rethrows a failure during work on an open connection: a lost connection or a server shutting down becomes an
 * InputError (exit 2); `during` says what was being done.
 */
export function rethrowPostgres(err: unknown, where: string, during: string): never {
  if (err instanceof InputError) throw err;
  const code = (err as { code?: string }).code ?? '';
  const reason = reasonOf(err);
  // 57P0x: the server is shutting down or the backend was terminated; 08xxx: connection exceptions.
  if (code.startsWith('57P') || code.startsWith('08') || (code === '' && NETWORK.test(reason)) || NETWORK.test(code)) {
    throw new InputError({ file: where, message: `lost the connection to PostgreSQL while ${during}: ${reason}` });
  }
  if (code === '42501') throw new InputError({ file: where, message: `PostgreSQL refused while ${during}: ${reason}` });
  if (code === '57014') throw new InputError({ file: where, message: `PostgreSQL cancelled the query while ${during}: ${reason}` });
  throw err;
}

/** Opens a connection and logs in (within the timeout). */
export async function connectPostgres(target: PostgresTarget): Promise<PostgresConnection> {
  assertNoPassword(target.uri);
  const where = redactPostgresUri(target.uri);
  const warn = target.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const login: Login = { user: '', source: 'none' };
  let client: pg.Client;
  try {
    // Parsed here rather than given as connectionString: the driver would let the URI's (empty) password override
    // the lookup below and fall back to its own, deprecated password-file reading.
    const config = parseIntoClientConfig(target.uri) as pg.ClientConfig & Record<string, unknown>;
    delete config.password;
    client = new pg.Client({
      ...config,
      connectionTimeoutMillis: target.connectTimeoutMs ?? 5000,
      application_name: 'blastguard',
      // Called only when the server asks for a password.
      password: (params: { host?: string; port?: number; database?: string; user?: string }) => {
        const t = { host: params.host ?? '', port: params.port ?? 5432, database: params.database ?? '', user: params.user ?? '' };
        const pw = lookupPassword(t, warn);
        login.source = process.env.PGPASSWORD !== undefined ? 'PGPASSWORD' : pw !== undefined ? 'password file' : 'none';
        // The driver refuses a missing password with a TypeError; an empty one lets the server say no.
        return pw ?? '';
      },
    } as pg.ClientConfig);
  } catch (err) {
    throw new InputError({ file: where, message: `not a usable PostgreSQL URI: ${reasonOf(err)}` });
  }
  const params = (client as unknown as { connectionParameters: { user: string; database: string } }).connectionParameters;
  login.user = params.user;
  // A connection that drops while idle emits 'error' on the client: without a listener that would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    rethrowConnect(err, where, login);
  }
  return { client, where, user: params.user, database: params.database, close: () => client.end().catch(() => {}) };
}

/** Connects, runs `fn`, closes; a lost connection becomes an InputError (see rethrowPostgres). */
export async function withPostgres<T>(target: PostgresTarget, during: string, fn: (conn: PostgresConnection) => Promise<T>): Promise<T> {
  const conn = await connectPostgres(target);
  try {
    return await fn(conn);
  } catch (err) {
    rethrowPostgres(err, conn.where, during);
  } finally {
    await conn.close();
  }
}
