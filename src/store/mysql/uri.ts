// MySQL/MariaDB URIs on the command line: recognised by scheme (`mysql://`, `mariadb://`), printed without
// credentials, and refused when they carry a password (it comes from MYSQL_PWD or an option file instead).
import { InputError } from '../../model/errors.js';
import { redactPostgresUri } from '../postgres/uri.js';

const SCHEMES = ['mysql', 'mariadb'];

/** True for `mysql://…` and `mariadb://…`. */
export function isMysqlUri(s: string): boolean {
  const m = /^([a-z0-9+.-]+):\/\//i.exec(s);
  return m !== null && SCHEMES.includes(m[1].toLowerCase());
}

/** The URI without any password (the same rule as for PostgreSQL URIs). */
export const redactMysqlUri = redactPostgresUri;

export interface MysqlUriParts {
  host: string;
  port: number;
  user: string | undefined;
  database: string;
}

/** Host, port, user and database of a URI; a password in it, or no database, is refused (without printing it). */
export function parseMysqlUri(uri: string): MysqlUriParts {
  const where = redactMysqlUri(uri);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InputError({ file: where, message: 'not a usable MySQL URI (mysql://USER@HOST:PORT/DATABASE)' });
  }
  if (url.password !== '' || url.searchParams.has('password')) {
    throw new InputError({
      file: where,
      message:
        'the URI carries a password: remove it and set MYSQL_PWD or put it in ~/.my.cnf [client] (a password on the command line leaks into shell history and process lists)',
    });
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) throw new InputError({ file: where, message: 'name the database to read: mysql://USER@HOST:PORT/DATABASE' });
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: url.port === '' ? 3306 : Number(url.port),
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    database,
  };
}
