// Loads a graph file named on the command line (`--graph`): a snapshot as JSON or native NDJSON (plain or .gz), or
// graphology's serialized JSON with the schema in its `schema` graph attribute. All are read as streams, but for a
// small snapshot JSON, read whole (readers/open.ts smallInput).
import { InputError } from '../model/errors.js';
import type { Schema } from '../model/types.js';
import { isIoError, type IngestResult } from './ingest.js';
import { displayPath, formatOfName } from './mapping.js';
import { ReaderThreadUnavailable, readerThreadForced, useReaderThread } from './ndjson-parallel.js';
import { checkInput, fileError, fileSize, newProgress, openInput, smallInput, type Progress } from './readers/open.js';
import { countByType, IngestSink } from './sink.js';
import { feedJsonGraph, feedNdjsonSnapshot } from './snapshot-stream.js';
import { feedCanonicalJson } from './snapshot-json-fast.js';

export interface LoadOptions {
  allowDangling?: boolean;
  progress?: Progress;
}

/** Whether a file name means the native NDJSON snapshot. */
export function isNdjsonName(file: string): boolean {
  return formatOfName(file) === 'ndjson';
}

/** A snapshot as native NDJSON (`.ndjson`, plain or .gz). */
export function loadNdjsonGraphFile(file: string, options: LoadOptions = {}): Promise<IngestResult> {
  return loadWith(file, options, async (shown, bytes, progress, makeSink) => {
    // Large files are read, split and scanned on a second thread (ndjson-parallel.ts); the result is the same.
    const opts = { makeSink, source: shown, progress };
    if (useReaderThread(bytes)) {
      checkInput(file, { shown });
      try {
        return await feedNdjsonSnapshot({ readerThread: file }, shown, opts);
      } catch (err) {
        if (!(err instanceof ReaderThreadUnavailable) || readerThreadForced()) throw err;
        return await feedNdjsonSnapshot(openInput(file, progress, { shown }), shown, opts); // nothing was read: one thread
      }
    }
    return await feedNdjsonSnapshot(openInput(file, progress, { shown }), shown, opts);
  });
}

/** A snapshot as JSON, or graphology's serialized JSON (plain or .gz). */
export function loadJsonGraphFile(file: string, options: LoadOptions = {}): Promise<IngestResult> {
  return loadWith(file, options, async (shown, bytes, progress, makeSink) => {
    // Snapshot JSON as ingest and generate write it takes the byte-level fast path; anything else is read again
    // from the start by the general reader (which names file, line and field of any problem).
    const fastOpts = { makeSink, source: shown, progress };
    let fast: IngestSink | undefined;
    if (useReaderThread(bytes)) {
      checkInput(file, { shown });
      try {
        fast = await feedCanonicalJson({ readerThread: file }, shown, fastOpts);
      } catch (err) {
        if (!(err instanceof ReaderThreadUnavailable) || readerThreadForced()) throw err;
        fast = await feedCanonicalJson(openInput(file, progress, { shown }), shown, fastOpts); // nothing was read: one thread
      }
    } else fast = await feedCanonicalJson(smallInput(file, bytes, progress, { shown }) ?? openInput(file, progress, { shown }), shown, fastOpts);
    if (fast) return fast;
    progress.records = 0;
    progress.bytes = 0;
    return await feedJsonGraph(openInput(file, progress, { shown }), shown, { makeSink, source: shown, progress });
  });
}

type Feed = (shown: string, bytes: number, progress: Progress, makeSink: (schema: Schema) => IngestSink) => Promise<IngestSink>;

/** What every graph file shares: its size for the progress display, I/O errors named by file, counts and timing. */
async function loadWith(file: string, options: LoadOptions, feed: Feed): Promise<IngestResult> {
  // (process.hrtime, not performance.now(): the perf_hooks module costs ~2 ms of a plan's start-up)
  const started = process.hrtime.bigint();
  const shown = displayPath(file);
  const progress = options.progress ?? newProgress();
  const bytes = fileSize(file);
  progress.totalBytes = bytes;
  let sink: IngestSink;
  const makeSink = (schema: Schema) => new IngestSink(schema);
  try {
    sink = await feed(shown, bytes, progress, makeSink);
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (isIoError(err)) throw fileError(shown, err);
    throw err;
  }
  const { graph, droppedDangling } = sink.finish(options.allowDangling ?? false);
  return {
    graph,
    stats: {
      files: 1,
      records: progress.records,
      bytes,
      entities: graph.size,
      relations: graph.relationCount,
      ...countByType(graph),
      droppedDangling,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    },
  };
}
