// The generated tenant as a PostgreSQL database, for the PostgreSQL rows of the benchmark: one table per entity type,
// every single-valued relation a foreign key column (ON DELETE CASCADE, or a deferred NO ACTION for INSTANCE_OF), the
// many-valued ones (MENTIONS, MEMBER_OF, GOVERNS) join tables with a composite key. Rows are written as COPY text files
// (kept in bench/out/, reused while the generator is unchanged) and loaded with `COPY … FROM STDIN`; keys, foreign
// keys and their indexes are added after the load (faster), then ANALYZE.
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';

/** Table → columns (SQL), in the order the COPY files hold them. */
const TABLES = {
  organization: ['id text', 'name text'],
  site: ['id text', 'name text', 'region text', 'plan text', 'legal_hold text', 'protected boolean NOT NULL', 'org_id text'],
  product: ['id text', 'name text', 'product_key text', 'site_id text'],
  project: ['id text', 'name text', 'key text', 'product_id text'],
  issue: ['id text', 'name text', 'project_id text'],
  space: ['id text', 'name text', 'key text', 'product_id text'],
  page: ['id text', 'name text', 'space_id text'],
  attachment: ['id text', 'name text', 'issue_id text', 'page_id text'],
  page_mention: ['page_id text', 'issue_id text'],
  connection: ['id text', 'name text', 'from_product_id text', 'to_product_id text'],
  app: ['id text', 'name text', 'vendor text'],
  app_install: ['id text', 'name text', 'version text', 'product_id text', 'app_id text'],
  app_data: ['id text', 'name text', 'records integer', 'install_id text'],
  account: ['id text', 'name text', 'display_name text', 'role text', 'protected boolean NOT NULL'],
  membership: ['account_id text', 'site_id text'],
  api_token: ['id text', 'name text', 'account_id text'],
  retention_policy: ['id text', 'name text', 'years integer'],
  policy_site: ['policy_id text', 'site_id text'],
};

/** Primary keys (default: id) and foreign keys: [table, columns, target, action]. */
const KEYS = { page_mention: 'page_id, issue_id', membership: 'account_id, site_id', policy_site: 'policy_id, site_id' };
const CASCADE = 'ON DELETE CASCADE';
const FKS = [
  ['site', 'org_id', 'organization', CASCADE],
  ['product', 'site_id', 'site', CASCADE],
  ['project', 'product_id', 'product', CASCADE],
  ['issue', 'project_id', 'project', CASCADE],
  ['space', 'product_id', 'product', CASCADE],
  ['page', 'space_id', 'space', CASCADE],
  ['attachment', 'issue_id', 'issue', CASCADE],
  ['attachment', 'page_id', 'page', CASCADE],
  ['page_mention', 'page_id', 'page', CASCADE],
  ['page_mention', 'issue_id', 'issue', CASCADE],
  ['connection', 'from_product_id', 'product', CASCADE],
  ['connection', 'to_product_id', 'product', CASCADE],
  ['app_install', 'product_id', 'product', CASCADE],
  ['app_install', 'app_id', 'app', 'DEFERRABLE INITIALLY DEFERRED'],
  ['app_data', 'install_id', 'app_install', CASCADE],
  ['membership', 'account_id', 'account', CASCADE],
  ['membership', 'site_id', 'site', CASCADE],
  ['api_token', 'account_id', 'account', CASCADE],
  ['policy_site', 'policy_id', 'retention_policy', CASCADE],
  ['policy_site', 'site_id', 'site', 'ON DELETE RESTRICT'],
];

export const OVERLAY = `# The generated tenant in PostgreSQL (bench/pg-tenant.mjs).
boundary: site
tables:
  site: { name: name, protected: protected }
  account: { name: name, protected: protected }
`;

const TABLE_OF = { user: 'account', 'app-install': 'app_install', 'app-data': 'app_data', 'api-token': 'api_token', 'retention-policy': 'retention_policy' };
const tableOf = (type) => TABLE_OF[type] ?? type;
const keyOf = (id) => id.slice(id.indexOf(':') + 1);
/** A value in COPY text format (\N for null; backslash, tab, newline and carriage return escaped). */
const f = (v) => (v === undefined || v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));

/** The single-valued relations: relation type → the column of the source row it fills (by target type when two). */
function fkColumn(type, to) {
  switch (type) {
    case 'PART_OF':
      return 'org_id';
    case 'HOSTED_ON':
      return 'site_id';
    case 'IN_PRODUCT':
      return 'product_id';
    case 'IN_PROJECT':
      return 'project_id';
    case 'IN_SPACE':
      return 'space_id';
    case 'ATTACHED_TO':
      return to.startsWith('issue:') ? 'issue_id' : 'page_id';
    case 'ISSUED_TO':
      return 'account_id';
    case 'INSTALLED_ON':
      return 'product_id';
    case 'INSTANCE_OF':
      return 'app_id';
    case 'STORED_BY':
      return 'install_id';
    case 'CONNECTS':
      return 'CONNECTS';
    default:
      return null;
  }
}

/** Writes the COPY files of a tenant into `dir` (once per generator stamp); returns the row count. */
export function writeTenantCopyFiles(gen, options, dir, stamp) {
  mkdirSync(dir, { recursive: true });
  const meta = join(dir, 'stamp');
  if (existsSync(meta) && readFileSync(meta, 'utf8').split('\n')[0] === stamp) return Number(readFileSync(meta, 'utf8').split('\n')[1]);
  // Pass 1: the single-valued relations of each entity (its foreign key columns).
  const fk = new Map();
  for (const batch of gen.tenantBatches(options, 'relations'))
    for (const r of batch) {
      const col = fkColumn(r.type, r.to);
      if (!col) continue;
      const m = fk.get(r.from) ?? {};
      if (col === 'CONNECTS') m[m.from_product_id === undefined ? 'from_product_id' : 'to_product_id'] = keyOf(r.to);
      else m[col] = keyOf(r.to);
      fk.set(r.from, m);
    }
  const out = {};
  const buf = {};
  for (const t of Object.keys(TABLES)) {
    out[t] = createWriteStream(join(dir, `${t}.copy`));
    buf[t] = [];
  }
  let rows = 0;
  const write = (t, fields) => {
    rows++;
    buf[t].push(fields.map(f).join('\t'));
    if (buf[t].length >= 4096) {
      out[t].write(`${buf[t].join('\n')}\n`);
      buf[t] = [];
    }
  };
  // Pass 2: every record, in generator order.
  for (const r of gen.generateTenant(options)) {
    if (r.from !== undefined) {
      if (r.type === 'MENTIONS') write('page_mention', [keyOf(r.from), keyOf(r.to)]);
      else if (r.type === 'MEMBER_OF') write('membership', [keyOf(r.from), keyOf(r.to)]);
      else if (r.type === 'GOVERNS') write('policy_site', [keyOf(r.from), keyOf(r.to)]);
      continue;
    }
    const t = tableOf(r.type);
    const k = fk.get(r.id) ?? {};
    const a = r.attributes ?? {};
    const cols = TABLES[t].map((c) => c.split(' ')[0]);
    const values = cols.map((c) => {
      if (c === 'id') return keyOf(r.id);
      if (c === 'name') return r.name;
      if (c === 'protected') return r.protected ? 't' : 'f';
      if (c in k) return k[c];
      const camel = c.replace(/_([a-z])/g, (_, x) => x.toUpperCase());
      return a[camel] ?? null;
    });
    write(t, values);
  }
  return Promise.all(
    Object.keys(TABLES).map(
      (t) =>
        new Promise((resolve, reject) => {
          if (buf[t].length) out[t].write(`${buf[t].join('\n')}\n`);
          out[t].end(resolve);
          out[t].on('error', reject);
        }),
    ),
  ).then(() => {
    writeFileSync(meta, `${stamp}\n${rows}\n`);
    return rows;
  });
}

/** Creates the tables in `client`'s database and loads the COPY files of `dir` (keys and indexes after the rows). */
export async function loadTenant(client, dir) {
  for (const [t, cols] of Object.entries(TABLES)) await client.query(`CREATE TABLE ${t} (${cols.join(', ')})`);
  for (const t of Object.keys(TABLES)) {
    const stream = client.query(copyFrom(`COPY ${t} FROM STDIN`));
    await pipeline(createReadStream(join(dir, `${t}.copy`)), stream);
  }
  for (const t of Object.keys(TABLES)) await client.query(`ALTER TABLE ${t} ADD PRIMARY KEY (${KEYS[t] ?? 'id'})`);
  for (const [t, col, target, action] of FKS) {
    await client.query(`ALTER TABLE ${t} ADD CONSTRAINT ${t}_${col}_fkey FOREIGN KEY (${col}) REFERENCES ${target} ${action}`);
    // PostgreSQL does not index referencing columns; a cascade (and the push-down) looks rows up by them.
    if (!(KEYS[t] ?? 'id').startsWith(col)) await client.query(`CREATE INDEX ON ${t} (${col})`);
  }
  await client.query('ANALYZE');
}
