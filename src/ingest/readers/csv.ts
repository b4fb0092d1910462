// Streams CSV (RFC 4180: quoted fields, doubled quotes, embedded newlines, CRLF, a BOM) through csv-parse, handing over
// each record as an array of strings with the line it starts on. A record is held to the record limit (csv-parse's
// max_record_size, checked as it reads, so a record of gigabytes fails at the limit) and a field to the string limit.
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CsvError } from 'csv-parse';
import { csvParse } from '../../model/lazy.js';
import { InputError } from '../../model/errors.js';
import { readLimits, recordTooLong, stringTooLong, type ReadLimits } from './limits.js';

/** Called with each record (the header included, as record 0); return false to stop. */
export type CsvRowHandler = (row: string[], line: number, index: number) => boolean | void;

const MESSAGES: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field is followed by more text before the next delimiter (a stray or unescaped quote?)',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (is the file truncated, or a quote not doubled?)',
  INVALID_OPENING_QUOTE: 'a quote in the middle of an unquoted field (quote the whole field and double the quotes inside)',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted field is followed by more text before the next delimiter',
};

class Stop extends Error {}

/**
 * Counts `\n` in the fields of a record (they are inside quoted fields), so the next record's line is known; -1 when
 * a field is longer than `maxString`.
 */
function newlinesIn(row: string[], maxString: number): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) {
    const f = row[i];
    if (f.length > maxString) return -1;
    if (f.length > 0) for (let p = f.indexOf('\n'); p >= 0; p = f.indexOf('\n', p + 1)) n++;
  }
  return n;
}

/** csv-parse's parser core, which its stream wraps; driving it directly avoids a context object per record. */
interface ParserCore {
  parse(buf: Buffer | undefined, end: boolean, push: (row: string[]) => void, close: () => void): Error | undefined;
  info: { empty_lines: number };
}

function csvProblem(err: unknown, file: string, line: number, limits: ReadLimits): unknown {
  const e = err as CsvError;
  if (e?.code === 'CSV_MAX_RECORD_SIZE') return new InputError({ file, line, message: recordTooLong(limits, 'record') });
  if ((typeof e?.code === 'string' && e.code.startsWith('CSV_')) || e?.code === 'INVALID_OPENING_QUOTE') {
    const message = MESSAGES[e.code] ?? e.message.replace(/ at line \d+/, '').replace(/^\w/, (c) => c.toLowerCase());
    return new InputError({ file, line, message: `not valid CSV: ${message}` });
  }
  return err;
}

export async function forEachCsvRow(input: Readable, file: string, delimiter: string, onRow: CsvRowHandler): Promise<{ records: number }> {
  // csv-parse counts a quoted CRLF as two lines, so lines are counted here: a record starts on the line after the
  // previous one ended, plus the blank lines skipped in between.
  let nextStart = 1;
  let emptySeen = 0;
  let index = 0;
  const limits = readLimits();
  const options = { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, max_record_size: limits.maxRecord };
  const parser = csvParse().parse(options);
  const core = (parser as unknown as { api?: ParserCore }).api;
  if (!core || typeof core.parse !== 'function') return forEachCsvRowStream(input, file, delimiter, onRow, limits);
  let stopped = false;
  let thrown: unknown;
  const push = (row: string[]) => {
    if (stopped) return;
    const start = nextStart + (core.info.empty_lines - emptySeen);
    emptySeen = core.info.empty_lines;
    const newlines = newlinesIn(row, limits.maxString);
    if (newlines < 0) {
      thrown = new InputError({ file, line: start, message: stringTooLong(limits) });
      stopped = true;
      return;
    }
    nextStart = start + newlines + 1;
    try {
      if (onRow(row, start, index++) === false) stopped = true;
    } catch (err) {
      thrown = err;
      stopped = true;
    }
  };
  const close = () => {};
  const check = (err: Error | undefined) => {
    if (thrown !== undefined) throw thrown;
    if (err) throw csvProblem(err, file, nextStart + (core.info.empty_lines - emptySeen), limits);
  };
  for await (const chunk of input) {
    check(core.parse(chunk as Buffer, false, push, close));
    if (stopped) {
      input.destroy();
      return { records: index };
    }
  }
  check(core.parse(undefined, true, push, close));
  return { records: index };
}

/** The same through csv-parse's stream interface (used if its parser core is not reachable). */
async function forEachCsvRowStream(input: Readable, file: string, delimiter: string, onRow: CsvRowHandler, limits: ReadLimits): Promise<{ records: number }> {
  let nextStart = 1;
  let emptySeen = 0;
  let index = 0;
  const parser = csvParse().parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: limits.maxRecord,
    on_record: (row: string[], ctx) => {
      const start = nextStart + (ctx.empty_lines - emptySeen);
      emptySeen = ctx.empty_lines;
      const newlines = newlinesIn(row, limits.maxString);
      if (newlines < 0) throw new InputError({ file, line: start, message: stringTooLong(limits) });
      nextStart = start + newlines + 1;
      if (onRow(row, start, index++) === false) throw new Stop();
      return undefined;
    },
  });
  const sink = new Writable({
    objectMode: true,
    write(_chunk, _enc, done) {
      done();
    },
  });
  try {
    await pipeline(input, parser, sink);
  } catch (err) {
    if (err instanceof Stop || (err as { cause?: unknown }).cause instanceof Stop) return { records: index };
    const cause = (err as { cause?: unknown }).cause;
    if (err instanceof InputError || cause instanceof InputError) throw err instanceof InputError ? err : cause;
    throw csvProblem(err, file, nextStart + Math.max(0, (parser.info?.empty_lines ?? emptySeen) - emptySeen), limits);
  }
  return { records: index };
}
