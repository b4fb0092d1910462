#!/usr/bin/env node
// Writes samples/tenant.json as a PostgreSQL database (tenant.sql) and the overlay that reads it back
// (tenant.overlay.yaml), so that `blastguard check samples/manifests/incident-replay.yaml --graph postgres://…
// --overlay samples/postgres/tenant.overlay.yaml` gives the answer it gives on the file (test/postgres/tenant.test.ts).
// One table per entity type (the part of the ID after `type:` is its primary key); a relation type that is
// single-valued, to one table, with a semantics SQL has, becomes a foreign key named after it; the rest (several
// targets per row, targets in several tables, last-owner) becomes an overlay relation on an array or a type/id pair.
// Run: node samples/postgres/make-tenant-sql.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const snap = JSON.parse(readFileSync(here('../tenant.json'), 'utf8'));
const q = (s) => `"${s.replace(/"/g, '""')}"`;
const lit = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const keyOf = (id) => id.slice(id.indexOf(':') + 1);
const column = (rel) => rel.toLowerCase();
const FK_ACTION = { cascade: 'ON DELETE CASCADE', detach: 'ON DELETE SET NULL', protect: 'ON DELETE RESTRICT', restrict: 'DEFERRABLE INITIALLY DEFERRED' };

const typeOf = new Map(snap.entities.map((e) => [e.id, e.type]));
const types = [...new Set(snap.entities.map((e) => e.type))];
// Per relation type: targets of each `from`, and the tables on both ends.
const rels = new Map();
for (const r of snap.relations) {
  const x = rels.get(r.type) ?? { fromTypes: new Set(), toTypes: new Set(), targets: new Map() };
  x.fromTypes.add(typeOf.get(r.from));
  x.toTypes.add(typeOf.get(r.to));
  x.targets.set(r.from, [...(x.targets.get(r.from) ?? []), r.to]);
  rels.set(r.type, x);
}
// How each relation type is stored: a foreign key, an array of keys, or a type/id pair.
const kinds = new Map();
for (const [name, x] of rels) {
  const onDelete = snap.schema.relations[name].onDelete;
  const single = [...x.targets.values()].every((t) => t.length === 1);
  if (single && x.toTypes.size === 1 && FK_ACTION[onDelete]) kinds.set(name, 'fk');
  else if (x.toTypes.size === 1) kinds.set(name, 'array');
  else if (single) kinds.set(name, 'polymorphic');
  else throw new Error(`relation type ${name}: several targets in several tables`);
}

const sql = [
  '-- tenant.sql: samples/tenant.json as a PostgreSQL database (written by make-tenant-sql.mjs; do not edit).',
  '-- blastguard check samples/manifests/incident-replay.yaml --graph postgres://… --overlay samples/postgres/tenant.overlay.yaml',
  '',
];
const overlay = [
  '# tenant.overlay.yaml: reads tenant.sql back as samples/tenant.json (written by make-tenant-sql.mjs; do not edit).',
  'boundary: site',
  'tables:',
];
const attrTypes = new Map();
for (const type of types) {
  const ents = snap.entities.filter((e) => e.type === type);
  const attrs = [...new Set(ents.flatMap((e) => Object.keys(e.attributes ?? {})))];
  const cols = ['  id text PRIMARY KEY', '  name text'];
  if (ents.some((e) => e.protected)) cols.push('  protected boolean NOT NULL DEFAULT false');
  for (const a of attrs) {
    const values = ents.map((e) => e.attributes?.[a]).filter((v) => v !== undefined);
    const t = values.every((v) => Number.isInteger(v)) ? 'integer' : values.every((v) => typeof v === 'boolean') ? 'boolean' : 'text';
    attrTypes.set(`${type}.${a}`, t);
    cols.push(`  ${q(a)} ${t}`);
  }
  for (const [name, x] of rels) {
    if (!x.fromTypes.has(type)) continue;
    const k = kinds.get(name);
    if (k === 'fk') cols.push(`  ${q(column(name))} text`);
    else if (k === 'array') cols.push(`  ${q(column(name))} text[] NOT NULL DEFAULT '{}'`);
    else cols.push(`  ${q(`${column(name)}_type`)} text`, `  ${q(`${column(name)}_id`)} text`);
  }
  sql.push(`CREATE TABLE ${q(type)} (\n${cols.join(',\n')}\n);`);
  const spec = ['name: name'];
  if (ents.some((e) => e.protected)) spec.push('protected: protected');
  if (attrs.length) spec.push(`attributes: [${attrs.join(', ')}]`);
  overlay.push(`  ${JSON.stringify(type)}: { ${spec.join(', ')} }`);
}
sql.push('');
for (const e of snap.entities) {
  const row = [
    ['id', lit(keyOf(e.id))],
    ['name', lit(e.name)],
  ];
  if (e.protected) row.push(['protected', 'true']);
  for (const [a, v] of Object.entries(e.attributes ?? {})) row.push([a, lit(v)]);
  for (const [name, x] of rels) {
    const targets = x.targets.get(e.id);
    if (!targets) continue;
    const k = kinds.get(name);
    if (k === 'fk') row.push([column(name), lit(keyOf(targets[0]))]);
    else if (k === 'array') row.push([column(name), `ARRAY[${targets.map((t) => lit(keyOf(t))).join(', ')}]`]);
    else row.push([`${column(name)}_type`, lit(typeOf.get(targets[0]))], [`${column(name)}_id`, lit(keyOf(targets[0]))]);
  }
  const cols = row.map(([c]) => c);
  const vals = row.map(([, v]) => v);
  sql.push(`INSERT INTO ${q(e.type)} (${cols.map(q).join(', ')}) VALUES (${vals.join(', ')});`);
}
sql.push('');
overlay.push('relations:');
for (const [name, x] of rels) {
  const onDelete = snap.schema.relations[name].onDelete;
  const k = kinds.get(name);
  for (const from of [...x.fromTypes].sort()) {
    if (k === 'fk') {
      const to = [...x.toTypes][0];
      sql.push(`ALTER TABLE ${q(from)} ADD CONSTRAINT ${q(name)} FOREIGN KEY (${q(column(name))}) REFERENCES ${q(to)} ${FK_ACTION[onDelete]};`);
    } else if (k === 'array') {
      overlay.push(`  - { name: ${name}, from: ${JSON.stringify(from)}, array: ${column(name)}, to: ${JSON.stringify([...x.toTypes][0])}, onDelete: ${onDelete} }`);
    } else {
      const map = [...x.toTypes].sort().map((t) => `${JSON.stringify(t)}: ${JSON.stringify(t)}`).join(', ');
      overlay.push(`  - { name: ${name}, from: ${JSON.stringify(from)}, polymorphic: { type: ${column(name)}_type, id: ${column(name)}_id }, to: { ${map} }, onDelete: ${onDelete} }`);
    }
  }
}
writeFileSync(here('tenant.sql'), `${sql.join('\n')}\n`);
writeFileSync(here('tenant.overlay.yaml'), `${overlay.join('\n')}\n`);
