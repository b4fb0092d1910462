// PostgreSQL URIs on the command line: recognised by scheme, printed without credentials, and refused when they
// carry a password (a password on a command line ends up in shell history and `ps`; it comes from PGPASSWORD or
// ~/.pgpass instead, as with libpq).
import { InputError } from '../../model/errors.js';

const SCHEMES = ['postgres', 'postgresql'];

/** True for `postgres://…` and `postgresql://…`. */
export function isPostgresUri(s: string): boolean {
  const m = /^([a-z0-9+.-]+):\/\//i.exec(s);
  return m !== null && SCHEMES.includes(m[1].toLowerCase());
}

/** The URI with any `:password` removed from its user part (the user stays: it says who connects), for messages. */
export function redactPostgresUri(uri: string): string {
  return uri
    .replace(/^([a-z0-9+.-]+:\/\/)([^@/?#]*)@/i, (_, scheme: string, user: string) => `${scheme}${user.split(':')[0]}@`)
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** Refuses a URI that carries a password (in the user part or as `?password=`), without printing it. */
export function assertNoPassword(uri: string): void {
  const userPart = /^[a-z0-9+.-]+:\/\/([^@/?#]*)@/i.exec(uri)?.[1];
  if ((userPart !== undefined && userPart.includes(':')) || /[?&]password=/i.test(uri)) {
    throw new InputError({
      file: redactPostgresUri(uri),
      message:
        'the URI carries a password: remove it and set PGPASSWORD or use ~/.pgpass (a password on the command line leaks into shell history and process lists)',
    });
  }
}
