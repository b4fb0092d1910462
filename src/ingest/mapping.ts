// Reads a mapping file (YAML or JSON, validated by schemas/mapping.schema.json): the schema plus, for each export,
// how its records become entities and relations. Everything that can be checked before reading data is checked here,
// with the mapping file's line.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ProblemList } from '../model/errors.js';
import { describeAjvError, pathToField, validator } from '../model/json-schemas.js';
import { jsonLocator, type Locator } from '../model/locate.js';
import { tinyglobby } from '../model/lazy.js';
import type { Schema } from '../model/types.js';
import { readSmallFile, parseSmallJson, parseSmallYaml } from './small-input.js';
import { normalizeSchema } from './snapshot.js';
import { parseTemplate, type Template } from './template.js';

export type SourceFormat = 'json' | 'ndjson' | 'csv' | 'neo4j-csv' | 'graphology' | 'snapshot';

/** How a referenced ID is made from a field's value: a template, or the value itself. */
export interface IdRule {
  field: string;
  template: Template;
}

export interface EntityRule {
  type?: string;
  typeField?: string;
  /** The ID field (absent when the template alone makes the ID). */
  idField?: string;
  template: Template;
  nameField?: string;
  protectedField?: string;
  attributes: '*' | string[];
}

export interface ReferenceRule extends IdRule {
  relation: string;
  delimiter?: string;
  reverse: boolean;
}

export interface RelationRule {
  type?: string;
  typeField?: string;
  from: IdRule;
  to: IdRule;
}

export interface SourceSpec {
  index: number;
  /** How the source is named in reports. */
  label: string;
  /** Line of the source in the mapping file. */
  line?: number;
  files: string[];
  /** Explicit format, or undefined to decide per file from its name (and, for self-describing JSON, its shape). */
  format?: SourceFormat;
  path?: string;
  delimiter: string;
  allowEmpty: boolean;
  entity?: EntityRule;
  references: ReferenceRule[];
  relation?: RelationRule;
}

export interface Mapping {
  file: string;
  schema: Schema;
  sources: SourceSpec[];
}

interface RawEndpoint {
  field: string;
  target?: string;
  template?: string;
}
interface RawSource {
  label?: string;
  file?: string;
  glob?: string;
  format?: SourceFormat;
  path?: string;
  delimiter?: string;
  allowEmpty?: boolean;
  entity?: {
    type?: string;
    typeField?: string;
    id?: string;
    template?: string;
    name?: string;
    protected?: string;
    attributes?: '*' | string[];
  };
  references?: (RawEndpoint & { relation: string; delimiter?: string; reverse?: boolean })[];
  relation?: { type?: string; typeField?: string; from: RawEndpoint; to: RawEndpoint };
}
interface RawMapping {
  schema: Schema;
  sources: RawSource[];
}

/** A path as it is shown in messages: relative to the working directory when that is shorter. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  if (rel === '') return '.';
  return !isAbsolute(rel) && rel.length < file.length ? rel : file;
}

/** The format a file name implies, or undefined. */
export function formatOfName(file: string): 'json' | 'ndjson' | 'csv' | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.json')) return 'json';
  return undefined;
}

export function loadMappingFile(file: string): Mapping {
  return parseMapping(readSmallFile(file, displayPath(file)), file);
}

export function parseMapping(text: string, file: string): Mapping {
  const shown = displayPath(file);
  let data: unknown;
  let lineOf: Locator;
  if (/\.json(\.gz)?$/i.test(file)) {
    lineOf = jsonLocator(text);
    data = parseSmallJson(text, shown, lineOf);
  } else {
    ({ data, lineOf } = parseSmallYaml(text, shown));
  }
  const problems = new ProblemList(20);
  const at = (path: (string | number)[], message: string) => problems.add({ file: shown, line: lineOf(path), field: pathToField(path) || undefined, message });

  const validate = validator('mapping.schema.json');
  if (!validate(data)) {
    const seen = new Set<string>();
    for (const e of validate.errors ?? []) {
      // oneOf/anyOf/not are explained by the checks below, in words; `const` only fails inside `attributes`.
      const inAttributes = e.schemaPath.includes('/attributes/oneOf');
      if (!inAttributes && /\/(oneOf|anyOf|not)(\/|$)/.test(e.schemaPath)) continue;
      const described = describeAjvError(e);
      const { path } = described;
      const message = inAttributes ? 'must be "*" or a list of fields' : described.message;
      const key = `${path.join('/')}|${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      at(path, message);
    }
  }
  const raw = data as RawMapping;
  if (raw && typeof raw === 'object' && Array.isArray(raw.sources)) {
    raw.sources.forEach((s, i) => {
      if (!s || typeof s !== 'object') return;
      const p = ['sources', i];
      if (s.file === undefined && s.glob === undefined) at(p, 'give "file" or "glob"');
      if (s.file !== undefined && s.glob !== undefined) at([...p, 'glob'], 'give "file" or "glob", not both');
      if (s.entity && s.relation) at([...p, 'relation'], 'a source gives entities or relations, not both: split it in two sources');
      if (s.relation && s.references) at([...p, 'references'], 'references belong to entity sources');
      const e = s.entity;
      if (e && typeof e === 'object') {
        if (e.id === undefined && e.template === undefined) at([...p, 'entity'], 'give "id" (the ID field) or "template"');
        if (e.type === undefined && e.typeField === undefined) at([...p, 'entity'], 'give "type" or "typeField"');
        if (e.type !== undefined && e.typeField !== undefined) at([...p, 'entity', 'typeField'], 'give "type" or "typeField", not both');
      }
      const r = s.relation;
      if (r && typeof r === 'object') {
        if (r.type === undefined && r.typeField === undefined) at([...p, 'relation'], 'give "type" or "typeField"');
        if (r.type !== undefined && r.typeField !== undefined) at([...p, 'relation', 'typeField'], 'give "type" or "typeField", not both');
      }
      const both = (q: (string | number)[], x: { target?: string; template?: string } | undefined) => {
        if (x && typeof x === 'object' && x.target !== undefined && x.template !== undefined) at([...q, 'template'], 'give "target" or "template", not both');
      };
      s.references?.forEach((x, k) => both([...p, 'references', k], x));
      both([...p, 'relation', 'from'], r?.from);
      both([...p, 'relation', 'to'], r?.to);
    });
  }
  problems.throwIfAny();

  const schema = normalizeSchema(raw.schema);
  const base = dirname(resolve(file));
  const sources: SourceSpec[] = [];
  // Templates first, so that a reference naming a target type can borrow that type's template.
  const templates: (Template | undefined)[][] = [];
  const tpl = (path: (string | number)[], source: string | undefined): Template | undefined => {
    if (source === undefined) return undefined;
    try {
      return parseTemplate(source);
    } catch (err) {
      at(path, `bad template: ${(err as Error).message}`);
      return undefined;
    }
  };
  const typeTemplates = new Map<string, { template: Template | undefined; path: (string | number)[] }[]>();
  raw.sources.forEach((s, i) => {
    const t = tpl(['sources', i, 'entity', 'template'], s.entity?.template);
    templates[i] = [t];
    if (s.entity?.type !== undefined) {
      const list = typeTemplates.get(s.entity.type) ?? [];
      list.push({ template: t, path: ['sources', i, 'entity'] });
      typeTemplates.set(s.entity.type, list);
    }
  });

  const knownRelation = (path: (string | number)[], type: string | undefined) => {
    if (type !== undefined && !Object.hasOwn(schema.relations, type)) at(path, `relation type "${type}" is not declared in schema.relations`);
  };
  const knownType = (path: (string | number)[], type: string | undefined) => {
    if (type !== undefined && schema.types && !Object.hasOwn(schema.types, type)) at(path, `type "${type}" is not declared in schema.types`);
  };
  /** The rule that turns a field's value into an ID: its own template, its target type's, or the value itself. */
  const idRule = (path: (string | number)[], x: RawEndpoint): IdRule => {
    const own = tpl([...path, 'template'], x.template);
    if (own) {
      if (!own.fields.includes(x.field)) at([...path, 'template'], `the template must use the field it builds from: put "{${x.field}}" in it`);
      return { field: x.field, template: own };
    }
    const plain = { field: x.field, template: { source: `{${x.field}}`, literals: ['', ''], fields: [x.field] } };
    if (x.target === undefined) return plain;
    knownType([...path, 'target'], x.target);
    const producers = typeTemplates.get(x.target);
    if (!producers) {
      at([...path, 'target'], `no source gives entities of type "${x.target}" (use "template" to build the ID instead)`);
      return plain;
    }
    const distinct = new Set(producers.map((p) => p.template?.source ?? ''));
    if (distinct.size > 1) {
      at(
        [...path, 'target'],
        `the sources of type "${x.target}" build IDs in different ways (${[...distinct].map((d) => d || 'plain').join(', ')}); use "template"`,
      );
      return plain;
    }
    const t = producers[0].template;
    if (!t) return plain;
    if (t.fields.length !== 1) {
      at([...path, 'target'], `type "${x.target}" builds its IDs from ${t.fields.length} fields (${t.source}); use "template"`);
      return plain;
    }
    return { field: x.field, template: { source: t.source, literals: t.literals, fields: [x.field] } };
  };

  raw.sources.forEach((s, i) => {
    const p: (string | number)[] = ['sources', i];
    const pattern = (s.file ?? s.glob)!;
    const label = s.label ?? pattern;
    let files: string[] = [];
    if (s.file !== undefined) {
      const abs = resolve(base, s.file);
      try {
        if (statSync(abs).isFile()) files = [abs];
        else at([...p, 'file'], `${displayPath(abs)} is not a file`);
      } catch {
        at([...p, 'file'], `file not found: ${displayPath(abs)}`);
      }
    } else {
      files = tinyglobby().globSync(s.glob!, { cwd: base, absolute: true, onlyFiles: true, expandDirectories: false }).sort();
      if (files.length === 0) at([...p, 'glob'], `no file matches "${s.glob}" (in ${displayPath(base)})`);
    }
    if (s.format === undefined) {
      const unknown = files.find((f) => formatOfName(f) === undefined);
      if (unknown) at([...p, 'format'], `cannot tell the format of ${displayPath(unknown)} from its name: give "format"`);
    }
    if (s.path !== undefined && s.format !== undefined && s.format !== 'json') at([...p, 'path'], '"path" applies to JSON sources only');
    if (s.delimiter !== undefined && s.format !== undefined && s.format !== 'csv' && s.format !== 'neo4j-csv')
      at([...p, 'delimiter'], '"delimiter" applies to CSV sources only');
    const selfDescribing = s.format === 'snapshot' || s.format === 'graphology';
    if (selfDescribing && (s.entity || s.relation || s.references))
      at([...p, 'format'], `a ${s.format} source carries its own entities and relations: drop "entity", "relation" and "references"`);
    if (!s.entity && !s.relation && s.format !== undefined && !selfDescribing && s.format !== 'neo4j-csv') {
      at(p, `a ${s.format} source needs "entity" or "relation" to say what its records are`);
    }
    const spec: SourceSpec = {
      index: i,
      label,
      line: lineOf(p),
      files,
      format: s.format,
      path: s.path,
      delimiter: s.delimiter ?? ',',
      allowEmpty: s.allowEmpty ?? false,
      references: [],
    };
    if (s.entity) {
      const e = s.entity;
      knownType([...p, 'entity', 'type'], e.type);
      const template = templates[i][0] ?? { source: `{${e.id}}`, literals: ['', ''], fields: [e.id!] };
      spec.entity = {
        type: e.type,
        typeField: e.typeField,
        idField: e.id,
        template,
        nameField: e.name,
        protectedField: e.protected,
        attributes: e.attributes ?? [],
      };
    }
    (s.references ?? []).forEach((r, k) => {
      const q = [...p, 'references', k];
      knownRelation([...q, 'relation'], r.relation);
      spec.references.push({ ...idRule(q, r), relation: r.relation, delimiter: r.delimiter, reverse: r.reverse ?? false });
    });
    if (s.references?.length && !s.entity && s.format !== 'neo4j-csv') at([...p, 'references'], 'references belong to entity sources: add "entity"');
    if (s.relation) {
      const r = s.relation;
      knownRelation([...p, 'relation', 'type'], r.type);
      spec.relation = {
        type: r.type,
        typeField: r.typeField,
        from: idRule([...p, 'relation', 'from'], r.from),
        to: idRule([...p, 'relation', 'to'], r.to),
      };
    }
    sources.push(spec);
  });
  problems.throwIfAny();
  return { file: shown, schema, sources };
}
