// Terminal concerns: where output goes, atomic file writes, exit codes, loading inputs named on the command line.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../model/errors.js';
import { loadSnapshotFile } from '../ingest/snapshot.js';
import type { CompactGraph } from '../store/compact.js';
import type { Neo4jTarget } from '../store/neo4j/connect.js';
import { isNeo4jUri } from '../store/neo4j/names.js';

export const EXIT = { pass: 0, violations: 1, input: 2, internal: 3 } as const;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout takes colour. */
  color: boolean;
}

/** Writes `text` to `file` through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(file: string, text: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    if (typeof text === 'string') writeSync(fd, text);
    else writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing was written */
    }
    throw new InputError({ file, message: `cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
}

/** Loads the graph named by --graph: a snapshot file, or a Neo4j database (bolt://…, neo4j://…) read into memory. */
export async function loadGraphArg(source: string, opts: { neo4jUser?: string } = {}): Promise<CompactGraph> {
  if (isNeo4jUri(source)) {
    // Loaded on demand: commands on files do not pay for the driver.
    const [{ withNeo4j }, { readGraph }] = await Promise.all([import('../store/neo4j/connect.js'), import('../store/neo4j/read.js')]);
    return withNeo4j(neo4jTarget(source, opts), 'reading the graph', (conn) => readGraph(conn));
  }
  return loadSnapshotFile(source);
}

/** Where and as whom to connect: the user from --neo4j-user (default neo4j), the password only from NEO4J_PASSWORD. */
export function neo4jTarget(uri: string, opts: { neo4jUser?: string }): Neo4jTarget {
  const password = process.env.NEO4J_PASSWORD;
  return { uri, user: opts.neo4jUser ?? 'neo4j', password: password === '' ? undefined : password };
}
