// The pure parts of reading PostgreSQL (no server): the password-file format, COPY's text format, row IDs, URIs.
import { describe, expect, test } from '@jest/globals';
import { CopyTextParser, unescapeCopy } from '../../src/store/postgres/copy-text.js';
import { rowId } from '../../src/store/postgres/model.js';
import { matchPgpass } from '../../src/store/postgres/pgpass.js';
import { assertNoPassword, isPostgresUri, redactPostgresUri } from '../../src/store/postgres/uri.js';

describe('the password file (libpq format)', () => {
  const t = { host: 'db.example', port: 5432, database: 'app', user: 'ops' };
  test('the first matching line wins; * matches anything; \\: and \\\\ are escapes; # starts a comment', () => {
    const text = ['# comment', 'db.example:5432:other:ops:no', 'db.example:*:app:ops:pa\\:ss\\\\word', '*:*:*:*:fallback'].join('\n');
    expect(matchPgpass(text, t)).toBe('pa:ss\\word');
    expect(matchPgpass(text, { ...t, host: 'elsewhere' })).toBe('fallback');
    expect(matchPgpass('db.example:5433:*:*:x\n', t)).toBeUndefined();
  });
  test('a Unix-socket connection matches "localhost"', () => {
    expect(matchPgpass('localhost:5432:*:ops:sock\n', { ...t, host: '/var/run/postgresql' })).toBe('sock');
  });
});

describe("COPY's text format", () => {
  test('escapes and NULL', () => {
    expect(unescapeCopy('a\\tb\\nc\\\\d\\101\\x42')).toBe('a\tb\nc\\dAB');
    const rows: (string | null)[][] = [];
    const p = new CopyTextParser((r) => rows.push(r));
    const bytes = Buffer.from('1\t\\N\tx\\ty\n2\té\\\\N\n', 'utf8');
    // Split inside the two-byte é: the decoder must not break it.
    const cut = bytes.indexOf(0xc3) + 1;
    p.push(bytes.subarray(0, cut));
    p.push(bytes.subarray(cut));
    p.end();
    expect(rows).toEqual([
      ['1', null, 'x\ty'],
      ['2', 'é\\N'],
    ]);
  });
});

describe('row IDs and URIs', () => {
  test('composite keys are joined by | with % and | encoded; a one-column key is kept as it is', () => {
    expect(rowId('t', ['1', 'a|b', '50%'])).toBe('t:1|a%7Cb|50%25');
    expect(rowId('t', ['a|b'])).toBe('t:a|b');
  });
  test('URIs: recognised, redacted, refused with a password', () => {
    expect(isPostgresUri('postgresql://h/db')).toBe(true);
    expect(isPostgresUri('bolt://h')).toBe(false);
    expect(redactPostgresUri('postgres://u:secret@h:5/db?password=x')).toBe('postgres://u@h:5/db?password=***');
    expect(() => assertNoPassword('postgres://u:secret@h/db')).toThrow(/carries a password/);
    expect(() => assertNoPassword('postgres://u@h/db')).not.toThrow();
  });
});
