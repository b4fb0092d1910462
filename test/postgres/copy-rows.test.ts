// The COPY rows reader (src/store/postgres/copy-rows.ts cuts socket chunks into rows where their CopyData messages
// are; copy-fast.ts hashes and interns the IDs from those bytes) against a real server: rows whose messages are cut
// by the socket's chunks at every offset (inside the 5-byte header too), a row of several MiB spanning many chunks,
// escaped values taking the text path between byte-path rows, and composite keys with % and |, all read exactly as
// a plain query returns them.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { connect, createDatabase, describePg, server, snapshotOf, type Snap } from './helpers.js';

let db: string;
let dir: string;
let overlay: string;

const SQL = `
CREATE TABLE doc (id text PRIMARY KEY, name text, parent text REFERENCES doc ON DELETE CASCADE);
CREATE TABLE link (a text, b text, PRIMARY KEY (a, b),
  FOREIGN KEY (a) REFERENCES doc ON DELETE CASCADE, FOREIGN KEY (b) REFERENCES doc ON DELETE CASCADE);
-- 20,000 rows of 1 to 300 bytes: CopyData messages end at every offset of the socket's chunks.
INSERT INTO doc SELECT 'd' || g, repeat(chr(97 + g % 26), 1 + (g * 7919) % 300), CASE WHEN g > 1 THEN 'd' || (g / 2) END
  FROM generate_series(1, 20000) g;
-- One row of 3 MiB, and values with escapes (tab, newline, backslash) and multi-byte characters between them.
INSERT INTO doc VALUES ('big', repeat('0123456789abcdef', 196608), 'd1'),
  (E'tab\\there', E'line\\nbreak and back\\\\slash', 'd2'), ('é✓', 'ünïcødé 🙂', NULL), ('50%|x', NULL, 'big');
INSERT INTO link SELECT 'd' || g, 'd' || (g * 13 % 20000 + 1) FROM generate_series(1, 5000) g;
INSERT INTO link VALUES ('50%|x', E'tab\\there'), ('é✓', '50%|x');
`;

beforeAll(async () => {
  server();
  db = await createDatabase('copyrows', SQL);
  dir = mkdtempSync(join(os.tmpdir(), 'bg-copyrows-'));
  overlay = join(dir, 'overlay.yaml');
  writeFileSync(overlay, 'boundary: doc\ntables:\n  doc: { name: name }\n');
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A composite key as the model writes it (docs/databases.md): % and | percent-encoded, parts joined by |. */
const part = (v: string) => v.replace(/%/g, '%25').replace(/\|/g, '%7C');

describePg('COPY rows read off the socket', () => {
  test('every row, name and reference as a plain query returns them', async () => {
    const c = await connect(db);
    let docs: { id: string; name: string | null; parent: string | null }[];
    let links: { a: string; b: string }[];
    try {
      docs = (await c.query<{ id: string; name: string | null; parent: string | null }>('SELECT id, name, parent FROM doc')).rows;
      links = (await c.query<{ a: string; b: string }>('SELECT a, b FROM link')).rows;
    } finally {
      await c.end();
    }
    const { snap } = snapshotOf(db, ['--overlay', overlay]);
    const entity = (e: Snap['entities'][number]) => `${e.id}\t${e.type}\t${e.name ?? '(none)'}`;
    const expected = [
      ...docs.map((d) => `doc:${d.id}\tdoc\t${d.name ?? '(none)'}`),
      ...links.map((l) => `link:${part(l.a)}|${part(l.b)}\tlink\t(none)`),
    ].sort();
    const got = snap.entities.map(entity).sort();
    expect(got.length).toBe(expected.length);
    expect(got).toEqual(expected);
    expect(snap.entities.find((e) => e.id === 'doc:big')?.name).toHaveLength(3 << 20);
    const onDelete = (type: string) => snap.schema.relations[type].onDelete;
    const rels = snap.relations.map((r) => `${r.from} -${onDelete(r.type)}-> ${r.to}`).sort();
    const expectedRels = [
      ...docs.filter((d) => d.parent !== null).map((d) => `doc:${d.id} -cascade-> doc:${d.parent}`),
      ...links.flatMap((l) => {
        const from = `link:${part(l.a)}|${part(l.b)}`;
        return [`${from} -cascade-> doc:${l.a}`, `${from} -cascade-> doc:${l.b}`];
      }),
    ].sort();
    expect(rels).toEqual(expectedRels);
  }, 120_000);
});
