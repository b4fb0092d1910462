// The fast path for NDJSON snapshot records: reads one line's bytes straight into the compact store's builder,
// without JSON.parse and without a string per ID. It accepts only the plain shapes that exporters write —
//   {"id":"…","type":"…","name":"…","protected":true,"attributes":{"k":"v","n":1}}   and   {"from":"…","type":"…","to":"…"}
// with keys in any order, ASCII strings without escapes, and flat attributes — and declines everything else
// (returns false, having changed nothing), so that the general reader parses that line with JSON.parse and
// reports any problem with its file, line and field. Declining is always safe; accepting must be exact: a key twice
// (in the record or in its attributes) or a string past the read limit is declined, and the general reader refuses it.
import type { GraphBuilder } from '../store/compact.js';
import { hashBytes } from '../store/ids.js';
import type { ReadLimits } from './readers/limits.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

const K_ID = 1;
const K_TYPE = 2;
const K_NAME = 4;
const K_FROM = 8;
const K_TO = 16;
const K_PROTECTED = 32;
const K_ATTRIBUTES = 64;

// Span results of the last scan (module scratch: the fast path allocates nothing per line).
let sId = 0,
  eId = 0,
  sType = 0,
  eType = 0,
  sName = 0,
  eName = -1,
  sFrom = 0,
  eFrom = 0,
  sTo = 0,
  eTo = 0;
let sAttr = 0,
  eAttr = -1,
  isProtected = false;

// The longest string the scanner takes (bytes between the quotes); longer ones go the general way, which refuses them.
let maxScanString = 16 << 20;

/** Sets the string limit of the scanner (per file: the limits are read when a file is opened). */
export function setScanLimits(limits: ReadLimits): void {
  maxScanString = limits.maxString;
}

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

function skipWs(buf: Uint8Array, i: number, e: number): number {
  while (i < e && isWs(buf[i])) i++;
  return i;
}

/** End (index after the closing quote) of a plain ASCII string starting at the quote at i, or -1. */
function plainString(buf: Uint8Array, i: number, e: number): number {
  for (let j = i + 1; j < e; j++) {
    const c = buf[j];
    if (c === QUOTE) return j + 1;
    // Declines escapes, control characters (c < 0x20 wraps round) and non-ASCII bytes.
    if (c === BACKSLASH || (c - 0x20) >>> 0 >= 0x60) return -1;
  }
  return -1;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** End of a JSON number starting at i, or -1. */
function number(buf: Uint8Array, i: number, e: number): number {
  if (i < e && buf[i] === 0x2d) i++;
  if (i >= e || !isDigit(buf[i])) return -1;
  if (buf[i] === 0x30) i++;
  else while (i < e && isDigit(buf[i])) i++;
  if (i < e && buf[i] === 0x2e) {
    i++;
    if (i >= e || !isDigit(buf[i])) return -1;
    while (i < e && isDigit(buf[i])) i++;
  }
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    if (i < e && (buf[i] === 0x2b || buf[i] === 0x2d)) i++;
    if (i >= e || !isDigit(buf[i])) return -1;
    while (i < e && isDigit(buf[i])) i++;
  }
  return i;
}

function word(buf: Uint8Array, i: number, e: number, w: string): number {
  if (i + w.length > e) return -1;
  for (let k = 0; k < w.length; k++) if (buf[i + k] !== w.charCodeAt(k)) return -1;
  return i + w.length;
}

// The keys of the attributes object being scanned (start and end of each, quotes excluded), to see one twice.
const MAX_ATTRIBUTE_KEYS = 16;
const attrKeyS = new Int32Array(MAX_ATTRIBUTE_KEYS);
const attrKeyE = new Int32Array(MAX_ATTRIBUTE_KEYS);

/** Whether the key on s..e-1 is the same as one of the first `n` keys recorded. */
function seenKey(buf: Uint8Array, s: number, e: number, n: number): boolean {
  const len = e - s;
  for (let k = 0; k < n; k++) {
    const ks = attrKeyS[k];
    if (attrKeyE[k] - ks !== len) continue;
    let j = 0;
    while (j < len && buf[ks + j] === buf[s + j]) j++;
    if (j === len) return true;
  }
  return false;
}

/**
 * End of a flat JSON object ({} or string keys → string, number, true, false, null), or -1 (also for a key seen
 * twice, and for more than MAX_ATTRIBUTE_KEYS keys: the general path checks those). Sets `empty`.
 */
let emptyObject = false;
function flatObject(buf: Uint8Array, i: number, e: number): number {
  i = skipWs(buf, i + 1, e);
  emptyObject = true;
  if (i < e && buf[i] === CLOSE) return i + 1;
  emptyObject = false;
  for (let keys = 0; ; keys++) {
    if (i >= e || buf[i] !== QUOTE || keys === MAX_ATTRIBUTE_KEYS) return -1;
    const ks = i + 1;
    i = plainString(buf, i, e);
    if (i < 0 || i - ks > maxScanString || seenKey(buf, ks, i - 1, keys)) return -1;
    attrKeyS[keys] = ks;
    attrKeyE[keys] = i - 1;
    i = skipWs(buf, i, e);
    if (i >= e || buf[i] !== COLON) return -1;
    i = skipWs(buf, i + 1, e);
    if (i >= e) return -1;
    const c = buf[i];
    if (c === QUOTE) {
      const vs = i;
      i = plainString(buf, i, e);
      if (i - vs - 2 > maxScanString) return -1;
    } else if (c === 0x74) i = word(buf, i, e, 'true');
    else if (c === 0x66) i = word(buf, i, e, 'false');
    else if (c === 0x6e) i = word(buf, i, e, 'null');
    else i = number(buf, i, e);
    if (i < 0) return -1;
    i = skipWs(buf, i, e);
    if (i >= e) return -1;
    if (buf[i] === CLOSE) return i + 1;
    if (buf[i] !== COMMA) return -1;
    i = skipWs(buf, i + 1, e);
  }
}

/** Which record key the bytes s..e-1 (without quotes) name, or 0. */
function keyOf(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  const c = buf[s];
  if (len === 2) {
    if (c === 0x69 && buf[s + 1] === 0x64) return K_ID;
    if (c === 0x74 && buf[s + 1] === 0x6f) return K_TO;
    return 0;
  }
  if (len === 4) {
    if (word(buf, s, e, 'type') > 0) return K_TYPE;
    if (word(buf, s, e, 'name') > 0) return K_NAME;
    if (word(buf, s, e, 'from') > 0) return K_FROM;
    return 0;
  }
  if (len === 9) return word(buf, s, e, 'protected') > 0 ? K_PROTECTED : 0;
  if (len === 10) return word(buf, s, e, 'attributes') > 0 ? K_ATTRIBUTES : 0;
  return 0;
}

/** Scans bytes s..e-1 as one record; returns the set of keys seen, or -1 when the line is not a plain record. */
function scan(buf: Uint8Array, s: number, e: number): number {
  let i = skipWs(buf, s, e);
  if (i >= e || buf[i] !== OPEN) return -1;
  i = skipWs(buf, i + 1, e);
  let keys = 0;
  eName = -1;
  eAttr = -1;
  isProtected = false;
  for (;;) {
    if (i >= e || buf[i] !== QUOTE) return -1;
    const ke = plainString(buf, i, e);
    if (ke < 0) return -1;
    const key = keyOf(buf, i + 1, ke - 1);
    if (key === 0 || (keys & key) !== 0) return -1;
    keys |= key;
    i = skipWs(buf, ke, e);
    if (i >= e || buf[i] !== COLON) return -1;
    i = skipWs(buf, i + 1, e);
    if (i >= e) return -1;
    if (key === K_PROTECTED) {
      let j = word(buf, i, e, 'true');
      if (j > 0) isProtected = true;
      else j = word(buf, i, e, 'false');
      if (j < 0) return -1;
      i = j;
    } else if (key === K_ATTRIBUTES) {
      if (buf[i] !== OPEN) return -1;
      const j = flatObject(buf, i, e);
      if (j < 0) return -1;
      if (!emptyObject) {
        sAttr = i;
        eAttr = j;
      }
      i = j;
    } else {
      if (buf[i] !== QUOTE) return -1;
      const j = plainString(buf, i, e);
      if (j < 0 || j - i < 3 || j - i - 2 > maxScanString) return -1; // strings must be non-empty (an empty name goes the general way too)
      const vs = i + 1;
      const ve = j - 1;
      if (key === K_ID) {
        sId = vs;
        eId = ve;
      } else if (key === K_TYPE) {
        sType = vs;
        eType = ve;
      } else if (key === K_NAME) {
        sName = vs;
        eName = ve;
      } else if (key === K_FROM) {
        sFrom = vs;
        eFrom = ve;
      } else {
        sTo = vs;
        eTo = ve;
      }
      i = j;
    }
    i = skipWs(buf, i, e);
    if (i >= e) return -1;
    if (buf[i] === CLOSE) break;
    if (buf[i] !== COMMA) return -1;
    i = skipWs(buf, i + 1, e);
  }
  return skipWs(buf, i + 1, e) === e ? keys : -1;
}

const RELATION = K_FROM | K_TYPE | K_TO;

/** addRecordFast's answer when it declines a line. */
export const DECLINED = -1;
/** addRecordFast's answer when it added a relation. */
export const RELATION_ADDED = -2;

/**
 * Adds the record on bytes s..e-1 of `buf` (one NDJSON line, without its newline) to `builder` when it is a plain
 * entity or relation that the builder takes without complaint, and returns the new entity's index (≥ 0) or
 * RELATION_ADDED. Returns DECLINED, having changed nothing, otherwise: the caller then handles the line in full
 * (JSON.parse, validation, located messages). `tag` goes with relations (e.g. the line, for dangling reports).
 * `only` declines records of the other kind.
 */
export function addRecordFast(builder: GraphBuilder, buf: Uint8Array, s: number, e: number, tag?: number, only?: 'entity' | 'relation'): number {
  const keys = scan(buf, s, e);
  if (keys < 0) return DECLINED;
  // Snapshot JSON keeps entities and relations in arrays of their own: a record in the wrong one goes the general way.
  if (only !== undefined && (keys === RELATION) !== (only === 'relation')) return DECLINED;
  if (keys === RELATION) {
    const code = builder.relationTypeCode(buf, sType, eType);
    if (code < 0) return DECLINED;
    builder.addRelationBytes(buf, sFrom, eFrom, code, sTo, eTo, tag);
    return RELATION_ADDED;
  }
  if ((keys & (K_ID | K_TYPE)) !== (K_ID | K_TYPE) || (keys & (K_FROM | K_TO)) !== 0) return DECLINED;
  if (builder.schema.types !== undefined) {
    const type = Buffer.from(buf.buffer, buf.byteOffset + sType, eType - sType).toString('latin1');
    if (builder.unknownType(type)) return DECLINED;
  }
  // A duplicate ID changes nothing and is declined (the general path reports it).
  const ix = builder.addEntityBytes(buf, sId, eId, sType, eType, sName, eName, isProtected, sAttr, eAttr);
  return ix >= 0 ? ix : DECLINED;
}

// The same fast path split in two for the parallel reader (ndjson-parallel.ts): a worker thread scans each line
// (`scanRecord`, with the IdTable hashes of its IDs) into a row of integers, and the main thread adds the row to the
// builder (`addScannedRecord`). The scan is the one above, so both paths accept and decline the same lines.

/** Integers per scanned line. */
export const SCAN_STRIDE = 13;
/** Row kinds (field 0). */
export const SCAN_DECLINED = 0;
export const SCAN_RELATION = 1;
export const SCAN_ENTITY = 2;
export const SCAN_PROTECTED_ENTITY = 3;
// Fields: 0 kind, 1 line number minus the batch's first, 2..3 the line's bytes (s, e). A relation: 4..6 from (s, e,
// hash), 7..8 type, 9..11 to (s, e, hash), 12 the type's number (see typeIdOf; -1 for none). An entity: 4..6 id (s, e, hash), 7..8 type, 9..10 name (e = -1 when
// absent), 11..12 attributes (e = -1 when absent or empty).

/**
 * Flags on a relation row's kind: its `from` is the same ID as the previous relation row's `from`; its `to` is the
 * same ID as the `to` of the last relation row with the same type. Both look back only within the row's own chunk
 * (the bytes compared are in one buffer: call scanChunkStart before each); the main thread then takes the index it has, without hashing or comparing
 * bytes in memory this thread wrote. Records of one entity come in runs, so this is most relations.
 */
export const SAME_FROM = 4;
export const SAME_TO = 8;
export const SCAN_KIND = 3;
/** Flag set by the reader thread on a snapshot JSON record line that ended with a comma (stripped before the scan). */
export const COMMA_AFTER = 16;

// Look-back of scanRecord within the current chunk: the previous relation's `from`, the last `to` per type.
let prevFromS = 0,
  prevFromE = -1;
let chunkNo = 1;

/** Starts a new chunk for scanRecord: what it looks back at must be in the buffer it scans next. */
export function scanChunkStart(): void {
  prevFromE = -1;
  chunkNo++;
}

// Relation types get small numbers (the first MAX_TYPE_IDS distinct ones, by their bytes, for the life of this
// module), sent with each relation row: the main thread maps them to codes once, and keeps the last `to` by them.
const MAX_TYPE_IDS = 64;
const typeBytes: Uint8Array[] = [];
let lastType = 0;
const lastToS = new Int32Array(MAX_TYPE_IDS);
const lastToE = new Int32Array(MAX_TYPE_IDS);
const lastToChunk = new Int32Array(MAX_TYPE_IDS);

const same = (buf: Uint8Array, a: number, ae: number, b: number, be: number): boolean => {
  if (ae - a !== be - b) return false;
  // From the end: IDs in a run share their prefix and differ, if at all, near the end.
  for (let i = ae - a - 1; i >= 0; i--) if (buf[a + i] !== buf[b + i]) return false;
  return true;
};

const isType = (t: Uint8Array, buf: Uint8Array, s: number, e: number): boolean => {
  if (t.length !== e - s) return false;
  for (let i = 0; i < t.length; i++) if (t[i] !== buf[s + i]) return false;
  return true;
};

/** The number of the relation type on bytes s..e-1, or -1 once MAX_TYPE_IDS others have been numbered. */
function typeIdOf(buf: Uint8Array, s: number, e: number): number {
  // Types come in runs: the last one first.
  if (lastType < typeBytes.length && isType(typeBytes[lastType], buf, s, e)) return lastType;
  for (let t = 0; t < typeBytes.length; t++) if (isType(typeBytes[t], buf, s, e)) return (lastType = t);
  if (typeBytes.length === MAX_TYPE_IDS) return -1;
  typeBytes.push(new Uint8Array(buf.subarray(s, e))); // a copy: the chunk's buffer goes to the main thread
  return (lastType = typeBytes.length - 1);
}

/** Scans bytes s..e-1 (one line) into `out` at `o`: kind, spans and hashes (the line-number field is the caller's). */
export function scanRecord(buf: Uint8Array, s: number, e: number, out: Int32Array, o: number): void {
  const keys = scan(buf, s, e);
  out[o + 2] = s;
  out[o + 3] = e;
  if (keys === RELATION) {
    let kind = SCAN_RELATION;
    if (prevFromE >= 0 && same(buf, prevFromS, prevFromE, sFrom, eFrom)) kind |= SAME_FROM;
    prevFromS = sFrom;
    prevFromE = eFrom;
    const t = typeIdOf(buf, sType, eType);
    if (t >= 0) {
      if (lastToChunk[t] === chunkNo && same(buf, lastToS[t], lastToE[t], sTo, eTo)) kind |= SAME_TO;
      lastToChunk[t] = chunkNo;
      lastToS[t] = sTo;
      lastToE[t] = eTo;
    }
    out[o + 12] = t;
    out[o] = kind;
    out[o + 4] = sFrom;
    out[o + 5] = eFrom;
    out[o + 6] = hashBytes(buf, sFrom, eFrom);
    out[o + 7] = sType;
    out[o + 8] = eType;
    out[o + 9] = sTo;
    out[o + 10] = eTo;
    out[o + 11] = hashBytes(buf, sTo, eTo);
    return;
  }
  if (keys < 0 || (keys & (K_ID | K_TYPE)) !== (K_ID | K_TYPE) || (keys & (K_FROM | K_TO)) !== 0) {
    out[o] = SCAN_DECLINED;
    return;
  }
  out[o] = isProtected ? SCAN_PROTECTED_ENTITY : SCAN_ENTITY;
  out[o + 4] = sId;
  out[o + 5] = eId;
  out[o + 6] = hashBytes(buf, sId, eId);
  out[o + 7] = sType;
  out[o + 8] = eType;
  out[o + 9] = sName;
  out[o + 10] = eName;
  out[o + 11] = sAttr;
  out[o + 12] = eAttr;
}

/** Room for the relation-type codes of one reader's type numbers (see addScannedRecord). */
export const newTypeCodes = (): Int32Array => new Int32Array(MAX_TYPE_IDS);

/**
 * addRecordFast for a line already scanned into `rows` at `o` (by scanRecord on the same bytes): the same answers.
 * `typeCodes` (from newTypeCodes, one per builder and reader thread) remembers the code of each type number.
 */
export function addScannedRecord(builder: GraphBuilder, buf: Uint8Array, rows: Int32Array, o: number, typeCodes: Int32Array, tag?: number): number {
  const flags = rows[o];
  const kind = flags & SCAN_KIND;
  if (kind === SCAN_DECLINED) return DECLINED;
  if (kind === SCAN_RELATION) {
    const t = rows[o + 12];
    // typeCodes holds code + 1; 0 until known (and for a type the schema lacks: those lines are declined anyway).
    let code = t >= 0 ? typeCodes[t] - 1 : -1;
    if (code < 0) {
      code = builder.relationTypeCode(buf, rows[o + 7], rows[o + 8]);
      if (t >= 0) typeCodes[t] = code + 1;
    }
    if (code < 0) {
      builder.addRelationBytesHashed(buf, 0, 0, 0, false, -1, 0, 0, 0, false); // only forgets the previous `from`
      return DECLINED;
    }
    builder.addRelationBytesHashed(
      buf,
      rows[o + 4],
      rows[o + 5],
      rows[o + 6],
      (flags & SAME_FROM) !== 0,
      code,
      rows[o + 9],
      rows[o + 10],
      rows[o + 11],
      (flags & SAME_TO) !== 0,
      tag,
    );
    return RELATION_ADDED;
  }
  const sT = rows[o + 7];
  const eT = rows[o + 8];
  if (builder.schema.types !== undefined) {
    const type = Buffer.from(buf.buffer, buf.byteOffset + sT, eT - sT).toString('latin1');
    if (builder.unknownType(type)) return DECLINED;
  }
  const ix = builder.addEntityBytes(
    buf,
    rows[o + 4],
    rows[o + 5],
    sT,
    eT,
    rows[o + 9],
    rows[o + 10],
    kind === SCAN_PROTECTED_ENTITY,
    rows[o + 11],
    rows[o + 12],
    rows[o + 6],
  );
  return ix >= 0 ? ix : DECLINED;
}
