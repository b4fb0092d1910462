// The password (and user) for a MySQL connection, found as the mysql client finds them: MYSQL_PWD, else the
// option file ~/.my.cnf, group [client] (then [mysql], [mariadb-client]), `password=…` with optional quotes. An
// option file that others may write is ignored with a warning, as the mysql client does.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const GROUPS = ['client', 'mysql', 'client-mariadb', 'mariadb-client'];

export interface OptionLogin {
  password?: string;
  user?: string;
  /** Where the password came from, for a refusal message (never the password itself). */
  source: 'MYSQL_PWD' | 'option file' | 'none';
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.endsWith(t[0])) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t.replace(/\s+#.*$/, '');
}

/** The [client] options of an option file's text (later lines win, as in the mysql client). */
export function parseOptionFile(text: string): { password?: string; user?: string } {
  const out: { password?: string; user?: string } = {};
  let inGroup = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const g = /^\[([^\]]+)\]$/.exec(line);
    if (g) {
      inGroup = GROUPS.includes(g[1].trim().toLowerCase());
      continue;
    }
    if (!inGroup) continue;
    const m = /^([A-Za-z0-9_-]+)\s*(?:=(.*))?$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase().replace(/-/g, '_');
    if (key === 'password' && m[2] !== undefined) out.password = unquote(m[2]);
    if (key === 'user' && m[2] !== undefined) out.user = unquote(m[2]);
  }
  return out;
}

export function lookupMysqlLogin(warn: (line: string) => void): OptionLogin {
  const file = join(process.env.HOME || homedir(), '.my.cnf');
  let fromFile: { password?: string; user?: string } = {};
  try {
    const st = statSync(file);
    if (st.isFile()) {
      if ((st.mode & 0o022) !== 0) warn(`warning: ${file} is writable by others: ignored (as the mysql client does)`);
      else fromFile = parseOptionFile(readFileSync(file, 'utf8'));
    }
  } catch {
    // No option file.
  }
  if (process.env.MYSQL_PWD !== undefined) return { password: process.env.MYSQL_PWD, user: fromFile.user, source: 'MYSQL_PWD' };
  if (fromFile.password !== undefined) return { password: fromFile.password, user: fromFile.user, source: 'option file' };
  return { user: fromFile.user, source: 'none' };
}
