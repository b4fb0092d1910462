// The CSV headers of `neo4j-admin database import`: `uid:ID(User)`, `:LABEL`, `:START_ID(User)`, `:END_ID(Site)`,
// `:TYPE`, `:IGNORE`, typed properties (`age:int`, `tags:string[]`). Rows become objects with the fields `:ID`,
// `:LABEL` (a list), `:START_ID`, `:END_ID`, `:TYPE` and the properties, so a mapping can name them; without a mapping,
// node files become entities (type = first label) and relationship files relations. An ID group `(User)` prefixes the
// ID (`User:42`), because neo4j IDs are only unique within their group.
import type { EntityRule, RelationRule } from './mapping.js';
import { fieldTemplate, parseTemplate } from './template.js';

type Kind = 'id' | 'label' | 'start' | 'end' | 'type' | 'ignore' | 'prop';

export interface Neo4jColumn {
  header: string;
  kind: Kind;
  /** The field the value lands in. */
  field: string;
  /** The property name of an `uid:ID` column. */
  property?: string;
  group?: string;
  convert: (s: string) => unknown;
}

const SPECIAL: Record<string, Kind> = { ID: 'id', LABEL: 'label', START_ID: 'start', END_ID: 'end', TYPE: 'type', IGNORE: 'ignore' };
const FIELD: Record<Kind, string> = { id: ':ID', label: ':LABEL', start: ':START_ID', end: ':END_ID', type: ':TYPE', ignore: '', prop: '' };

const asString = (s: string) => s;
function asInt(s: string): unknown {
  const n = Number(s.trim());
  return Number.isSafeInteger(n) ? n : s;
}
function asFloat(s: string): unknown {
  const n = Number(s.trim());
  return Number.isFinite(n) && s.trim() !== '' ? n : s;
}
const asBool = (s: string) => s.trim().toLowerCase() === 'true';

function converter(type: string): (s: string) => unknown {
  switch (type.toLowerCase()) {
    case 'int':
    case 'long':
    case 'short':
    case 'byte':
      return asInt;
    case 'float':
    case 'double':
      return asFloat;
    case 'boolean':
      return asBool;
    default:
      return asString; // string, char, dates, points: kept as text
  }
}

export function parseNeo4jHeader(header: readonly string[]): { columns: Neo4jColumn[]; problems: string[] } {
  const problems: string[] = [];
  const columns = header.map((h): Neo4jColumn => {
    const special = /^(.*?):(ID|LABEL|START_ID|END_ID|TYPE|IGNORE)(?:\(([^)]*)\))?$/i.exec(h);
    if (special) {
      const kind = SPECIAL[special[2].toUpperCase()];
      const labelOrType = kind === 'label';
      return {
        header: h,
        kind,
        field: FIELD[kind],
        property: special[1] || undefined,
        group: special[3] || undefined,
        convert: labelOrType ? (s: string) => s.split(';').filter((x) => x !== '') : asString,
      };
    }
    const typed = /^(.+?):([A-Za-z]+)(\[\])?$/.exec(h);
    if (typed) {
      const one = converter(typed[2]);
      return { header: h, kind: 'prop', field: typed[1], convert: typed[3] ? (s: string) => s.split(';').map(one) : one };
    }
    if (h === '') problems.push('a column has no name');
    return { header: h, kind: 'prop', field: h, convert: asString };
  });
  const count = (k: Kind) => columns.filter((c) => c.kind === k).length;
  for (const k of ['id', 'label', 'start', 'end', 'type'] as const) if (count(k) > 1) problems.push(`more than one ${FIELD[k]} column`);
  if (count('id') && (count('start') || count('end'))) problems.push('a file holds nodes (:ID) or relationships (:START_ID, :END_ID), not both');
  if ((count('start') || count('end')) && !(count('start') && count('end'))) problems.push('a relationship file needs both :START_ID and :END_ID');
  return { columns, problems };
}

/** Turns a row into an object record (null prototype: a column may be called `__proto__`). */
export function neo4jRecord(columns: readonly Neo4jColumn[], row: readonly string[]): Record<string, unknown> {
  const rec: Record<string, unknown> = Object.create(null);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    const v = row[i];
    if (c.kind === 'ignore' || v === undefined || v === '') continue;
    rec[c.field] = c.convert(v);
    if (c.property) rec[c.property] = v;
  }
  return rec;
}

const groupTemplate = (field: string, group: string | undefined) =>
  group ? parseTemplate(`${group.replace(/[{}]/g, (b) => b + b)}:{${field}}`) : fieldTemplate(field);

/** The rule for a node file when the mapping gives none; undefined for a relationship file. */
export function defaultNodeRule(columns: readonly Neo4jColumn[]): EntityRule | undefined {
  const id = columns.find((c) => c.kind === 'id');
  if (!id) return undefined;
  const props = columns.filter((c) => c.kind === 'prop' && c.field !== 'name').map((c) => c.field);
  return {
    typeField: ':LABEL',
    idField: ':ID',
    template: groupTemplate(':ID', id.group),
    nameField: columns.some((c) => c.kind === 'prop' && c.field === 'name') ? 'name' : undefined,
    attributes: props,
  };
}

export function defaultRelationshipRule(columns: readonly Neo4jColumn[]): RelationRule | undefined {
  const start = columns.find((c) => c.kind === 'start');
  const end = columns.find((c) => c.kind === 'end');
  if (!start || !end) return undefined;
  return {
    typeField: ':TYPE',
    from: { field: ':START_ID', template: groupTemplate(':START_ID', start.group) },
    to: { field: ':END_ID', template: groupTemplate(':END_ID', end.group) },
  };
}
