// A graph as the CSV files `neo4j-admin database import full` reads: one node file per entity type, one
// relationship file per relation type, the schema node in a file of its own, each with a separate header file, and
// the exact command that imports them. The nodes and relationships are the ones a load (write.ts) creates, so every
// reader (read.ts, the push-down) sees the same graph: `:BlastguardEntity` plus the type's label, string `id`,
// `type`, `name`, `protected` (only when true), `attributes` (JSON text); relationships of the
// relation's type from the dependent to what it depends on; one `(:BlastguardSchema {key: 'schema'})` with `json`.
import { createWriteStream, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { InputError } from '../../model/errors.js';
import type { GraphIndex } from '../compact.js';
import { checkWritableNames, ENTITY_LABEL, SCHEMA_LABEL } from './names.js';
import { schemaJsonText, SCHEMA_KEY } from './schema.js';
import { CONSTRAINTS } from './write.js';
import { mergeSchemas } from './schema.js';

export interface ImportOptions {
  /** Named in error messages (the snapshot file). */
  source?: string;
  /** The database the printed command imports into (default `neo4j`). */
  database?: string;
  /** Called after each file is written. */
  onFile?: (file: string) => void;
}

export interface ImportStats {
  dir: string;
  entities: number;
  relations: number;
  files: number;
  bytes: number;
  seconds: number;
  /** The import command's arguments after `neo4j-admin` (for running it: `database import full …`). */
  args: string[];
  /** The command as one shell line. */
  command: string;
  /** Cypher to run once the imported database is started (the import tool creates no constraints). */
  constraintsFile: string;
}

/** The ID spaces: entity IDs and the schema key never collide, whatever an entity is called. */
const ENTITY_SPACE = ENTITY_LABEL;
const SCHEMA_SPACE = SCHEMA_LABEL;

/** A CSV field: always quoted (a doubled quote inside), so commas, quotes and line breaks are data. */
function field(s: string): string {
  return '"' + s.replace(/"/g, '""') + '"';
}

/** A string value, or an empty unquoted field for "no property" (the import tool sets nothing for it). */
const value = (s: string | null | undefined): string => (s === null || s === undefined ? '' : field(s));

/** Writes CSV text to a file in large chunks, waiting for the stream to drain, so memory stays bounded. */
class CsvFile {
  private readonly out;
  private buf: string[] = [];
  private size = 0;
  bytes = 0;
  multiline = false;
  private failed: Error | null = null;

  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    this.out.on('error', (err) => (this.failed = err));
  }

  async line(fields: string[]): Promise<void> {
    const text = fields.join(',') + '\n';
    if (!this.multiline && /[\r\n]/.test(text.slice(0, -1))) this.multiline = true;
    this.buf.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    this.bytes += Buffer.byteLength(chunk);
    // events.once removes its listeners either way (and rejects on 'error').
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((r, j) => {
      this.out.once('error', j);
      this.out.end(r);
    });
    if (this.failed) throw this.failed;
  }
}

/** A name for a shell command line: single-quoted unless plainly safe. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./=:,@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes the import files of `g` into `dir` (created; it must be empty or hold only files of an earlier run of this,
 * which are replaced) and returns the command that imports them.
 */
export async function writeImportFiles(g: GraphIndex, dir: string, options: ImportOptions = {}): Promise<ImportStats> {
  const started = performance.now();
  checkWritableNames(g, options.source);
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const foreign = readdirSync(abs).filter(
    (f) => !/^(schema|entities-\d+-[A-Za-z0-9_-]+|relations-\d+-[A-Za-z0-9_-]+)(\.header)?\.csv$|^constraints\.cypher$/.test(f),
  );
  if (foreign.length) {
    throw new InputError({
      file: dir,
      field: '--out',
      message: `the import directory holds other files (${foreign.slice(0, 3).join(', ')}); give an empty or new directory`,
    });
  }
  for (const f of readdirSync(abs)) unlinkSync(join(abs, f)); // only this graph's files: none of an earlier run stays

  const nodeArgs: string[] = [];
  const relArgs: string[] = [];
  let bytes = 0;
  let files = 0;
  let multiline = false;
  const header = (name: string, columns: string[]) => {
    const path = join(abs, `${name}.header.csv`);
    const text = columns.join(',') + '\n';
    writeFileSync(path, text);
    bytes += text.length;
    files++;
    return path;
  };
  /** Closes a data file; an empty one (a relation type no relation has) is removed and left out of the command. */
  const finish = async (f: CsvFile): Promise<boolean> => {
    await f.close();
    if (f.bytes === 0) {
      unlinkSync(f.path);
      return false;
    }
    bytes += f.bytes;
    files++;
    multiline ||= f.multiline;
    options.onFile?.(f.path);
    return true;
  };

  // The schema node, complete (no loading marker): the import is all or nothing.
  const schema = mergeSchemas(null, g.schema, g.typeNames, options.source ?? dir);
  const schemaHeader = header('schema', [`key:ID(${SCHEMA_SPACE})`, 'json', ':LABEL']);
  const schemaFile = new CsvFile(join(abs, 'schema.csv'));
  await schemaFile.line([field(SCHEMA_KEY), field(schemaJsonText(schema)), field(SCHEMA_LABEL)]);
  await finish(schemaFile);
  nodeArgs.push(`--nodes=${schemaHeader},${schemaFile.path}`);

  // Entities, one file per type: the labels are a column, so no type name is ever part of the command line.
  const entityFiles = g.typeNames.map((t, code) => new CsvFile(join(abs, `entities-${code}-${t}.csv`)));
  // No load stamp, as on the fast path (fast-write.ts): a later load counts what it does not write either way.
  const entityColumns = [`id:ID(${ENTITY_SPACE})`, 'type', 'name', 'protected:boolean', 'attributes', ':LABEL'];
  const labels = g.typeNames.map((t) => field(`${ENTITY_LABEL};${t}`));
  const typeField = g.typeNames.map(field);
  for (let i = 0; i < g.size; i++) {
    const code = g.typeCodes[i];
    const attrs = g.attributesOf(i);
    await entityFiles[code].line([
      field(g.idOf(i)),
      typeField[code],
      value(g.nameOf(i)),
      g.isProtected(i) ? 'true' : '',
      value(attrs && Object.keys(attrs).length ? JSON.stringify(attrs) : null),
      labels[code],
    ]);
  }
  for (const [code, f] of entityFiles.entries()) {
    if (!(await finish(f))) continue;
    nodeArgs.push(`--nodes=${header(`entities-${code}-${g.typeNames[code]}`, entityColumns)},${f.path}`);
  }

  // Relations, one file per type; Neo4j keeps one relationship per (from, type, to), as a load does.
  const relationFiles = g.relationTypeNames.map((t, code) => new CsvFile(join(abs, `relations-${code}-${t}.csv`)));
  const relationColumns = [`:START_ID(${ENTITY_SPACE})`, `:END_ID(${ENTITY_SPACE})`, ':TYPE'];
  const relType = g.relationTypeNames.map(field);
  const { offsets, nodes, types } = g.outgoing;
  const width = g.relationTypeNames.length;
  const seen = new Set<number>();
  let relations = 0;
  for (let i = 0; i < g.size; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    if (end - start > 1) seen.clear();
    const from = field(g.idOf(i));
    for (let e = start; e < end; e++) {
      const code = types[e];
      if (end - start > 1) {
        const key = nodes[e] * width + code;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      await relationFiles[code].line([from, field(g.idOf(nodes[e])), relType[code]]);
      relations++;
    }
  }
  for (const [code, f] of relationFiles.entries()) {
    if (!(await finish(f))) continue;
    relArgs.push(`--relationships=${header(`relations-${code}-${g.relationTypeNames[code]}`, relationColumns)},${f.path}`);
  }

  const constraintsFile = join(abs, 'constraints.cypher');
  writeFileSync(constraintsFile, CONSTRAINTS.map((c) => `${c};\n`).join(''));

  const args = [
    'database',
    'import',
    'full',
    // The database first: the --nodes and --relationships options take several values and would swallow it.
    options.database ?? 'neo4j',
    '--overwrite-destination=true',
    '--id-type=string',
    '--delimiter=,',
    '--array-delimiter=;',
    '--quote="',
    // Only when some value holds a line break: the tool reads such files more slowly.
    ...(multiline ? ['--multiline-fields=true'] : []),
    ...nodeArgs,
    ...relArgs,
  ];
  return {
    dir: abs,
    entities: g.size,
    relations,
    files,
    bytes,
    seconds: (performance.now() - started) / 1000,
    args,
    command: ['neo4j-admin', ...args].map(shellWord).join(' '),
    constraintsFile,
  };
}
