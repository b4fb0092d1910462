// A hand-written-style mapping and its NDJSON export, made from a database's snapshot (for the --check-against
// tests): one entity record per row (`{id, kind, <relation type>: [targets]}`), one reference rule per relation
// type, the schema's onDelete as given; `change` edits the schema and the rules first (to make the mapping wrong).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SnapLike {
  schema: { boundary: string; relations: Record<string, { onDelete: string }> };
  entities: { id: string; type: string }[];
  relations: { from: string; type: string; to: string }[];
}

export interface MappingEdit {
  /** Relation types left out of the mapping (its rule and its schema entry). */
  drop?: string[];
  /** onDelete overrides. */
  onDelete?: Record<string, string>;
  /** Extra references of a new relation type: [from, to] pairs. */
  extra?: { type: string; onDelete: string; pairs: [string, string][] };
}

/** Writes DIR/rows.ndjson and DIR/mapping.yaml; returns the mapping's path. */
export function writeMapping(dir: string, snap: SnapLike, edit: MappingEdit = {}): string {
  const drop = new Set(edit.drop ?? []);
  const records = new Map<string, Record<string, unknown>>();
  for (const e of snap.entities) records.set(e.id, { id: e.id, kind: e.type });
  const add = (from: string, type: string, to: string) => {
    const r = records.get(from)!;
    ((r[type] ??= []) as string[]).push(to);
  };
  for (const r of snap.relations) if (!drop.has(r.type)) add(r.from, r.type, r.to);
  const relations: Record<string, string> = {};
  for (const [name, spec] of Object.entries(snap.schema.relations)) if (!drop.has(name)) relations[name] = edit.onDelete?.[name] ?? spec.onDelete;
  if (edit.extra) {
    relations[edit.extra.type] = edit.extra.onDelete;
    for (const [from, to] of edit.extra.pairs) add(from, edit.extra.type, to);
  }
  writeFileSync(join(dir, 'rows.ndjson'), [...records.values()].map((r) => JSON.stringify(r)).join('\n') + '\n');
  const yaml = [
    'schema:',
    `  boundary: ${JSON.stringify(snap.schema.boundary)}`,
    '  relations:',
    ...Object.entries(relations).map(([k, v]) => `    ${JSON.stringify(k)}: { onDelete: ${v} }`),
    'sources:',
    '  - file: rows.ndjson',
    '    entity: { typeField: kind, id: id, template: "{id}" }',
    '    references:',
    ...Object.keys(relations).map((k) => `      - { field: ${JSON.stringify(k)}, relation: ${JSON.stringify(k)} }`),
    '',
  ].join('\n');
  const file = join(dir, 'mapping.yaml');
  writeFileSync(file, yaml);
  return file;
}
