// The model read from PostgreSQL's catalog (docs/databases.md), checked on small schemas made for each rule: entity
// types and row IDs (composite keys, 64-bit integers, numerics, UUIDs), relation types and their onDelete, MATCH
// SIMPLE, keys to unique columns, tables without a primary key, and names that need quoting.
import { beforeAll, expect, test } from '@jest/globals';
import { cli, createDatabase, describePg, exec, relStrings, server, snapshotOf, uri, type Snap } from './helpers.js';

const SCHEMA = `
CREATE TABLE tenant (id bigint PRIMARY KEY, name text);
CREATE TABLE project (tenant_id bigint NOT NULL REFERENCES tenant ON DELETE CASCADE, code text, PRIMARY KEY (tenant_id, code));
CREATE TABLE task (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  project_code text,
  parent_id bigint REFERENCES task ON DELETE CASCADE,
  CONSTRAINT task_project FOREIGN KEY (tenant_id, project_code) REFERENCES project ON DELETE SET NULL (project_code)
);
CREATE TABLE price (amount numeric(10, 2) PRIMARY KEY);
CREATE TABLE token (id uuid PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenant ON DELETE NO ACTION);
CREATE TABLE account (id int PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE login (id int PRIMARY KEY, email text REFERENCES account (email) ON DELETE CASCADE);
CREATE TABLE actions (
  id int PRIMARY KEY,
  c int REFERENCES account ON DELETE CASCADE,
  n int REFERENCES account ON DELETE SET NULL,
  nn int NOT NULL REFERENCES account ON DELETE SET NULL,
  d int DEFAULT NULL REFERENCES account ON DELETE SET DEFAULT,
  dd int DEFAULT 1 REFERENCES account ON DELETE SET DEFAULT,
  r int REFERENCES account ON DELETE RESTRICT,
  na int REFERENCES account ON DELETE NO ACTION,
  nai int REFERENCES account ON DELETE NO ACTION DEFERRABLE INITIALLY IMMEDIATE,
  nad int REFERENCES account ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE small (id int PRIMARY KEY, big_id bigint);
CREATE TABLE wide (id bigint PRIMARY KEY, small_id int REFERENCES small ON DELETE CASCADE);
CREATE TABLE one (id int PRIMARY KEY, x int, CONSTRAINT same_name FOREIGN KEY (x) REFERENCES account);
CREATE TABLE two (id int PRIMARY KEY, x int, CONSTRAINT same_name FOREIGN KEY (x) REFERENCES account);
CREATE TABLE log_lines (tenant_id bigint REFERENCES tenant, line text);
CREATE TABLE "a""; DROP TABLE b; --" (key text PRIMARY KEY, tenant_id bigint REFERENCES tenant ON DELETE CASCADE);
CREATE TABLE b (id int PRIMARY KEY);
CREATE SCHEMA billing;
CREATE TABLE billing.invoice (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenant ON DELETE RESTRICT);
CREATE TABLE events (id bigint, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

INSERT INTO tenant VALUES (9007199254740993, 'big'), (1, 'one');
INSERT INTO project VALUES (1, 'a|b'), (1, '50%'), (9007199254740993, 'x');
INSERT INTO task VALUES (9223372036854775807, 1, 'a|b', NULL), (2, 1, NULL, 9223372036854775807), (3, 9007199254740993, 'x', NULL);
INSERT INTO price VALUES (12.50), (0.10);
INSERT INTO token VALUES ('0b3c5a4e-1f2d-4c3b-9a8e-7f6d5c4b3a21', 9007199254740993);
INSERT INTO account VALUES (1, 'a@x'), (2, 'b|c@x');
INSERT INTO login VALUES (10, 'b|c@x'), (11, NULL);
INSERT INTO actions VALUES (1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
INSERT INTO small VALUES (5, 5);
INSERT INTO wide VALUES (7, 5);
INSERT INTO one VALUES (1, 1); INSERT INTO two VALUES (1, 2);
INSERT INTO log_lines VALUES (1, 'x'), (1, 'y'), (NULL, 'z');
INSERT INTO "a""; DROP TABLE b; --" VALUES ('it''s "quoted"; DROP TABLE b; --', 1);
INSERT INTO b VALUES (1);
INSERT INTO billing.invoice VALUES (77, 1);
INSERT INTO events VALUES (1, '2026-05-01'), (2, '2026-06-01');
`;

let db: string;
let snap: Snap;
let stderr: string;

beforeAll(async () => {
  server();
  db = await createDatabase('catalog', SCHEMA);
  ({ snap, stderr } = snapshotOf(db));
}, 60_000);

const ids = () => snap.entities.map((e) => e.id).sort();
const onDelete = (name: string) => snap.schema.relations[name]?.onDelete;

describePg('the model read from the catalog', () => {
  test('row IDs: table:key, composite keys joined by | with % and | encoded, integers of any size exact, numerics and UUIDs as text', () => {
    expect(ids()).toEqual(
      expect.arrayContaining([
        'tenant:9007199254740993',
        'tenant:1',
        'project:1|a%7Cb',
        'project:1|50%25',
        'project:9007199254740993|x',
        'task:9223372036854775807',
        'price:12.50',
        'price:0.10',
        'token:0b3c5a4e-1f2d-4c3b-9a8e-7f6d5c4b3a21',
        // A one-column key is written as it is, even with a |.
        'account:2',
        'events:1|2026-05-01',
      ]),
    );
    expect(relStrings(snap)).toEqual(
      expect.arrayContaining([
        'task:2 -task_parent_id_fkey-> task:9223372036854775807',
        'task:9223372036854775807 -task_project-> project:1|a%7Cb',
        'task:3 -task_project-> project:9007199254740993|x',
        'token:0b3c5a4e-1f2d-4c3b-9a8e-7f6d5c4b3a21 -token_tenant_id_fkey-> tenant:9007199254740993',
      ]),
    );
  });

  test('entity types: the table name in public, schema.table elsewhere; a partitioned table is read once, through its parent', () => {
    expect(Object.keys(snap.schema.types!).sort()).toEqual(
      [
        'a"; DROP TABLE b; --',
        'account',
        'actions',
        'b',
        'billing.invoice',
        'events',
        'login',
        'one',
        'price',
        'project',
        'small',
        'task',
        'tenant',
        'token',
        'two',
        'wide',
      ].sort(),
    );
    expect(snap.entities.filter((e) => e.type === 'events')).toHaveLength(2);
    expect(relStrings(snap)).toContain('billing.invoice:77 -invoice_tenant_id_fkey-> tenant:1');
  });

  test('onDelete of each kind of constraint, with the reason when it is conservative', () => {
    expect(onDelete('actions_c_fkey')).toBe('cascade');
    expect(onDelete('actions_n_fkey')).toBe('detach');
    expect(onDelete('actions_d_fkey')).toBe('detach');
    expect(onDelete('actions_r_fkey')).toBe('protect');
    expect(onDelete('actions_na_fkey')).toBe('protect');
    expect(onDelete('actions_nai_fkey')).toBe('protect');
    expect(onDelete('actions_nad_fkey')).toBe('restrict');
    // SET NULL on a NOT NULL column fails in the database; a non-NULL default re-points the row at another row.
    expect(onDelete('actions_nn_fkey')).toBe('protect');
    expect(snap.schema.relations.actions_nn_fkey.description).toMatch(/nn is NOT NULL: the database refuses/);
    expect(onDelete('actions_dd_fkey')).toBe('protect');
    expect(snap.schema.relations.actions_dd_fkey.description).toMatch(/default of dd points at another row/);
    expect(snap.schema.relations.actions_na_fkey.description).toMatch(/trigger order: conservative/);
    // The catalog's own words travel in the description.
    expect(snap.schema.relations.actions_c_fkey.description).toBe('actions: FOREIGN KEY (c) REFERENCES account(id) ON DELETE CASCADE');
  });

  test('composite keys follow MATCH SIMPLE: a NULL in any column is no reference', () => {
    expect(relStrings(snap).filter((r) => r.startsWith('task:2 '))).toEqual(['task:2 -task_parent_id_fkey-> task:9223372036854775807']);
  });

  test('a key to a unique column that is not the primary key points at the row by its primary-key ID', () => {
    expect(relStrings(snap).filter((r) => r.startsWith('login:'))).toEqual(['login:10 -login_email_fkey-> account:2']);
  });

  test('a key whose column type differs from the target key (int → bigint) still resolves', () => {
    expect(relStrings(snap)).toContain('wide:7 -wide_small_id_fkey-> small:5');
  });

  test('two tables with constraints of the same name: each relation type is qualified with its table', () => {
    expect(onDelete('one.same_name')).toBe('protect');
    expect(onDelete('two.same_name')).toBe('protect');
    expect(onDelete('same_name')).toBeUndefined();
    expect(relStrings(snap)).toEqual(expect.arrayContaining(['one:1 -one.same_name-> account:1', 'two:1 -two.same_name-> account:2']));
  });

  test('a table without a primary key is skipped with one warning line naming it and its rows (and one about its blocking keys)', () => {
    const lines = stderr.split('\n').filter((l) => /warning/.test(l));
    expect(lines).toEqual([
      'warning: 1 table without a primary key is not read: log_lines (3 rows)',
      'warning: rows of tables that are not read can make the database refuse deletions that plans do not block: log_lines (log_lines_tenant_id_fkey, NO ACTION)',
    ]);
  });

  test('a table named like an injection is read as data, and nothing else happens', async () => {
    const t = 'a"; DROP TABLE b; --';
    expect(snap.entities.find((e) => e.type === t)?.id).toBe(`${t}:it's "quoted"; DROP TABLE b; --`);
    expect(relStrings(snap)).toContain(`${t}:it's "quoted"; DROP TABLE b; -- -${t}_tenant_id_fkey-> tenant:1`);
    expect(ids()).toContain('b:1');
  });

  test('64-bit IDs above 2^53 stay exact through plan, why and the JSON output', () => {
    const p = cli(['plan', 'tenant:9007199254740993', '--graph', uri(db), '--format', 'json', '--allow-boundary-deletion', '--quiet']);
    expect(p.stderr).toMatch(/log_lines/);
    const result = JSON.parse(p.stdout) as {
      deleted: { id: string }[];
      detached: { id: string; links: unknown[] }[];
      violations: { rule: string; entity: string }[];
    };
    expect(result.deleted.map((d) => d.id).sort()).toEqual(['project:9007199254740993|x', 'tenant:9007199254740993']);
    // SET NULL (project_code): the task survives, detached.
    expect(result.detached).toEqual([{ id: 'task:3', type: 'task', sites: [], links: [{ relation: 'task_project', to: 'project:9007199254740993|x' }] }]);
    // The token's NO ACTION blocks it.
    expect(result.violations.map((v) => `${v.rule} ${v.entity}`)).toEqual(['protected token:0b3c5a4e-1f2d-4c3b-9a8e-7f6d5c4b3a21']);
    const w = cli(['why', 'task:2', '--roots', 'task:9223372036854775807', '--graph', uri(db), '--quiet']);
    expect(w.stdout).toMatch(/task:2 would be deleted, through 1 relation:\n {2}task:9223372036854775807 \[task\]/);
    const d = cli(['why', 'task:9223372036854775807', '--roots', 'tenant:1', '--graph', uri(db), '--quiet']);
    expect(d.stdout.replace(/\n\s+/g, ' ')).toMatch(/^task:9223372036854775807 survives, but loses its task_project relation to project:1\|a%7Cb/);
  });

  test('each read sees the database as it is now', async () => {
    await exec(db, `INSERT INTO b VALUES (2)`);
    expect(snapshotOf(db).snap.entities.map((e) => e.id)).toContain('b:2');
  });
});
