// Self-describing graph files, read as streams: the native NDJSON snapshot (first line the schema, then one entity or
// relation per line), snapshot JSON, and graphology's serialized JSON. Each record is checked by hand (the same rules
// and wording as schemas/snapshot.schema.json) and fed to an IngestSink with its line.
import type { Readable } from 'node:stream';
import { InputError } from '../model/errors.js';
import { describeAjvError, pathToField, validator } from '../model/json-schemas.js';
import type { Entity, Schema } from '../model/types.js';
import { checkedParse, withoutBigInts } from './readers/json-checks.js';
import { forEachJsonElement } from './readers/json-stream.js';
import { readLimits } from './readers/limits.js';
import { newTypeCodes, setScanLimits } from './ndjson-fast.js';
import { forEachScannedLine } from './ndjson-parallel.js';
import { forEachLineBytes } from './readers/lines.js';
import type { Progress } from './readers/open.js';
import type { IngestSink } from './sink.js';
import { normalizeSchema } from './snapshot.js';

type Problem = [field: string, message: string];

const ENTITY_KEYS = new Set(['id', 'type', 'name', 'protected', 'attributes']);
const RELATION_KEYS = new Set(['from', 'type', 'to']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(o: Record<string, unknown>, k: string): Problem | undefined {
  const v = o[k];
  if (v === undefined || !Object.hasOwn(o, k)) return [k, `missing required field "${k}"`];
  if (typeof v !== 'string') return [k, 'must be string'];
  if (v === '') return [k, 'must not be empty'];
  return undefined;
}

/** The first thing wrong with an entity record, or undefined. */
export function checkEntity(o: unknown): Problem | undefined {
  if (!isObject(o)) return ['', 'must be object'];
  const p = text(o, 'id') ?? text(o, 'type');
  if (p) return p;
  if (o.name !== undefined && typeof o.name !== 'string') return ['name', 'must be string'];
  if (o.protected !== undefined && typeof o.protected !== 'boolean') return ['protected', 'must be boolean'];
  if (o.attributes !== undefined && !isObject(o.attributes)) return ['attributes', 'must be object'];
  for (const k in o) if (!ENTITY_KEYS.has(k)) return [k, `unknown field "${k}"`];
  if (Object.hasOwn(o, '__proto__')) return ['__proto__', 'unknown field "__proto__"'];
  return undefined;
}

/** The first thing wrong with a relation record, or undefined. */
export function checkRelation(o: unknown): Problem | undefined {
  if (!isObject(o)) return ['', 'must be object'];
  const p = text(o, 'from') ?? text(o, 'type') ?? text(o, 'to');
  if (p) return p;
  for (const k in o) if (!RELATION_KEYS.has(k)) return [k, `unknown field "${k}"`];
  if (Object.hasOwn(o, '__proto__')) return ['__proto__', 'unknown field "__proto__"'];
  return undefined;
}

/** Validates a schema object with the snapshot JSON Schema; returns problems as [field path, message]. */
export function checkSchema(value: unknown, prefix: (string | number)[] = ['schema']): { path: (string | number)[]; message: string }[] {
  const validate = validator('snapshot.schema.json');
  if (validate({ schema: value, entities: [], relations: [] })) return [];
  return (validate.errors ?? []).map((e) => {
    const { path, message } = describeAjvError(e);
    return { path: [...prefix, ...path.slice(1)], message };
  });
}

const join = (prefix: string, field: string) => (prefix && field ? `${prefix}.${field}` : prefix || field || undefined);

/** Feeds checked snapshot records into a sink; `slot` is the sink slot of the file. */
export class SnapshotFeeder {
  constructor(
    readonly sink: IngestSink,
    readonly file: string,
    readonly slot: number,
  ) {}

  /** `big`: the record holds BigInts (integers beyond +-2^53 read exactly); IDs must be strings, attributes get numbers. */
  entity(o: unknown, line: number, prefix = '', big = false): void {
    const tag = this.sink.tag(this.slot, line);
    const bad = checkEntity(o);
    if (bad) return this.sink.at(tag, join(prefix, bad[0]), bad[1]);
    const e = o as Entity;
    if (big && e.attributes !== undefined) e.attributes = withoutBigInts(e.attributes) as Record<string, unknown>;
    this.sink.entity(e, tag, join(prefix, 'id'), join(prefix, 'type'));
  }

  relation(o: unknown, line: number, prefix = ''): void {
    const tag = this.sink.tag(this.slot, line);
    const bad = checkRelation(o);
    if (bad) return this.sink.at(tag, join(prefix, bad[0]), bad[1]);
    const r = o as { from: string; type: string; to: string };
    this.sink.relation(r.from, r.type, r.to, tag, join(prefix, 'type'));
  }

  /**
   * A graphology node {key, attributes: {type, name?, protected?, attributes? | anything else}}. A key may be a number;
   * with `big`, one beyond +-2^53 is a BigInt of its exact digits (attributes get plain numbers).
   */
  node(o: unknown, line: number, prefix: string, big = false): void {
    const tag = this.sink.tag(this.slot, line);
    if (!isObject(o)) return this.sink.at(tag, prefix, 'must be object');
    const key = o.key;
    if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'bigint')
      return this.sink.at(tag, join(prefix, 'key'), key === undefined ? 'missing required field "key"' : 'must be string');
    const a = isObject(o.attributes) ? (big ? (withoutBigInts(o.attributes) as Record<string, unknown>) : o.attributes) : {};
    if (big && isObject(o.attributes) && typeof o.attributes.name === 'bigint') a.name = String(o.attributes.name);
    if (typeof a.type !== 'string' || a.type === '')
      return this.sink.at(tag, join(prefix, 'attributes.type'), 'a node needs a "type" attribute (its entity type)');
    const e: Entity = { id: String(key), type: a.type };
    if (e.id === '') return this.sink.at(tag, join(prefix, 'key'), 'must not be empty');
    if (a.name !== undefined) e.name = String(a.name);
    if (a.protected !== undefined) {
      if (typeof a.protected !== 'boolean') return this.sink.at(tag, join(prefix, 'attributes.protected'), 'must be boolean');
      if (a.protected) e.protected = true;
    }
    if (isObject(a.attributes)) e.attributes = a.attributes;
    else {
      const rest: Record<string, unknown> = Object.create(null);
      let any = false;
      for (const k of Object.keys(a)) {
        if (k === 'type' || k === 'name' || k === 'protected') continue;
        rest[k] = a[k];
        any = true;
      }
      if (any) e.attributes = rest;
    }
    this.sink.entity(e, tag, join(prefix, 'key'), join(prefix, 'attributes.type'));
  }

  /** A graphology edge {source, target, attributes: {type}}. */
  edge(o: unknown, line: number, prefix: string): void {
    const tag = this.sink.tag(this.slot, line);
    if (!isObject(o)) return this.sink.at(tag, prefix, 'must be object');
    if (o.undirected === true)
      return this.sink.at(
        tag,
        join(prefix, 'undirected'),
        'an undirected edge has no direction; blastguard relations point from the dependent entity to what it depends on',
      );
    const a = isObject(o.attributes) ? o.attributes : {};
    for (const k of ['source', 'target'] as const) {
      const v = o[k];
      if ((typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint') || v === '')
        return this.sink.at(tag, join(prefix, k), v === undefined ? `missing required field "${k}"` : 'must be string');
    }
    if (typeof a.type !== 'string' || a.type === '')
      return this.sink.at(tag, join(prefix, 'attributes.type'), 'an edge needs a "type" attribute (its relation type)');
    this.sink.relation(String(o.source), a.type, String(o.target), tag, join(prefix, 'attributes.type'));
  }
}

export interface SelfDescribingOptions {
  /** The schema to use; when absent it is read from the file (and the sink made with it). */
  sink?: IngestSink;
  makeSink?: (schema: Schema) => IngestSink;
  source: string;
  progress?: Progress;
}

function schemaError(file: string, line: number, problems: { path: (string | number)[]; message: string }[]): InputError {
  return new InputError(
    problems.slice(0, 20).map((p) => ({ file, line, field: pathToField(p.path), message: p.message })),
    problems.length,
  );
}

/** A file to read with the parallel reader (ndjson-parallel.ts) instead of a stream. */
export interface ReaderThreadInput {
  readerThread: string;
}

/**
 * Reads a native NDJSON snapshot. With `sink` given (a mapping source), the file's schema line is skipped; otherwise
 * the first line must be the schema, and a sink is made from it.
 */
export async function feedNdjsonSnapshot(input: Readable | ReaderThreadInput, file: string, opts: SelfDescribingOptions): Promise<IngestSink> {
  let sink = opts.sink;
  let feeder: SnapshotFeeder | undefined = sink
    ? new SnapshotFeeder(sink, file, sink.slot({ file, source: opts.source, fromField: 'from', toField: 'to' }))
    : undefined;
  const progress = opts.progress;
  let fatal: InputError | undefined;
  let sawSchema = false;
  // Plain records go from the bytes into the store; anything else (and the schema line) takes `general`.
  const typeCodes = newTypeCodes();
  const limits = readLimits();
  setScanLimits(limits);
  const stats =
    'readerThread' in input
      ? await forEachScannedLine(
          input.readerThread,
          file,
          (buf, rows, o, no) => {
            if (progress) progress.records++;
            if (feeder && feeder.sink.fastScanned(buf, rows, o, typeCodes, feeder.sink.tag(feeder.slot, no))) return;
            return general(buf, rows[o + 2], rows[o + 3], no);
          },
          progress,
        )
      : await forEachLineBytes(
          input,
          (buf, s, e, no) => {
            if (progress) progress.records++;
            if (feeder && feeder.sink.fast(buf, s, e, feeder.sink.tag(feeder.slot, no))) return;
            return general(buf, s, e, no);
          },
          { file, maxLine: limits.maxRecord },
        );
  if (fatal) throw fatal;
  if (stats.records === 0) throw new InputError({ file, line: 1, message: 'file is empty' });
  if (!sink) throw new InputError({ file, line: 1, message: 'the first line of an NDJSON snapshot must be {"schema": {...}}' });
  return sink;

  function general(buf: Buffer, s: number, e: number, no: number): boolean | void {
    const line = buf.toString('utf8', s, e);
    let o: unknown;
    try {
      // IDs of a snapshot are strings: numbers, however large, are refused by the record checks, not read exactly.
      o = checkedParse(line, file, no, limits, false);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      fatal = err;
      return false;
    }
    if (o !== null && typeof o === 'object') {
      const r = o as Record<string, unknown>;
      if (feeder && typeof r.id === 'string') return void feeder.entity(o, no);
      if (feeder && typeof r.from === 'string') return void feeder.relation(o, no);
      if (r.schema !== undefined && !sawSchema && (feeder === undefined || opts.sink)) {
        sawSchema = true;
        if (feeder) return; // a mapping source: the mapping's schema is used
        const problems = checkSchema(r.schema);
        if (problems.length) {
          fatal = schemaError(file, no, problems);
          return false;
        }
        sink = opts.makeSink!(normalizeSchema(r.schema as Schema));
        feeder = new SnapshotFeeder(sink, file, sink.slot({ file, source: opts.source, fromField: 'from', toField: 'to' }));
        return;
      }
    }
    if (!feeder) {
      fatal = new InputError({ file, line: no, message: 'the first line of an NDJSON snapshot must be {"schema": {...}}' });
      return false;
    }
    const what =
      o !== null && typeof o === 'object' && !Array.isArray(o) ? ('id' in o ? checkEntity(o) : 'from' in o ? checkRelation(o) : undefined) : undefined;
    feeder.sink.at(
      feeder.sink.tag(feeder.slot, no),
      what?.[0] || undefined,
      what?.[1] ?? 'a line must be an entity {"id", "type", …} or a relation {"from", "type", "to"}',
    );
  }
}

/**
 * Reads snapshot JSON ({schema, entities, relations}) or graphology JSON ({attributes: {schema}, nodes, edges}) as a
 * stream. Records that come before the schema wait for it.
 */
export async function feedJsonGraph(input: Readable, file: string, opts: SelfDescribingOptions): Promise<IngestSink> {
  let sink = opts.sink;
  let feeder: SnapshotFeeder | undefined = sink
    ? new SnapshotFeeder(sink, file, sink.slot({ file, source: opts.source, fromField: 'from', toField: 'to' }))
    : undefined;
  const waiting: [key: string, value: unknown, line: number, index: number, big: boolean][] = [];
  let kind: 'snapshot' | 'graphology' | undefined;
  let schemaLine = 0;
  let fatal: InputError | undefined;
  const progress = opts.progress;
  const feed = (key: string, value: unknown, line: number, index: number, big: boolean) => {
    if (key === 'entities') feeder!.entity(value, line, `entities[${index}]`, big);
    else if (key === 'relations') feeder!.relation(value, line, `relations[${index}]`);
    else if (key === 'nodes') feeder!.node(value, line, `nodes[${index}]`, big);
    else feeder!.edge(value, line, `edges[${index}]`);
  };
  const setSchema = (value: unknown, line: number, path: (string | number)[]) => {
    if (opts.sink) return;
    const problems = checkSchema(value, path);
    if (problems.length) {
      fatal = schemaError(file, line, problems);
      return;
    }
    sink = opts.makeSink!(normalizeSchema(value as Schema));
    feeder = new SnapshotFeeder(sink, file, sink.slot({ file, source: opts.source, fromField: 'from', toField: 'to' }));
    for (const w of waiting) feed(...w);
    waiting.length = 0;
  };
  // Exact integers: graphology keys may be numbers (a snapshot's IDs are strings, and a number there is refused).
  const { keys } = await forEachJsonElement(
    input,
    file,
    (key, value, line, index, whole, big) => {
      if (big && whole) value = withoutBigInts(value); // the schema, graphology's graph attributes: no IDs there
      if (key === undefined) {
        fatal = new InputError({
          file,
          line,
          message: 'expected a snapshot {"schema", "entities", "relations"} or graphology JSON {"nodes", "edges"}, found an array',
        });
        return false;
      }
      const k: 'snapshot' | 'graphology' | undefined =
        key === 'schema' || key === 'entities' || key === 'relations'
          ? 'snapshot'
          : key === 'nodes' || key === 'edges' || key === 'attributes' || key === 'options'
            ? 'graphology'
            : undefined;
      if (k === undefined) {
        fatal = new InputError({
          file,
          line,
          field: key,
          message: `unknown field "${key}" (a snapshot has schema, entities and relations; graphology JSON has attributes, options, nodes and edges)`,
        });
        return false;
      }
      if (kind && k !== kind) {
        fatal = new InputError({ file, line, field: key, message: `"${key}" does not belong in ${kind === 'snapshot' ? 'a snapshot' : 'graphology JSON'}` });
        return false;
      }
      kind = k;
      if (progress && !whole) progress.records++;
      if (key === 'schema') {
        schemaLine = line;
        setSchema(value, line, ['schema']);
        return !fatal;
      }
      if (key === 'attributes') {
        if (isObject(value) && value.schema !== undefined) {
          schemaLine = line;
          setSchema(value.schema, line, ['attributes', 'schema']);
        }
        return !fatal;
      }
      if (key === 'options') return;
      if (whole) {
        fatal = new InputError({ file, line, field: key, message: 'must be array' });
        return false;
      }
      if (!feeder) waiting.push([key, value, line, index, big]);
      else feed(key, value, line, index, big);
    },
    { exact: true },
  );
  if (fatal) throw fatal;
  if (kind === 'snapshot') {
    for (const k of ['entities', 'relations']) {
      if (!keys.includes(k)) throw new InputError({ file, line: 1, message: `missing required field "${k}"` });
    }
  }
  if (!sink) {
    throw new InputError({
      file,
      line: schemaLine || 1,
      field: kind === 'graphology' ? 'attributes.schema' : 'schema',
      message:
        kind === 'graphology'
          ? 'graphology JSON without a schema: set the graph attribute "schema", or ingest it through a mapping (format: graphology)'
          : 'missing required field "schema"',
    });
  }
  return sink;
}
