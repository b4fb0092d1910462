#!/usr/bin/env node
// Derives the raw exports in this folder from ../tenant.json, the way the platform's services would export them:
// CSV (every field quoted, CRLF in sites.csv), NDJSON, JSON dumps, a gzipped NDJSON file and a membership join table.
// `blastguard ingest --mapping samples/exports/mapping.yaml` turns them back into the same graph (test/ingest proves
// it). Run `node samples/exports/make-exports.mjs` after changing tenant.json, and commit the result.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const here = new URL('./', import.meta.url);
const tenant = JSON.parse(readFileSync(new URL('../tenant.json', here), 'utf8'));

const byType = new Map();
for (const e of tenant.entities) {
  if (!byType.has(e.type)) byType.set(e.type, []);
  byType.get(e.type).push(e);
}
/** Relations leaving an entity, by relation type. */
const out = new Map();
for (const r of tenant.relations) {
  const key = `${r.from}\u0000${r.type}`;
  if (!out.has(key)) out.set(key, []);
  out.get(key).push(r.to);
}
const used = new Set();
const targets = (e, type) => {
  const list = out.get(`${e.id}\u0000${type}`) ?? [];
  used.add(`${e.id}\u0000${type}`);
  return list;
};
const one = (e, type) => {
  const list = targets(e, type);
  if (list.length > 1) throw new Error(`${e.id} has ${list.length} ${type} relations; the export format allows one`);
  return list[0];
};
/** `site:acme-prod` → `acme-prod` (the IDs the source systems use; the mapping's templates add the prefix). */
const local = (id, prefix) => {
  if (id === undefined) return undefined;
  if (!id.startsWith(`${prefix}:`)) throw new Error(`${id} is not a ${prefix}`);
  return id.slice(prefix.length + 1);
};
const entities = (type) => byType.get(type) ?? [];
const attr = (e, k) => e.attributes?.[k];

const csvField = (v) => `"${String(v ?? '').replace(/"/g, '""')}"`;
const csv = (header, rows, eol = '\n') => [header, ...rows].map((r) => r.map(csvField).join(',')).join(eol) + eol;
const ndjson = (rows) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const drop = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const write = (name, text) => writeFileSync(new URL(name, here), text);

// The tenant service: organizations and sites (CSV, CRLF line ends).
write('organizations.csv', csv(['id', 'name'], entities('organization').map((e) => [local(e.id, 'organization'), e.name])));
write(
  'sites.csv',
  csv(
    ['id', 'url', 'region', 'plan', 'legalHold', 'protected', 'organization'],
    entities('site').map((e) => [local(e.id, 'site'), e.name, attr(e, 'region'), attr(e, 'plan'), attr(e, 'legalHold'), e.protected ? 'yes' : 'no', local(one(e, 'PART_OF'), 'organization')]),
    '\r\n',
  ),
);

// The product catalogue (NDJSON).
write('products.ndjson', ndjson(entities('product').map((e) => ({ id: local(e.id, 'product'), name: e.name, productKey: attr(e, 'productKey'), site: local(one(e, 'HOSTED_ON'), 'site') }))));

// A content dump (JSON, records under "items"): projects, spaces, issues, pages and attachments, told apart by "kind".
const items = [];
for (const kind of ['project', 'space', 'issue', 'page', 'attachment']) {
  for (const e of entities(kind)) {
    const mentions = targets(e, 'MENTIONS').map((id) => local(id, 'issue'));
    items.push(
      drop({
        kind,
        id: local(e.id, kind),
        name: e.name,
        key: attr(e, 'key'),
        product: local(one(e, 'IN_PRODUCT'), 'product'),
        project: local(one(e, 'IN_PROJECT'), 'project'),
        space: local(one(e, 'IN_SPACE'), 'space'),
        mentions: mentions.length ? mentions : undefined,
        attachedTo: one(e, 'ATTACHED_TO'),
      }),
    );
  }
}
write('content.json', `{\n  "exportedAt": "2022-04-05T00:00:00Z",\n  "items": [\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]\n}\n`);

// The identity service: users (CSV), site memberships (a join table) and API tokens (NDJSON).
write(
  'users.csv',
  csv(
    ['email', 'displayName', 'role', 'protected'],
    entities('user').map((e) => {
      if (e.name !== local(e.id, 'user')) throw new Error(`${e.id}: a user's name is expected to be its email`);
      return [local(e.id, 'user'), attr(e, 'displayName'), attr(e, 'role'), e.protected ? 'true' : ''];
    }),
  ),
);
const memberships = [];
for (const e of entities('user')) for (const site of targets(e, 'MEMBER_OF')) memberships.push([local(e.id, 'user'), local(site, 'site')]);
write('memberships.csv', csv(['user', 'site'], memberships));
write('api-tokens.ndjson', ndjson(entities('api-token').map((e) => ({ id: local(e.id, 'api-token'), name: e.name, user: local(one(e, 'ISSUED_TO'), 'user') }))));

// The marketplace: listings (a JSON array), installs (gzipped NDJSON), the data installs store (CSV).
write('apps.json', `[\n${entities('app').map((e) => `  ${JSON.stringify({ key: local(e.id, 'app'), name: e.name, vendor: attr(e, 'vendor') })}`).join(',\n')}\n]\n`);
if (entities('app').some((e) => attr(e, 'key') !== local(e.id, 'app'))) throw new Error('an app key differs from its ID');
write(
  'app-installs.ndjson.gz',
  gzipSync(ndjson(entities('app-install').map((e) => ({ id: local(e.id, 'app-install'), name: e.name, app: local(one(e, 'INSTANCE_OF'), 'app'), product: local(one(e, 'INSTALLED_ON'), 'product') })))),
);
if (entities('app-install').some((e) => attr(e, 'app') !== local(one(e, 'INSTANCE_OF'), 'app'))) throw new Error('an install names another app than it is an instance of');
write('app-data.csv', csv(['id', 'name', 'app', 'install'], entities('app-data').map((e) => [local(e.id, 'app-data'), e.name, attr(e, 'app'), local(one(e, 'STORED_BY'), 'app-install')])));

// Product links: each connects two products, listed in one ";"-separated field.
write('connections.csv', csv(['id', 'name', 'products'], entities('connection').map((e) => [local(e.id, 'connection'), e.name, targets(e, 'CONNECTS').map((p) => local(p, 'product')).join(';')])));

// Compliance: policies (JSON, under "policies"), each with the sites it governs.
write(
  'policies.json',
  `${JSON.stringify({ policies: entities('retention-policy').map((e) => ({ id: local(e.id, 'retention-policy'), name: e.name, regulation: attr(e, 'regulation'), retainYears: attr(e, 'retainYears'), governs: targets(e, 'GOVERNS').map((s) => local(s, 'site')) })) }, null, 2)}\n`,
);

// Every relation of the tenant must have gone into some export.
for (const r of tenant.relations) {
  if (!used.has(`${r.from}\u0000${r.type}`)) throw new Error(`relation ${r.from} ${r.type} ${r.to} is in no export`);
}
