// Ingest: reads every source of a mapping as a stream and builds one graph, collecting every problem (at most 20
// listed) with its file, line and field. Nothing here writes files.
import { InputError } from '../model/errors.js';
import type { CompactGraph } from '../store/compact.js';
import { displayPath, formatOfName, loadMappingFile, type EntityRule, type Mapping, type RelationRule, type SourceSpec } from './mapping.js';
import { defaultNodeRule, defaultRelationshipRule, neo4jRecord, parseNeo4jHeader } from './neo4j.js';
import { forEachCsvRow } from './readers/csv.js';
import { checkedParse, parsedBigInts } from './readers/json-checks.js';
import { forEachJsonElement } from './readers/json-stream.js';
import { readLimits } from './readers/limits.js';
import { forEachLine } from './readers/lines.js';
import { fileError, fileSize, newProgress, openInput, type Progress } from './readers/open.js';
import { entityProcessor, objectShape, relationProcessor, rowShape, type RecordProcessor, type RecordShape } from './records.js';
import { countByType, IngestSink, type IngestStats } from './sink.js';
import { feedJsonGraph, feedNdjsonSnapshot } from './snapshot-stream.js';

export interface IngestOptions {
  /** Drop references to missing entities (counted per source) instead of failing. */
  allowDangling?: boolean;
  /** Counters for a progress display. */
  progress?: Progress;
}

export interface IngestResult {
  graph: CompactGraph;
  stats: IngestStats;
}

type FileFormat = 'json' | 'ndjson' | 'csv' | 'neo4j-csv' | 'json-graph' | 'ndjson-snapshot';

/** The reader a file needs: the source's format, or its name (self-describing when there is no entity/relation rule). */
export function fileFormat(spec: SourceSpec, file: string): FileFormat {
  const byName = formatOfName(file);
  const described = spec.entity !== undefined || spec.relation !== undefined;
  switch (spec.format) {
    case 'snapshot':
      return byName === 'ndjson' ? 'ndjson-snapshot' : 'json-graph';
    case 'graphology':
      return 'json-graph';
    case undefined:
      if (byName === 'csv') return described ? 'csv' : 'neo4j-csv';
      if (byName === 'ndjson') return described ? 'ndjson' : 'ndjson-snapshot';
      return described ? 'json' : 'json-graph';
    default:
      return spec.format;
  }
}

class Skip extends Error {}

/** An error of the file system or of gzip (as opposed to a bug). */
export function isIoError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code.startsWith('Z_'));
}

/** Reads one file of a source into the sink. Throws InputError for problems that stop reading the file. */
async function ingestFile(spec: SourceSpec, file: string, sink: IngestSink, progress: Progress | undefined): Promise<number> {
  const shown = displayPath(file);
  const format = fileFormat(spec, file);
  const input = openInput(file, progress, { shown, csv: format === 'csv' || format === 'neo4j-csv' });
  const ctx = { sink, file: shown, source: spec.label };
  let records = 0;
  const headerProblems = (problems: { field: string; message: string }[]) => {
    if (!problems.length) return;
    for (const p of problems) sink.problem({ file: shown, line: 1, field: p.field, message: p.message });
    throw new Skip();
  };
  const compile = (shape: RecordShape, entity: EntityRule | undefined, relation: RelationRule | undefined): RecordProcessor => {
    if (entity) {
      const { process, problems } = entityProcessor(entity, spec.references, shape, ctx);
      headerProblems(problems);
      return process;
    }
    const { process, problems } = relationProcessor(relation!, shape, ctx);
    headerProblems(problems);
    return process;
  };

  switch (format) {
    case 'ndjson-snapshot': {
      await feedNdjsonSnapshot(input, shown, { sink, source: spec.label, progress });
      return 1;
    }
    case 'json-graph': {
      await feedJsonGraph(input, shown, { sink, source: spec.label, progress });
      return 1;
    }
    case 'ndjson': {
      const process = compile(objectShape, spec.entity, spec.relation);
      const limits = readLimits();
      let fatal: InputError | undefined;
      await forEachLine(
        input,
        (line, no) => {
          let o: unknown;
          try {
            // Exact: an ID exported as a number beyond 2^53 keeps its digits.
            o = checkedParse(line, shown, no, limits, true);
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            fatal = err;
            return false;
          }
          records++;
          if (progress) progress.records++;
          if (o === null || typeof o !== 'object' || Array.isArray(o)) sink.problem({ file: shown, line: no, message: 'a line must be a JSON object' });
          else process(o, no, parsedBigInts());
        },
        { file: shown, maxLine: limits.maxRecord },
      );
      if (fatal) throw fatal;
      return records;
    }
    case 'json': {
      const process = compile(objectShape, spec.entity, spec.relation);
      const path = spec.path;
      const keys: string[] = [];
      // Exact: an ID exported as a number beyond 2^53 keeps its digits.
      await forEachJsonElement(
        input,
        shown,
        (key, value, line, _index, whole, big) => {
          if (key !== path) {
            if (key === undefined) {
              throw new InputError({ file: shown, line, message: `the file is an array, but the mapping says the records are under "${path}"` });
            }
            if (!whole) keys.push(key);
            return;
          }
          if (whole) throw new InputError({ file: shown, line, field: key, message: 'must be an array of records' });
          records++;
          if (progress) progress.records++;
          if (value === null || typeof value !== 'object' || Array.isArray(value))
            sink.problem({ file: shown, line, message: 'a record must be a JSON object' });
          else process(value, line, big);
        },
        { exact: true },
      );
      if (path === undefined && records === 0 && keys.length) {
        throw new InputError({
          file: shown,
          line: 1,
          message: `the records are not a top-level array: set "path" to the key that holds them (${keys
            .filter((k, i) => keys.indexOf(k) === i)
            .map((k) => `"${k}"`)
            .join(', ')})`,
        });
      }
      return records;
    }
    case 'csv':
    case 'neo4j-csv': {
      let process: RecordProcessor | undefined;
      let width = 0;
      let toRecord: ((row: string[]) => unknown) | undefined;
      await forEachCsvRow(input, shown, spec.delimiter, (row, line, index) => {
        if (index === 0) {
          width = row.length;
          const seen = new Set<string>();
          const twice = new Set<string>();
          for (const h of row) (seen.has(h) ? twice : seen).add(h);
          headerProblems([...twice].map((h) => ({ field: h, message: `column "${h}" appears more than once in the header` })));
          if (format === 'neo4j-csv') {
            const { columns, problems } = parseNeo4jHeader(row);
            headerProblems(problems.map((message) => ({ field: '', message })));
            const entity = spec.entity ?? (spec.relation ? undefined : defaultNodeRule(columns));
            const relation = spec.relation ?? (spec.entity ? undefined : defaultRelationshipRule(columns));
            if (!entity && !relation)
              headerProblems([{ field: '', message: 'a neo4j-admin CSV header needs an :ID column (nodes) or :START_ID and :END_ID columns (relationships)' }]);
            if (entity?.typeField === ':LABEL' && !columns.some((c) => c.kind === 'label')) {
              headerProblems([{ field: '', message: 'a node file without a :LABEL column needs "entity" with a "type" in the mapping' }]);
            }
            if (relation?.typeField === ':TYPE' && !columns.some((c) => c.kind === 'type')) {
              headerProblems([{ field: '', message: 'a relationship file without a :TYPE column needs "relation" with a "type" in the mapping' }]);
            }
            const fields = [...new Set(columns.flatMap((c) => (c.kind === 'ignore' ? [] : c.property ? [c.field, c.property] : [c.field])))];
            toRecord = (r) => neo4jRecord(columns, r);
            process = compile(objectShape, entity, relation);
            // A mapping that names a field the header lacks is a header problem, as for plain CSV.
            const shape = rowShape(fields);
            const { problems: missing } = entity ? entityProcessor(entity, spec.references, shape, ctx) : relationProcessor(relation!, shape, ctx);
            headerProblems(missing);
          } else {
            if (row.some((h) => h === '')) headerProblems([{ field: '', message: 'a column of the header row has no name' }]);
            process = compile(rowShape(row), spec.entity, spec.relation);
          }
          return;
        }
        records++;
        if (progress) progress.records++;
        if (row.length !== width) {
          sink.problem({ file: shown, line, message: `${row.length} fields, but the header has ${width}` });
          return;
        }
        process!(toRecord ? toRecord(row) : row, line);
      });
      if (process === undefined) throw new InputError({ file: shown, line: 1, message: 'file is empty (no header row)' });
      return records;
    }
  }
}

/** Ingests every source of a mapping (a Mapping, or the path of a mapping file) into a graph. */
export async function ingest(mapping: Mapping | string, options: IngestOptions = {}): Promise<IngestResult> {
  // (process.hrtime, not performance.now(): the perf_hooks module costs ~2 ms of a plan's start-up)
  const started = process.hrtime.bigint();
  const m = typeof mapping === 'string' ? loadMappingFile(mapping) : mapping;
  const progress = options.progress ?? newProgress();
  const files = m.sources.flatMap((s) => s.files.map((f) => [s, f] as const));
  let bytes = 0;
  for (const [, f] of files) bytes += fileSize(f);
  progress.totalBytes = bytes;
  const sink = new IngestSink(m.schema);
  let records = 0;
  for (const [spec, file] of files) {
    const before = progress.records;
    try {
      const n = await ingestFile(spec, file, sink, progress);
      records += progress.records - before;
      if (n === 0 && !spec.allowEmpty) {
        sink.problem({
          file: displayPath(file),
          line: 1,
          message: 'no records (an empty export is an error: set "allowEmpty: true" on the source if it may be empty)',
        });
      }
    } catch (err) {
      if (err instanceof Skip) {
        sink.fatal = true;
        continue;
      }
      let e: InputError;
      if (err instanceof InputError) e = err;
      else if (isIoError(err)) e = fileError(displayPath(file), err);
      else throw err;
      for (const p of e.problems) sink.problem(p);
      if (e.total > e.problems.length) sink.problems.count += e.total - e.problems.length;
      sink.fatal = true;
    }
  }
  const { graph, droppedDangling } = sink.finish(options.allowDangling ?? false);
  const counts = countByType(graph);
  return {
    graph,
    stats: {
      files: files.length,
      records,
      bytes,
      entities: graph.size,
      relations: graph.relationCount,
      ...counts,
      droppedDangling,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    },
  };
}
