// Loads a binary graph file (.bgraph, src/store/binary/) named by --graph: recognised by its name or by its magic
// number, read as a few large buffers, with the same counts and timing as any other graph file.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../model/errors.js';
import { hasMagic, isBinaryGraphName, MAGIC } from '../store/binary/format.js';
import { readBinaryGraph } from '../store/binary/read.js';
import { isIoError, type IngestResult } from './ingest.js';
import { displayPath } from './mapping.js';
import { fileError, newProgress, type Progress } from './readers/open.js';
import { countByType } from './sink.js';

/** Whether `file` is a binary graph file: by its name, or (whatever its name) by its first bytes. */
export function isBinaryGraphFile(file: string): boolean {
  if (isBinaryGraphName(file)) return true;
  let fd: number | undefined;
  try {
    // Only a regular file is sniffed: opening a FIFO would wait for a writer, and reading it would eat its first bytes.
    if (!statSync(file).isFile()) return false;
    fd = openSync(file, 'r');
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && hasMagic(head);
  } catch {
    return false; // the general reader reports a file it cannot open
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function loadBinaryGraphFile(file: string, options: { progress?: Progress } = {}): Promise<IngestResult & { fingerprint?: string }> {
  // (process.hrtime, not performance.now(): the perf_hooks module costs ~2 ms of a plan's start-up)
  const started = process.hrtime.bigint();
  const shown = displayPath(file);
  const progress = options.progress ?? newProgress();
  let loaded;
  try {
    loaded = await readBinaryGraph(file, shown, progress);
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (isIoError(err)) throw fileError(shown, err);
    throw err;
  }
  const { graph } = loaded;
  progress.records = graph.size + graph.relationCount;
  // The counts by type are a pass over every entity and relation that only ingest's summary prints: counted when
  // first read (the getters are enumerable, so a copy or JSON of the stats has them).
  let counts: ReturnType<typeof countByType> | undefined;
  return {
    graph,
    fingerprint: loaded.fingerprint,
    stats: {
      files: 1,
      records: graph.size + graph.relationCount,
      bytes: loaded.bytes,
      entities: graph.size,
      relations: graph.relationCount,
      get entitiesByType() {
        return (counts ??= countByType(graph)).entitiesByType;
      },
      get relationsByType() {
        return (counts ??= countByType(graph)).relationsByType;
      },
      droppedDangling: Object.create(null) as Record<string, number>,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    },
  };
}
