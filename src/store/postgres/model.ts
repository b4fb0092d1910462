// The graph model of a PostgreSQL database (docs/databases.md): which tables become entity types, how a row's ID is
// written, which relation type each foreign key becomes and with which onDelete, and what the overlay adds. Pure:
// from the catalog and the overlay to a read plan (the SQL that read.ts streams), or problems at the overlay's lines.
import { InputError, ProblemList, type InputProblem } from '../../model/errors.js';
import type { OnDelete, RelationTypeSpec, Schema } from '../../model/types.js';
import type { Catalog, Column, ForeignKey, Table } from './catalog.js';
import type { SqlDialect } from '../relational/dialect.js';
import { postgresDialect } from './dialect.js';
import type { LoadedOverlay, OverlayRelation } from './overlay-types.js';

/** The suffix of every relation type whose semantics come from the overlay rather than the catalog. */
export const OVERLAY_SUFFIX = ' (overlay)';

/** Entity type of a table: its name in `public` (MySQL: the connected database), `schema.name` elsewhere. */
export function entityTypeOf(t: Pick<Table, 'schema' | 'name' | 'home'>): string {
  return t.schema === 'public' || t.home ? t.name : `${t.schema}.${t.name}`;
}

/** `%` and `|` inside one value of a composite key, percent-encoded so that `|` only ever separates values. */
export function encodeKeyPart(v: string): string {
  return v.replace(/%/g, '%25').replace(/\|/g, '%7C');
}

/** A row's entity ID: `type:value`, or for a composite key `type:v1|v2` (values in key order, encoded). */
export function rowId(type: string, parts: readonly string[]): string {
  return parts.length === 1 ? `${type}:${parts[0]}` : `${type}:${parts.map(encodeKeyPart).join('|')}`;
}

/** What the database does to a referencing row, in blastguard's terms, and the words of the catalog. */
export interface DatabaseSemantics {
  onDelete: OnDelete;
  /** `CASCADE`, `SET NULL`, `NO ACTION DEFERRABLE INITIALLY DEFERRED`… */
  action: string;
  /** Why the mapping is not the obvious one (a conservative case). */
  note?: string;
}

const ACTION_WORDS: Record<ForeignKey['action'], string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/**
 * onDelete of a foreign key: CASCADE → cascade; SET NULL / SET DEFAULT → detach; NO ACTION DEFERRABLE INITIALLY
 * DEFERRED → restrict (checked at commit: a referencing row the same transaction deletes does not block);
 * RESTRICT and immediate NO ACTION → protect (PostgreSQL checks them per row in trigger order, so whether a
 * referencing row the same statement cascades away still blocks depends on constraint creation order: protect is
 * the conservative answer). A SET NULL or SET DEFAULT the database cannot carry out (a NOT NULL column; a default
 * that points at another row) is protect too.
 */
export function databaseSemantics(fk: ForeignKey, table: Table, d: SqlDialect = postgresDialect): DatabaseSemantics {
  let action = ACTION_WORDS[fk.action];
  if (fk.action === 'a' && fk.deferrable) action += fk.deferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE INITIALLY IMMEDIATE';
  switch (fk.action) {
    case 'c':
      return { onDelete: 'cascade', action };
    case 'a':
      if (fk.deferrable && fk.deferred) return { onDelete: 'restrict', action };
      return { onDelete: 'protect', action, note: d.immediateNote };
    case 'r':
      return { onDelete: 'protect', action };
    case 'n':
    case 'd': {
      const cols = (fk.setCols ?? fk.cols).map((n) => table.byNum.get(n)!);
      if (fk.action === 'd') {
        const pointing = cols.filter((c) => c.defaultExpr !== null && !/^NULL(::.*)?$/i.test(c.defaultExpr));
        if (pointing.length)
          return { onDelete: 'protect', action, note: `the default of ${pointing.map((c) => c.name).join(', ')} points at another row: conservative` };
      }
      const notNull = cols.filter((c) => c.notNull);
      if (notNull.length) return { onDelete: 'protect', action, note: `${notNull.map((c) => c.name).join(', ')} is NOT NULL: the database refuses` };
      return { onDelete: 'detach', action };
    }
  }
}

/** One relation computed from columns of a table's row (a foreign key, or an overlay column or type/id pair). */
export interface RowRelation {
  relationType: string;
  /** Per target table (one, or one per stored class): its entity type and the positions of its key parts in the row. */
  targets: { type: string; positions: number[] }[];
  /** Position of a flag (`t`/`f`) that says the row holds a reference, for counting references to missing rows. */
  heldAt?: number;
  /** For the warning about references to missing rows. */
  label?: string;
}

export interface TablePlan {
  table: Table;
  type: string;
  /** COPY … TO STDOUT: the key parts first, then name, protected, attributes, then the relations' parts. */
  sql: string;
  /** The select list of that query (each a text or boolean expression), and its FROM clause with the joins. */
  select: string[];
  from: string;
  keyCount: number;
  namePos?: number;
  protectedPos?: number;
  /** Attribute name and position; `exact` values are kept as text (bigint, numeric), the rest is JSON. */
  attributes: { name: string; pos: number; exact: boolean }[];
  relations: RowRelation[];
}

/** An overlay relation held in an array column: read by a query of its own, one row per element. */
export interface ArrayPlan {
  relationType: string;
  fromType: string;
  toType: string;
  keyCount: number;
  toKeyCount: number;
  sql: string;
  label: string;
}

export interface ReadPlan {
  schema: Schema;
  tables: TablePlan[];
  arrays: ArrayPlan[];
  /** Queries that must return no rows: stored polymorphic types the overlay does not map (type value, count). */
  classChecks: { sql: string; problem: (value: string, count: string) => InputProblem }[];
  /** Tables with no primary key (not read), and tables the overlay skips. */
  unread: Table[];
  /** Protected IDs from the overlay, each with where it was written, to check that they exist. */
  protectedIds: Map<string, InputProblem>;
  warnings: string[];
}

/** `a = b`, or compared as text when the types differ (an overlay column need not have the target's type). */
function equals(d: SqlDialect, left: string, lc: Column, right: string, rc: Column): string {
  return d.sameType(lc, rc) ? `${left} = ${right}` : `${d.text(left, lc)} = ${d.text(right, rc)}`;
}

interface Ctx {
  d: SqlDialect;
  catalog: Catalog;
  overlay: LoadedOverlay | undefined;
  problems: ProblemList;
  /** Entity type → table, for the tables that are read. */
  read: Map<string, Table>;
  byType: Map<string, Table>;
}

function at(ctx: Ctx, path: (string | number)[], message: string): void {
  const o = ctx.overlay;
  const field = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : /^[A-Za-z_][\w-]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`))
    .join('');
  ctx.problems.add({ file: o?.file, line: o?.lineOf(path), field, message });
}

function column(ctx: Ctx, t: Table, name: string, path: (string | number)[]): Column | undefined {
  const c = t.byName.get(name);
  if (!c) at(ctx, path, `table ${entityTypeOf(t)} has no column "${name}"`);
  return c;
}

function readTable(ctx: Ctx, name: string, path: (string | number)[]): Table | undefined {
  const t = ctx.read.get(name);
  if (t) return t;
  const known = ctx.byType.get(name);
  if (!known) at(ctx, path, `no table "${name}" in the database (${ctx.d.otherSchemaHint})`);
  else if (!known.pk) at(ctx, path, `table ${name} has no primary key, so it is not read`);
  else at(ctx, path, `table ${name} is skipped by this overlay`);
  return undefined;
}

/** Builds the read plan; throws an InputError listing every problem with the overlay (at its lines). */
export function planRead(catalog: Catalog, overlay: LoadedOverlay | undefined, role: string, where?: string, d: SqlDialect = postgresDialect): ReadPlan {
  const problems = new ProblemList(20);
  const byType = new Map<string, Table>();
  for (const t of catalog.tables) {
    const type = entityTypeOf(t);
    if (byType.has(type))
      problems.add({ message: `two tables are both named ${JSON.stringify(type)} (a table "schema.name" in public and a schema "schema"?): rename one` });
    byType.set(type, t);
  }
  const o = overlay?.overlay ?? {};
  const ctx: Ctx = { d, catalog, overlay, problems, read: new Map(), byType };
  const skipped = new Set<string>();
  for (const [name, spec] of Object.entries(o.tables ?? {})) {
    const t = byType.get(name);
    if (!t) at(ctx, ['tables', name], `no table "${name}" in the database (${ctx.d.otherSchemaHint})`);
    else if (spec.skip) skipped.add(name);
    else if (!t.pk) at(ctx, ['tables', name], `table ${name} has no primary key, so it is not read (blastguard needs a key for row IDs)`);
  }
  const unread: Table[] = [];
  for (const t of catalog.tables) {
    const type = entityTypeOf(t);
    if (t.pk && !skipped.has(type)) ctx.read.set(type, t);
    else unread.push(t);
  }
  const noSelect = [...ctx.read.values()].filter((t) => !t.canSelect).map(entityTypeOf);
  if (noSelect.length) {
    throw new InputError({
      file: where,
      message: `${d.account} "${role}" may not SELECT from table${noSelect.length > 1 ? 's' : ''} ${noSelect.join(', ')}: GRANT SELECT, or skip ${noSelect.length > 1 ? 'them' : 'it'} in an overlay`,
    });
  }

  // Relation types of the foreign keys: the constraint's name, or `table.name` when two read tables use one name.
  const fks = catalog.foreignKeys.filter((fk) => ctx.read.has(entityTypeOf(catalog.byOid.get(fk.table)!)));
  const nameCount = new Map<string, number>();
  for (const fk of fks) nameCount.set(fk.name, (nameCount.get(fk.name) ?? 0) + 1);
  const fkName = (fk: ForeignKey) => (nameCount.get(fk.name)! > 1 ? `${entityTypeOf(catalog.byOid.get(fk.table)!)}.${fk.name}` : fk.name);
  const overrides = o.onDelete ?? {};
  const fkNames = new Set(fks.map(fkName));
  for (const name of Object.keys(overrides)) {
    if (!fkNames.has(name))
      at(
        ctx,
        ['onDelete', name],
        `no foreign key of a table that is read is named "${name}"${name.endsWith(OVERLAY_SUFFIX) ? ` (name it without "${OVERLAY_SUFFIX}")` : ''}`,
      );
  }

  const relations: Record<string, RelationTypeSpec> = Object.create(null);
  const tablePlans = new Map<Table, { selects: string[]; joins: string[]; relations: RowRelation[] }>();
  for (const t of ctx.read.values()) tablePlans.set(t, { selects: [], joins: [], relations: [] });
  const warnings: string[] = [];
  const lost: string[] = [];
  let alias = 0;

  // Keys, names, protection, attributes.
  const head = new Map<Table, Omit<TablePlan, 'sql' | 'select' | 'from' | 'relations' | 'table' | 'type'>>();
  const protectedIds = new Map<string, InputProblem>();
  for (const t of ctx.read.values()) {
    const type = entityTypeOf(t);
    const p = tablePlans.get(t)!;
    const spec = o.tables?.[type] ?? {};
    for (const n of t.pk!) p.selects.push(d.text(`t.${d.quoteIdent(t.byNum.get(n)!.name)}`, t.byNum.get(n)));
    const h: Omit<TablePlan, 'sql' | 'select' | 'from' | 'relations' | 'table' | 'type'> = { keyCount: t.pk!.length, attributes: [] };
    if (spec.name !== undefined) {
      const c = column(ctx, t, spec.name, ['tables', type, 'name']);
      if (c) {
        h.namePos = p.selects.length;
        p.selects.push(d.text(`t.${d.quoteIdent(c.name)}`, c));
      }
    }
    if (typeof spec.protected === 'string') {
      const c = column(ctx, t, spec.protected, ['tables', type, 'protected']);
      if (c && !d.isBoolean(c)) at(ctx, ['tables', type, 'protected'], `column "${c.name}" of ${type} is ${c.type}, not boolean`);
      else if (c) {
        h.protectedPos = p.selects.length;
        p.selects.push(d.flag(`t.${d.quoteIdent(c.name)} IS TRUE`));
      }
    } else if (Array.isArray(spec.protected)) {
      spec.protected.forEach((id, i) => {
        const path = ['tables', type, 'protected', i];
        if (!id.startsWith(`${type}:`)) at(ctx, path, `"${id}" is not an ID of table ${type} (${type}:KEY)`);
        else
          protectedIds.set(id, {
            file: overlay?.file,
            line: overlay?.lineOf(path),
            field: `tables.${type}.protected[${i}]`,
            message: `no row of ${type} has the ID "${id}"`,
          });
      });
    }
    (spec.attributes ?? []).forEach((name, i) => {
      const c = column(ctx, t, name, ['tables', type, 'attributes', i]);
      if (!c) return;
      h.attributes.push({ name: c.name, pos: p.selects.length, exact: d.isExact(c) });
      p.selects.push(d.isExact(c) ? d.text(`t.${d.quoteIdent(c.name)}`, c) : d.json(`t.${d.quoteIdent(c.name)}`, c));
    });
    head.set(t, h);
  }

  // Foreign keys. A skipped table that a read table refers to would lose its cascades: refused, once per table.
  const blockedSkips = new Map<string, string[]>();
  for (const fk of fks) {
    const t = catalog.byOid.get(fk.table)!;
    const target = catalog.byOid.get(fk.target);
    const name = fkName(fk);
    const db = databaseSemantics(fk, t, d);
    const override = overrides[name];
    const onDelete = override ?? db.onDelete;
    if (!target || !ctx.read.has(entityTypeOf(target))) {
      // A key into a table that is not read: no entity to point at.
      if (target && skipped.has(entityTypeOf(target)) && onDelete !== 'none') {
        const list = blockedSkips.get(entityTypeOf(target)) ?? [];
        list.push(`${name}, ${db.action}`);
        blockedSkips.set(entityTypeOf(target), list);
      } else if (target) lost.push(`${name} (${entityTypeOf(t)} → ${entityTypeOf(target)})`);
      continue;
    }
    const relationType = override !== undefined ? `${name}${OVERLAY_SUFFIX}` : name;
    const spec: RelationTypeSpec = { onDelete, description: `${entityTypeOf(t)}: ${fk.definition}` };
    if (override !== undefined) spec.description += `; overlay: ${override} (the database: ${db.action} → ${db.onDelete})`;
    else if (db.note) spec.description += `; ${db.onDelete}: ${db.note}`;
    relations[relationType] = spec;
    const p = tablePlans.get(t)!;
    const pk = target.pk!;
    const direct =
      fk.validated &&
      fk.targetCols.length === pk.length &&
      pk.every((n) => fk.targetCols.includes(n)) &&
      fk.cols.every((n, i) => d.sameType(t.byNum.get(n)!, target.byNum.get(fk.targetCols[i])!));
    const positions: number[] = [];
    if (direct) {
      // The referencing columns themselves, in the target's key order.
      for (const n of pk) {
        positions.push(p.selects.length);
        const c = t.byNum.get(fk.cols[fk.targetCols.indexOf(n)])!;
        p.selects.push(d.text(`t.${d.quoteIdent(c.name)}`, c));
      }
    } else {
      // A key to a unique non-primary column (or of another type): the target's primary key through a join, with
      // the database's own equality. A NULL in any column matches nothing: MATCH SIMPLE.
      const a = `j${alias++}`;
      const on = fk.cols
        .map((n, i) => `t.${d.quoteIdent(t.byNum.get(n)!.name)} = ${a}.${d.quoteIdent(target.byNum.get(fk.targetCols[i])!.name)}`)
        .join(' AND ');
      p.joins.push(`LEFT JOIN ${d.qualified(target)} ${a} ON ${on}`);
      for (const n of pk) {
        positions.push(p.selects.length);
        p.selects.push(d.text(`${a}.${d.quoteIdent(target.byNum.get(n)!.name)}`, target.byNum.get(n)));
      }
    }
    p.relations.push({ relationType, targets: [{ type: entityTypeOf(target), positions }] });
  }

  for (const [type, keys] of blockedSkips) {
    const shown = keys.slice(0, 3).join('; ') + (keys.length > 3 ? `; and ${keys.length - 3} more` : '');
    at(
      ctx,
      ['tables', type, 'skip'],
      `table ${type} cannot be skipped: tables that are read refer to it (${shown}); skip them too, or set those relations' onDelete to none`,
    );
  }

  // Overlay relations.
  const arrays: ArrayPlan[] = [];
  const classChecks: ReadPlan['classChecks'] = [];
  (o.relations ?? []).forEach((r, i) => overlayRelation(ctx, r, i, { relations, tablePlans, arrays, classChecks, nextAlias: () => `j${alias++}` }));

  let boundary = 'site';
  if (o.boundary !== undefined) {
    if (readTable(ctx, o.boundary, ['boundary'])) boundary = o.boundary;
  }
  problems.throwIfAny();

  const tables: TablePlan[] = [];
  for (const [t, p] of tablePlans) {
    const from = `${d.qualified(t)} t${p.joins.map((j) => ` ${j}`).join('')}`;
    const sql = d.stream(`SELECT ${p.selects.join(', ')} FROM ${from}`);
    tables.push({ table: t, type: entityTypeOf(t), sql, select: p.selects, from, relations: p.relations, ...head.get(t)! });
  }
  if (lost.length) warnings.push(`warning: foreign keys into tables that are not read are not followed: ${lost.join(', ')}`);
  // Rows of a table that is not read can still make the database refuse a deletion: say which keys, once.
  const blocking = catalog.foreignKeys
    .filter((fk) => (fk.action === 'a' || fk.action === 'r') && !ctx.read.has(entityTypeOf(catalog.byOid.get(fk.table)!)))
    .filter((fk) => catalog.byOid.has(fk.target) && ctx.read.has(entityTypeOf(catalog.byOid.get(fk.target)!)))
    .map((fk) => `${entityTypeOf(catalog.byOid.get(fk.table)!)} (${fk.name}, ${ACTION_WORDS[fk.action]})`);
  if (blocking.length)
    warnings.push(`warning: rows of tables that are not read can make the database refuse deletions that plans do not block: ${blocking.join(', ')}`);
  const types: Record<string, { critical?: boolean }> = Object.create(null);
  for (const [type] of ctx.read) types[type] = o.tables?.[type]?.critical ? { critical: true } : {};
  return { schema: { boundary, relations, types }, tables, arrays, classChecks, unread, protectedIds, warnings };
}

interface RelationOut {
  relations: Record<string, RelationTypeSpec>;
  tablePlans: Map<Table, { selects: string[]; joins: string[]; relations: RowRelation[] }>;
  arrays: ArrayPlan[];
  classChecks: ReadPlan['classChecks'];
  nextAlias: () => string;
}

/** The column an overlay relation compares with in table `to`: `toColumn`, else its one-column primary key. */
function targetColumn(ctx: Ctx, to: Table, toColumn: string | undefined, path: (string | number)[]): Column | undefined {
  if (toColumn !== undefined) {
    const c = column(ctx, to, toColumn, [...path.slice(0, -1), 'toColumn']);
    if (c && !to.unique.has(c.num))
      at(ctx, [...path.slice(0, -1), 'toColumn'], `column "${c.name}" of ${entityTypeOf(to)} is not unique on its own (no unique index on it alone)`);
    return c && to.unique.has(c.num) ? c : undefined;
  }
  if (to.pk!.length !== 1) {
    at(ctx, path, `table ${entityTypeOf(to)} has a composite primary key: give "toColumn" (a unique column to compare with)`);
    return undefined;
  }
  return to.byNum.get(to.pk![0]);
}

function overlayRelation(ctx: Ctx, r: OverlayRelation, i: number, out: RelationOut): void {
  const base = ['relations', i];
  const from = readTable(ctx, r.from, [...base, 'from']);
  if (!from) return;
  const fromType = entityTypeOf(from);
  const own = r.column ?? r.array ?? r.polymorphic!.id;
  const name = `${r.name ?? `${fromType}.${own}`}${OVERLAY_SUFFIX}`;
  if (Object.hasOwn(out.relations, name)) {
    at(ctx, [...base, r.name !== undefined ? 'name' : 'from'], `relation type "${name}" is declared twice: give one a "name"`);
    return;
  }
  const d = ctx.d;
  const p = out.tablePlans.get(from)!;
  const description = `overlay: ${fromType}.${own}`;
  if (r.column !== undefined || r.array !== undefined) {
    const col = column(ctx, from, (r.column ?? r.array)!, [...base, r.column !== undefined ? 'column' : 'array']);
    const to = readTable(ctx, r.to as string, [...base, 'to']);
    if (!col || !to) return;
    const key = targetColumn(ctx, to, r.toColumn, [...base, 'to']);
    if (!key) return;
    const toType = entityTypeOf(to);
    const label = `${fromType}.${col.name} (relation ${name})`;
    out.relations[name] = { onDelete: r.onDelete, description: `${description} → ${toType}.${key.name}` };
    if (r.array !== undefined) {
      if (!d.isArray(col)) {
        at(ctx, [...base, 'array'], `column "${col.name}" of ${fromType} is ${col.type}, not an array`);
        return;
      }
      // One row per element (NULL elements hold no reference); the element is compared as text.
      const keys = from.pk!.map((n) => d.text(`t.${d.quoteIdent(from.byNum.get(n)!.name)}`, from.byNum.get(n)));
      const toKeys = to.pk!.map((n) => d.text(`j.${d.quoteIdent(to.byNum.get(n)!.name)}`, to.byNum.get(n)));
      // (Only PostgreSQL has array columns.)
      const sql = d.stream(
        `SELECT ${[...keys, ...toKeys].join(', ')} FROM ${d.qualified(from)} t CROSS JOIN LATERAL unnest(t.${d.quoteIdent(col.name)}) AS u(v) ` +
          `LEFT JOIN ${d.qualified(to)} j ON u.v::text = j.${d.quoteIdent(key.name)}::text WHERE u.v IS NOT NULL`,
      );
      out.arrays.push({ relationType: name, fromType, toType, keyCount: keys.length, toKeyCount: toKeys.length, sql, label });
      return;
    }
    const a = out.nextAlias();
    p.joins.push(`LEFT JOIN ${d.qualified(to)} ${a} ON ${equals(d, `t.${d.quoteIdent(col.name)}`, col, `${a}.${d.quoteIdent(key.name)}`, key)}`);
    const heldAt = p.selects.length;
    p.selects.push(d.flag(`t.${d.quoteIdent(col.name)} IS NOT NULL`));
    const positions = to.pk!.map((n) => {
      p.selects.push(d.text(`${a}.${d.quoteIdent(to.byNum.get(n)!.name)}`, to.byNum.get(n)));
      return p.selects.length - 1;
    });
    p.relations.push({ relationType: name, targets: [{ type: toType, positions }], heldAt, label });
    return;
  }
  // Polymorphic: a type column and an ID column; `to` maps each stored type value to a table.
  const typeCol = column(ctx, from, r.polymorphic!.type, [...base, 'polymorphic', 'type']);
  const idCol = column(ctx, from, r.polymorphic!.id, [...base, 'polymorphic', 'id']);
  const map = r.to as Record<string, string>;
  const targets: { value: string; table: Table; key: Column }[] = [];
  for (const [value, tableName] of Object.entries(map)) {
    const to = readTable(ctx, tableName, [...base, 'to', value]);
    const key = to && targetColumn(ctx, to, r.toColumn, [...base, 'to', value]);
    if (to && key) targets.push({ value, table: to, key });
  }
  if (!typeCol || !idCol || targets.length !== Object.keys(map).length) return;
  out.relations[name] = {
    onDelete: r.onDelete,
    description: `${description} (${typeCol.name}: ${targets.map((x) => `${x.value} → ${entityTypeOf(x.table)}`).join(', ')})`,
  };
  const heldAt = p.selects.length;
  p.selects.push(d.flag(`t.${d.quoteIdent(typeCol.name)} IS NOT NULL AND t.${d.quoteIdent(idCol.name)} IS NOT NULL`));
  const rowTargets: RowRelation['targets'] = [];
  for (const x of targets) {
    const a = out.nextAlias();
    const same = equals(d, `t.${d.quoteIdent(idCol.name)}`, idCol, `${a}.${d.quoteIdent(x.key.name)}`, x.key);
    p.joins.push(`LEFT JOIN ${d.qualified(x.table)} ${a} ON ${d.text(`t.${d.quoteIdent(typeCol.name)}`, typeCol)} = ${d.quoteLiteral(x.value)} AND ${same}`);
    const positions = x.table.pk!.map((n) => {
      p.selects.push(d.text(`${a}.${d.quoteIdent(x.table.byNum.get(n)!.name)}`, x.table.byNum.get(n)));
      return p.selects.length - 1;
    });
    rowTargets.push({ type: entityTypeOf(x.table), positions });
  }
  p.relations.push({ relationType: name, targets: rowTargets, heldAt, label: `${fromType}.${idCol.name} (relation ${name})` });
  // A stored type value the map does not name is a reference blastguard cannot follow: an error, not a guess.
  const values = Object.keys(map).map(d.quoteLiteral).join(', ');
  const typeText = d.text(`t.${d.quoteIdent(typeCol.name)}`, typeCol);
  const o = ctx.overlay;
  const linePath = [...base, 'to'];
  out.classChecks.push({
    sql: `SELECT ${typeText} AS value, ${d.countText} AS count FROM ${d.qualified(from)} t WHERE t.${d.quoteIdent(typeCol.name)} IS NOT NULL AND t.${d.quoteIdent(idCol.name)} IS NOT NULL AND ${typeText} NOT IN (${values}) GROUP BY 1 ORDER BY 1 LIMIT 20`,
    problem: (value, count) => ({
      file: o?.file,
      line: o?.lineOf(linePath),
      field: `relations[${i}].to`,
      message: `${fromType}.${typeCol.name} holds ${JSON.stringify(value)} in ${count} row${count === '1' ? '' : 's'}, which this map does not name: map it to a table`,
    }),
  });
}
