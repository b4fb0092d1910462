// The fast path for snapshot JSON in its canonical layout — the schema first, then one entity or relation object per
// line of the "entities" and "relations" arrays, as `ingest --out x.json` and `generate` write it:
//   {                                  {"schema":{…},
//     "schema": { … },                 "entities":[
//     "entities": [                    {"id":"a","type":"site"},
//       {"id": "a", "type": "site"},   …
//       …                              ],
//     ],                               "relations":[
//     "relations": [ … ]               …
//   }                                  ]}
// Each record line goes through the NDJSON fast path's byte scanner (ndjson-fast.ts) straight into the store. Anything
// else — another layout, a record the scanner declines, a syntax error, graphology JSON — gives up (returns
// undefined) and the caller reads the file again with the general reader, whose messages name file, line and field.
// Giving up is always safe; what is accepted builds the graph the general reader would (same records, same lines).
import type { Readable } from 'node:stream';
import { InputError } from '../model/errors.js';
import type { Schema } from '../model/types.js';
import { COMMA_AFTER, newTypeCodes, SCAN_DECLINED, SCAN_KIND, SCAN_RELATION, setScanLimits } from './ndjson-fast.js';
import { forEachScannedLine } from './ndjson-parallel.js';
import { checkedParse } from './readers/json-checks.js';
import { readLimits } from './readers/limits.js';
import { forEachLineBytes } from './readers/lines.js';
import type { Progress } from './readers/open.js';
import type { IngestSink } from './sink.js';
import { normalizeSchema } from './snapshot.js';
import { checkSchema, type ReaderThreadInput } from './snapshot-stream.js';

/** The most header text (the schema) the fast path gathers before it gives up. */
const MAX_HEADER = 1 << 20;

const SPACE = 0x20;
const COMMA = 0x2c;
const OPEN = 0x7b;

/** A short structural line as text without blanks (`],`, `"relations":[`), or undefined for a long one. */
function compact(buf: Buffer, s: number, e: number): string | undefined {
  if (e - s > 64) return undefined;
  return buf.toString('latin1', s, e).replace(/[ \t\r]+/g, '');
}

export interface CanonicalJsonOptions {
  makeSink: (schema: Schema) => IngestSink;
  source: string;
  progress?: Progress;
}

/** Reads canonical snapshot JSON into a new sink; undefined when the file is not in that layout (nothing is kept). */
export async function feedCanonicalJson(
  input: Readable | readonly Buffer[] | ReaderThreadInput,
  file: string,
  opts: CanonicalJsonOptions,
): Promise<IngestSink | undefined> {
  const limits = readLimits();
  setScanLimits(limits);
  let state: 'head' | 'entities' | 'between' | 'relations' | 'end' | 'close' = 'head';
  let header = '';
  let headerLine = 1;
  let sink: IngestSink | undefined;
  let slot = 0;
  /** Whether the last record line ended with a comma (another record must follow, not the array's end). */
  let comma = false;
  let records = 0;
  let ok = true;
  const progress = opts.progress;
  const giveUp = () => {
    ok = false;
    return false;
  };
  const onLine = (buf: Buffer, s: number, e: number, no: number): boolean => {
    while (s < e && buf[s] <= SPACE) s++;
    while (e > s && buf[e - 1] <= SPACE) e--;
    if (state === 'entities' || state === 'relations') {
      if (buf[s] === OPEN) {
        if (records > 0 && !comma) return giveUp();
        comma = buf[e - 1] === COMMA;
        if (comma) e--;
        records++;
        if (progress) progress.records++;
        return sink!.fast(buf, s, e, sink!.tag(slot, no), state === 'entities' ? 'entity' : 'relation') || giveUp();
      }
      const c = compact(buf, s, e);
      if (comma) return giveUp();
      if (state === 'entities') {
        if (c === '],') state = 'between';
        else if (c === '],"relations":[') state = 'relations';
        else return giveUp();
      } else if (c === ']') state = 'close';
      else if (c === ']}') state = 'end';
      else return giveUp();
      records = 0;
      return true;
    }
    const c = compact(buf, s, e);
    if (state === 'between') {
      if (c !== '"relations":[') return giveUp();
      state = 'relations';
      return true;
    }
    if (state === 'close') {
      if (c !== '}') return giveUp();
      state = 'end';
      return true;
    }
    if (state === 'end') return giveUp(); // anything after the document: the general reader says what
    // The head: gather lines up to `"entities": [`, then read them as {"schema": …}.
    if (c === '"entities":[') {
      sink = schemaSink(header, file, headerLine, opts);
      if (!sink) return giveUp();
      slot = sink.slot({ file, source: opts.source, fromField: 'from', toField: 'to' });
      state = 'entities';
      return true;
    }
    if (header === '') headerLine = no;
    header += `${buf.toString('utf8', s, e)}\n`;
    return header.length <= MAX_HEADER || giveUp();
  };
  // With the reader thread (ndjson-parallel.ts), record lines come scanned (blanks and comma left out); the rest, and
  // any record it declined, take the byte path above, which gives up on such a record.
  const typeCodes = newTypeCodes();
  const onScanned = (buf: Buffer, rows: Int32Array, o: number, no: number): boolean => {
    const kind = rows[o] & SCAN_KIND;
    if (kind === SCAN_DECLINED || (state !== 'entities' && state !== 'relations')) return onLine(buf, rows[o + 2], rows[o + 3], no);
    if (records > 0 && !comma) return giveUp();
    if ((kind === SCAN_RELATION) !== (state === 'relations')) return giveUp();
    comma = (rows[o] & COMMA_AFTER) !== 0;
    records++;
    if (progress) progress.records++;
    return sink!.fastScanned(buf, rows, o, typeCodes, sink!.tag(slot, no)) || giveUp();
  };
  try {
    if ('readerThread' in input) await forEachScannedLine(input.readerThread, file, onScanned, progress, true);
    else await forEachLineBytes(input, onLine, { file, maxLine: limits.maxRecord });
  } catch (err) {
    // A line past the limit (a minified document): the general reader streams it.
    if (err instanceof InputError) {
      if (!('readerThread' in input) && !Array.isArray(input)) (input as Readable).destroy();
      return undefined;
    }
    throw err;
  }
  return ok && (state as string) === 'end' ? sink : undefined;
}

/** The sink for the schema in `header` (`{"schema": {…},`); undefined when it is anything else or has a problem. */
function schemaSink(header: string, file: string, line: number, opts: CanonicalJsonOptions): IngestSink | undefined {
  const text = header.trimEnd();
  if (!text.startsWith('{') || !text.endsWith(',')) return undefined;
  let o: unknown;
  try {
    o = checkedParse(`${text.slice(0, -1)}}`, file, line, readLimits(), false);
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const keys = Object.keys(o);
  if (keys.length !== 1 || keys[0] !== 'schema') return undefined;
  const schema = (o as { schema: unknown }).schema;
  if (checkSchema(schema).length) return undefined;
  return opts.makeSink(normalizeSchema(schema as Schema));
}
