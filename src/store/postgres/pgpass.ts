// The password for a PostgreSQL connection, found as libpq finds it: PGPASSWORD, else the password file
// (PGPASSFILE, default ~/.pgpass) — lines `hostname:port:database:username:password`, `*` matching anything, `\:`
// and `\\` escaping, `#` starting a comment; the first matching line wins. As libpq does, a password file that
// is not a plain file or that group or others can read is ignored (with a warning).
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PasswordTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Splits one line at unescaped `:` and removes the escapes. */
export function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) cur += line[++i];
    else if (ch === ':') {
      fields.push(cur);
      cur = '';
    } else cur += ch;
  }
  fields.push(cur);
  return fields;
}

/** The password of the first line of `text` that matches `t`, or undefined. */
export function matchPgpass(text: string, t: PasswordTarget): string | undefined {
  // libpq compares the host as given; a Unix-socket connection (no host, or a directory) matches "localhost".
  const host = t.host === '' || t.host.startsWith('/') ? 'localhost' : t.host;
  const wanted = [host, String(t.port), t.database, t.user];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const f = splitPgpassLine(line);
    if (f.length < 5) continue;
    if (wanted.every((w, i) => f[i] === '*' || f[i] === w)) {
      // A password may itself contain `:` (escaped): everything after the fourth separator.
      return f.slice(4).join(':');
    }
  }
  return undefined;
}

/** Where the password file is: PGPASSFILE, else ~/.pgpass. */
export function pgpassFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGPASSFILE && env.PGPASSFILE !== '' ? env.PGPASSFILE : join(env.HOME ?? homedir(), '.pgpass');
}

/**
 * The password to send: PGPASSWORD when set (even empty, as libpq), else a match in the password file, else
 * undefined. `warn` receives one line when the file exists but is ignored.
 */
export function lookupPassword(t: PasswordTarget, warn: (line: string) => void, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PGPASSWORD !== undefined) return env.PGPASSWORD;
  const file = pgpassFile(env);
  let mode: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) {
      warn(`warning: password file "${file}" is not a plain file; ignored`);
      return undefined;
    }
    mode = st.mode;
  } catch {
    return undefined;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    warn(`warning: password file "${file}" has group or world access; permissions should be u=rw (0600) or less; ignored`);
    return undefined;
  }
  try {
    return matchPgpass(readFileSync(file, 'utf8'), t);
  } catch {
    return undefined;
  }
}
