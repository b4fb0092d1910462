// Connecting to MySQL/MariaDB with a bounded wait, the password from MYSQL_PWD or ~/.my.cnf, and the driver's
// failures turned into one clear line (exit 2). The password is never put in a message.
import { userInfo } from 'node:os';
import mysql from 'mysql2/promise';
import { InputError } from '../../model/errors.js';
import { lookupMysqlLogin } from './option-file.js';
import { parseMysqlUri, redactMysqlUri } from './uri.js';

export interface MysqlTarget {
  /** mysql://USER@HOST:PORT/DATABASE (or mariadb://…); a password in it is refused. */
  uri: string;
  /** How long to wait for the connection and the login (default 5 s). */
  connectTimeoutMs?: number;
  warn?: (line: string) => void;
}

export interface MysqlConnection {
  readonly conn: mysql.Connection;
  readonly where: string;
  readonly user: string;
  readonly database: string;
  close(): Promise<void>;
  /**
   * Whether the connection can still take a command. mysql2 queues a command on a connection that died (killed,
   * the server gone) and never answers it: ROLLBACK or QUIT there would wait for ever (Node then exits 13).
   */
  alive(): boolean;
}

const NETWORK =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|EPIPE|PROTOCOL_CONNECTION_LOST|timeout|timed out|closed|socket/i;

function reasonOf(err: unknown): string {
  const e = err as { message?: string; code?: string };
  const msg = (e?.message ?? String(err)).split('\n')[0].trim();
  return msg === '' ? (e?.code ?? 'unknown error') : msg;
}

/** A lost connection or a refusal during work becomes an InputError (exit 2); `during` says what was being done. */
export function rethrowMysql(err: unknown, where: string, during: string): never {
  if (err instanceof InputError) throw err;
  const e = err as { code?: string; errno?: number };
  const code = e.code ?? '';
  const reason = reasonOf(err);
  if (NETWORK.test(code) || (e.errno === undefined && NETWORK.test(reason)) || e.errno === 1053 || e.errno === 1927 || e.errno === 2013) {
    throw new InputError({ file: where, message: `lost the connection to MySQL while ${during}: ${reason}` });
  }
  if (e.errno === 1142 || e.errno === 1143 || e.errno === 1044) throw new InputError({ file: where, message: `MySQL refused while ${during}: ${reason}` });
  // KILL QUERY (an administrator, a watchdog) or max_statement_time: the server stopped the statement.
  if (e.errno === 1317 || e.errno === 1969 || e.errno === 3024)
    throw new InputError({ file: where, message: `MySQL interrupted the query while ${during}: ${reason}` });
  throw err;
}

export async function connectMysql(target: MysqlTarget): Promise<MysqlConnection> {
  const where = redactMysqlUri(target.uri);
  const parts = parseMysqlUri(target.uri);
  const warn = target.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const login = lookupMysqlLogin(warn);
  const user = parts.user ?? login.user ?? userInfo().username;
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      host: parts.host,
      port: parts.port,
      user,
      password: login.password,
      database: parts.database,
      connectTimeout: target.connectTimeoutMs ?? 5000,
      // Every value is read as text (the SQL casts it): numbers never pass through a JavaScript number.
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      charset: 'UTF8MB4_BIN',
      multipleStatements: false,
    });
  } catch (err) {
    const e = err as { code?: string; errno?: number };
    const reason = reasonOf(err);
    if (e.errno === 1045 || e.errno === 1698) {
      const how = login.source === 'none' ? 'no password (MYSQL_PWD is not set and ~/.my.cnf has none)' : `the password from ${login.source}`;
      throw new InputError({ file: where, message: `MySQL refused user "${user}" with ${how}: ${reason}` });
    }
    if (e.errno === 1049) throw new InputError({ file: where, message: `MySQL has no such database: ${reason}` });
    if (e.errno === 1044) throw new InputError({ file: where, message: `MySQL refused user "${user}" the database: ${reason}` });
    if (e.errno === 1040 || e.errno === 1203) throw new InputError({ file: where, message: `MySQL refused the connection: ${reason}` });
    if (NETWORK.test(e.code ?? '') || NETWORK.test(reason)) throw new InputError({ file: where, message: `cannot reach MySQL: ${reason}` });
    throw new InputError({ file: where, message: `cannot connect to MySQL: ${reason}` });
  }
  // A connection that drops while idle emits 'error': without a listener that would crash the process.
  conn.on('error', () => {});
  const core = (conn as unknown as { connection: { _fatalError?: unknown; _closing?: boolean; stream?: { destroyed?: boolean } } }).connection;
  const alive = () => !core._fatalError && !core._closing && core.stream?.destroyed !== true;
  return {
    conn,
    where,
    user,
    database: parts.database,
    alive,
    close: () => (alive() ? conn.end().catch(() => {}) : Promise.resolve(conn.destroy())),
  };
}

/** Connects, runs `fn`, closes; a lost connection becomes an InputError. */
export async function withMysql<T>(target: MysqlTarget, during: string, fn: (c: MysqlConnection) => Promise<T>): Promise<T> {
  const c = await connectMysql(target);
  try {
    return await fn(c);
  } catch (err) {
    rethrowMysql(err, c.where, during);
  } finally {
    await c.close();
  }
}
