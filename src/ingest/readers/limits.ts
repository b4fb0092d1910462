// The caps every streaming reader holds a record to: a graph file may be as large as memory allows, but one record
// (an NDJSON line, a CSV record, an element of a JSON array), one string and one nesting of objects may not, so that a
// hostile or broken file fails at once with its line instead of exhausting memory or overflowing the stack later.
import { UsageError } from '../../model/errors.js';

/** Default cap on one record, in MiB (BLASTGUARD_MAX_RECORD_MIB raises it). */
export const DEFAULT_MAX_RECORD_MIB = 64;
/** Default cap on one string value or key, in MiB (BLASTGUARD_MAX_STRING_MIB raises it). */
export const DEFAULT_MAX_STRING_MIB = 16;
/**
 * Objects and arrays nested inside each other in one record, the record itself included. Fixed: no real export nests
 * this deep, and every later step (validation, fingerprints, output) recurses over attribute values.
 */
export const MAX_DEPTH = 100;

export interface ReadLimits {
  /** Bytes (NDJSON, CSV) or characters (JSON) of one record. */
  maxRecord: number;
  /** Characters of one string (a value or a key). */
  maxString: number;
  maxDepth: number;
  /** The same as text for messages: "64 MiB". */
  recordText: string;
  stringText: string;
}

const MIB = 1 << 20;

function mib(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  // Up to 512 MiB: a longer record could not be one JavaScript string (V8's limit is 2^29 - 24 characters).
  if (!Number.isFinite(v) || v <= 0 || v > 512)
    throw new UsageError(`${name} must be a number of MiB greater than 0 and at most 512, not ${JSON.stringify(raw)}`);
  return v;
}

const text = (n: number) => `${n} MiB`;

/** The caps in force (read from the environment each time a file is opened, so a test or a caller can change them). */
export function readLimits(): ReadLimits {
  const record = mib('BLASTGUARD_MAX_RECORD_MIB', DEFAULT_MAX_RECORD_MIB);
  const string = mib('BLASTGUARD_MAX_STRING_MIB', DEFAULT_MAX_STRING_MIB);
  return {
    maxRecord: Math.floor(record * MIB),
    maxString: Math.floor(string * MIB),
    maxDepth: MAX_DEPTH,
    recordText: text(record),
    stringText: text(string),
  };
}

/** The message of a record past the cap; `what` is "line", "record" or "value that starts on this line". */
export function recordTooLong(limits: ReadLimits, what: string): string {
  return `the ${what} is longer than ${limits.recordText}, the limit for one record (set BLASTGUARD_MAX_RECORD_MIB to raise it)`;
}

export function stringTooLong(limits: ReadLimits): string {
  return `a string longer than ${limits.stringText}, the limit for one value (set BLASTGUARD_MAX_STRING_MIB to raise it)`;
}

export function tooDeep(limits: ReadLimits): string {
  return `objects and arrays nested more than ${limits.maxDepth} deep (the limit for one record)`;
}
