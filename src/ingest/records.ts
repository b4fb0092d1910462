// Turns records into entities and relations by the rules of a mapping source. A record is either an object (JSON,
// NDJSON, converted neo4j CSV) or an array of strings with a header (CSV); the rules are compiled once per file into
// getters, so the per-record work is lookups and template fills.
import type { Entity } from '../model/types.js';
import type { EntityRule, IdRule, ReferenceRule, RelationRule } from './mapping.js';
import { withoutBigInts } from './readers/json-checks.js';
import type { IngestSink } from './sink.js';
import { fill, type Template } from './template.js';

/** Reads one field of a record; undefined when absent or empty. */
export type Getter = (rec: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RecordShape {
  /** A getter for a field, or undefined when the records cannot have it (a CSV header without that column). */
  getter(field: string): Getter | undefined;
  /** The fields of a record that no rule used (for `attributes: "*"`). */
  rest(rec: unknown, used: ReadonlySet<string>, into: Record<string, unknown>): void;
}

const hasOwn = Object.hasOwn;

/** Records that are JSON objects; `a.b` reaches into nested objects when there is no key `a.b` itself. */
export const objectShape: RecordShape = {
  getter(field) {
    if (!field.includes('.')) {
      return (r: Record<string, unknown>) => {
        const v = hasOwn(r, field) ? r[field] : undefined;
        return v === null || v === '' ? undefined : v;
      };
    }
    const parts = field.split('.');
    return (r: Record<string, unknown>) => {
      let v: unknown = r;
      if (hasOwn(r, field)) v = r[field];
      else {
        for (const p of parts) {
          if (v === null || typeof v !== 'object' || !hasOwn(v, p)) return undefined;
          v = (v as Record<string, unknown>)[p];
        }
      }
      return v === null || v === '' ? undefined : v;
    };
  },
  rest(rec, used, into) {
    const r = rec as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      const v = r[k];
      if (!used.has(k) && v !== null && v !== undefined && v !== '') into[k] = v;
    }
  },
};

/** Records that are rows of strings under a header row; empty cells count as absent. */
export function rowShape(header: readonly string[]): RecordShape {
  const col = new Map<string, number>();
  header.forEach((h, i) => {
    if (!col.has(h)) col.set(h, i);
  });
  return {
    getter(field) {
      const i = col.get(field);
      if (i === undefined) return undefined;
      return (r: string[]) => {
        const v = r[i];
        return v === '' ? undefined : v;
      };
    },
    rest(rec, used, into) {
      const r = rec as string[];
      for (let i = 0; i < header.length; i++) {
        const h = header[i];
        if (!used.has(h) && r[i] !== undefined && r[i] !== '' && col.get(h) === i) into[h] = r[i];
      }
    },
  };
}

/**
 * A value used as an ID: strings and finite numbers; `null` for any other kind. An integer beyond ±2^53 comes as a
 * BigInt (the JSON readers parse it so, see json-checks.ts) and keeps its exact digits: platforms export 64-bit IDs as
 * numbers, and a rounded ID would name another entity.
 */
export function idText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return String(v);
  return null;
}

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : typeof v === 'bigint' ? 'a number' : `a ${typeof v}`;
}

/** A value shown in a message (JSON, and a BigInt as its digits). */
const shown = (v: unknown): string => (typeof v === 'bigint' ? String(v) : JSON.stringify(v));

const TRUE = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'f']);

/** true/false, or undefined when the value is not a recognisable flag. */
export function flag(v: unknown): boolean | undefined {
  if (v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s) || s === '') return false;
  }
  return undefined;
}

/** A template compiled against a record shape; `own` is the field whose value is passed in (a reference's). */
interface CompiledTemplate {
  t: Template;
  getters: (Getter | null)[];
  values: string[];
}

/** What a processor reports problems about: the file it reads and how to tag each record. */
export interface RecordContext {
  sink: IngestSink;
  file: string;
  source: string;
}

/** Problems found while compiling a rule against a file's header. */
export type HeaderProblem = { field: string; message: string };

function compileTemplate(t: Template, shape: RecordShape, own: string | undefined, missing: HeaderProblem[], what: string): CompiledTemplate {
  const getters = t.fields.map((f) => {
    if (f === own) return null;
    const g = shape.getter(f);
    if (!g) missing.push({ field: f, message: `the ${what} template "${t.source}" uses field "${f}", which is not a column of this file` });
    return g ?? (() => undefined);
  });
  return { t, getters, values: new Array<string>(t.fields.length).fill('') };
}

/**
 * Fills a compiled template from a record. Returns the text, or a problem: [field, message].
 * `ownValue` stands for the template's own field.
 */
function fillFrom(c: CompiledTemplate, rec: unknown, ownValue: string | undefined, what: string): string | [string | undefined, string] {
  const { getters, values, t } = c;
  for (let i = 0; i < getters.length; i++) {
    const g = getters[i];
    if (g === null) {
      values[i] = ownValue!;
      continue;
    }
    const v = g(rec);
    if (v === undefined) {
      // Every field of the template empty: the record has no ID at all; otherwise one part is missing.
      const all = ownValue === undefined && getters.every((x) => x === null || x(rec) === undefined);
      if (all)
        return [
          t.fields.join(', ') || undefined,
          `the ${what} template "${t.source}" yields an empty ID (${t.fields.length > 1 ? 'all its fields are' : 'its field is'} absent or empty)`,
        ];
      return [t.fields[i], `field "${t.fields[i]}" is missing or empty (the ${what} template "${t.source}" needs it)`];
    }
    const s = idText(v);
    if (s === null) return [t.fields[i], `field "${t.fields[i]}" is ${kindOf(v)}; an ID part must be text or a number`];
    values[i] = s;
  }
  const out = fill(t, values);
  if (out === '') return [t.fields.join(', ') || undefined, `the ${what} template "${t.source}" yields an empty ID`];
  return out;
}

/** Handles one record on `line`; `big` says the record holds BigInts (integers read exactly: see idText). */
export type RecordProcessor = (rec: unknown, line: number, big?: boolean) => void;

function compileReference(ref: ReferenceRule, shape: RecordShape, missing: HeaderProblem[]) {
  const get = shape.getter(ref.field);
  if (!get) missing.push({ field: ref.field, message: `reference field "${ref.field}" is not a column of this file` });
  return {
    ref,
    get: get ?? (() => undefined),
    template: compileTemplate(ref.template, shape, ref.field, missing, 'reference'),
  };
}

/** Compiles an entity rule (and its references) for one file. */
export function entityProcessor(
  rule: EntityRule,
  refs: ReferenceRule[],
  shape: RecordShape,
  ctx: RecordContext,
): { process: RecordProcessor; problems: HeaderProblem[] } {
  const problems: HeaderProblem[] = [];
  const { sink } = ctx;
  const need = (field: string | undefined, what: string): Getter | undefined => {
    if (field === undefined) return undefined;
    const g = shape.getter(field);
    if (!g) problems.push({ field, message: `${what} field "${field}" is not a column of this file` });
    return g ?? (() => undefined);
  };
  const getId = need(rule.idField, 'ID');
  const idInTemplate = rule.idField !== undefined && rule.template.fields.includes(rule.idField);
  const idTemplate = compileTemplate(rule.template, shape, idInTemplate ? rule.idField : undefined, problems, 'ID');
  const getType = need(rule.typeField, 'type');
  const getName = need(rule.nameField, 'name');
  const getProtected = need(rule.protectedField, 'protected');
  const attrGetters = rule.attributes === '*' ? [] : rule.attributes.map((f) => [f, need(f, 'attribute')!] as const);
  const used = new Set<string>(
    [rule.idField, rule.typeField, rule.nameField, rule.protectedField, ...rule.template.fields, ...refs.map((r) => r.field)].filter(
      (f): f is string => f !== undefined,
    ),
  );
  const compiledRefs = refs.map((r) => compileReference(r, shape, problems));
  const idSlot = sink.slot({ file: ctx.file, source: ctx.source, fromField: rule.idField ?? rule.template.source });
  const refSlots = refs.map((r) =>
    sink.slot({
      file: ctx.file,
      source: ctx.source,
      fromField: r.reverse ? r.field : (rule.idField ?? rule.template.source),
      toField: r.reverse ? (rule.idField ?? rule.template.source) : r.field,
    }),
  );
  const idFieldName = rule.idField ?? rule.template.source;

  const process: RecordProcessor = (rec, line, big) => {
    const tag = sink.tag(idSlot, line);
    let ownId: string | undefined;
    if (getId) {
      const v = getId(rec);
      if (v === undefined) {
        sink.at(tag, rule.idField, `missing ID: field "${rule.idField}" is absent or empty`);
        return;
      }
      const s = idText(v);
      if (s === null) {
        sink.at(tag, rule.idField, `the ID is ${kindOf(v)}; it must be text or a number`);
        return;
      }
      ownId = s;
    }
    const id = fillFrom(idTemplate, rec, ownId, 'ID');
    if (typeof id !== 'string') {
      sink.at(tag, id[0], id[1]);
      return;
    }
    let type = rule.type;
    if (getType) {
      const v = getType(rec);
      type = pickType(v, sink);
      if (type === undefined) {
        sink.at(
          tag,
          rule.typeField,
          v === undefined ? `missing entity type: field "${rule.typeField}" is absent or empty` : `the entity type is ${kindOf(v)}; it must be text`,
        );
        return;
      }
    }
    const e: Entity = { id, type: type! };
    if (getName) {
      const v = getName(rec);
      if (v !== undefined) {
        if (typeof v === 'object') {
          sink.at(tag, rule.nameField, `the name is ${kindOf(v)}; it must be text`);
          return;
        }
        e.name = String(v);
      }
    }
    if (getProtected) {
      const f = flag(getProtected(rec));
      if (f === undefined) {
        sink.at(tag, rule.protectedField, `the protected flag must be true or false (or yes/no, 1/0), not ${shown(getProtected(rec))}`);
        return;
      }
      if (f) e.protected = true;
    }
    if (rule.attributes === '*') {
      const a: Record<string, unknown> = Object.create(null);
      shape.rest(rec, used, a);
      for (const _ in a) {
        e.attributes = a;
        break;
      }
    } else if (attrGetters.length) {
      let a: Record<string, unknown> | undefined;
      for (const [f, g] of attrGetters) {
        const v = g(rec);
        if (v !== undefined) (a ??= Object.create(null) as Record<string, unknown>)[f] = v;
      }
      if (a) e.attributes = a;
    }
    // Attribute values stay numbers (as JSON.parse reads them); only IDs and names keep the digits of a BigInt.
    if (big && e.attributes) e.attributes = withoutBigInts(e.attributes) as Record<string, unknown>;
    if (!sink.entity(e, tag, idFieldName, rule.typeField)) return;
    for (let k = 0; k < compiledRefs.length; k++) {
      const { ref, get, template } = compiledRefs[k];
      const v = get(rec);
      if (v === undefined) continue;
      const rtag = sink.tag(refSlots[k], line);
      const one = (x: unknown) => {
        if (x === undefined || x === null || x === '') return;
        const s = idText(x);
        if (s === null) {
          sink.at(rtag, ref.field, `a reference is ${kindOf(x)}; it must be text or a number`);
          return;
        }
        const t = fillFrom(template, rec, s, 'reference');
        if (typeof t !== 'string') {
          sink.at(rtag, t[0], t[1]);
          return;
        }
        if (ref.reverse) sink.relation(t, ref.relation, id, rtag);
        else sink.relation(id, ref.relation, t, rtag);
      };
      if (Array.isArray(v)) for (const x of v) one(x);
      else if (ref.delimiter !== undefined && typeof v === 'string') {
        for (const x of v.split(ref.delimiter)) one(x.trim());
      } else one(v);
    }
  };
  return { process, problems };
}

/** An entity type from a field: text, or (neo4j `:LABEL`) a list of labels of which the first known one is taken. */
function pickType(v: unknown, sink: IngestSink): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const labels = v.filter((x): x is string => typeof x === 'string' && x !== '');
    const types = sink.builder.schema.types;
    if (types) for (const l of labels) if (hasOwn(types, l)) return l;
    return labels[0];
  }
  return undefined;
}

function compileEndpoint(rule: IdRule, shape: RecordShape, problems: HeaderProblem[]) {
  const get = shape.getter(rule.field);
  if (!get) problems.push({ field: rule.field, message: `field "${rule.field}" is not a column of this file` });
  return { rule, get: get ?? (() => undefined), template: compileTemplate(rule.template, shape, rule.field, problems, 'ID') };
}

/** Compiles a relation rule (a join table) for one file. */
export function relationProcessor(rule: RelationRule, shape: RecordShape, ctx: RecordContext): { process: RecordProcessor; problems: HeaderProblem[] } {
  const problems: HeaderProblem[] = [];
  const { sink } = ctx;
  const from = compileEndpoint(rule.from, shape, problems);
  const to = compileEndpoint(rule.to, shape, problems);
  const getType = rule.typeField !== undefined ? shape.getter(rule.typeField) : undefined;
  if (rule.typeField !== undefined && !getType)
    problems.push({ field: rule.typeField, message: `type field "${rule.typeField}" is not a column of this file` });
  const slot = sink.slot({ file: ctx.file, source: ctx.source, fromField: rule.from.field, toField: rule.to.field });
  const end = (e: typeof from, rec: unknown, tag: number): string | undefined => {
    const v = e.get(rec);
    if (v === undefined) {
      sink.at(tag, e.rule.field, `field "${e.rule.field}" is absent or empty`);
      return undefined;
    }
    const s = idText(v);
    if (s === null) {
      sink.at(tag, e.rule.field, `the ID is ${kindOf(v)}; it must be text or a number`);
      return undefined;
    }
    const t = fillFrom(e.template, rec, s, 'ID');
    if (typeof t !== 'string') {
      sink.at(tag, t[0], t[1]);
      return undefined;
    }
    return t;
  };
  const process: RecordProcessor = (rec, line) => {
    const tag = sink.tag(slot, line);
    let type = rule.type;
    if (getType) {
      const v = getType(rec);
      if (typeof v !== 'string') {
        sink.at(
          tag,
          rule.typeField,
          v === undefined ? `missing relation type: field "${rule.typeField}" is absent or empty` : `the relation type is ${kindOf(v)}; it must be text`,
        );
        return;
      }
      type = v;
    }
    const a = end(from, rec, tag);
    const b = end(to, rec, tag);
    if (a === undefined || b === undefined) return;
    sink.relation(a, type!, b, tag, rule.typeField);
  };
  return { process, problems };
}
