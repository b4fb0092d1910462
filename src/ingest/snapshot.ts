// Reads a snapshot file (.json or .json.gz) into the compact store, validating it against schemas/snapshot.schema.json.
import { InputError, ProblemList } from '../model/errors.js';
import { describeAjvError, pathToField, validator } from '../model/json-schemas.js';
import { jsonLocator, type Locator } from '../model/locate.js';
import type { Entity, Snapshot } from '../model/types.js';
import { CompactGraph, GraphBuilder } from '../store/compact.js';
import { parseJson, readText } from './files.js';
export { normalizeSchema } from '../model/schema.js';
import { normalizeSchema } from '../model/schema.js';

export function loadSnapshotFile(file: string): CompactGraph {
  const text = readText(file);
  return loadSnapshotText(text, file);
}

export function loadSnapshotText(text: string, file: string): CompactGraph {
  return buildSnapshot(parseJson(text, file), file, jsonLocator(text));
}

/** Validates an already parsed snapshot and builds the graph; `locate` maps field paths to lines for messages. */
export function buildSnapshot(data: unknown, file: string, locate: Locator = () => undefined): CompactGraph {
  const problems = new ProblemList(20);
  const at = (path: (string | number)[], message: string) => problems.add({ file, line: locate(path), field: pathToField(path), message });
  const validate = validator('snapshot.schema.json');
  if (!validate(data)) {
    for (const err of validate.errors ?? []) {
      const { path, message } = describeAjvError(err);
      at(path, message);
    }
    throw new InputError(problems.items, problems.count);
  }
  const snap = data as Snapshot;
  const builder = new GraphBuilder(normalizeSchema(snap.schema));
  snap.entities.forEach((e: Entity, i) => {
    if (builder.unknownType(e.type)) at(['entities', i, 'type'], `type "${e.type}" is not declared in schema.types`);
    if (builder.addEntity(e) < 0) {
      // The first definition is looked up only on this (rare) path.
      const first = snap.entities.findIndex((x) => x.id === e.id);
      const line = locate(['entities', first, 'id']);
      at(['entities', i, 'id'], `duplicate ID "${e.id}" (first defined at entities[${first}]${line ? `, line ${line}` : ''})`);
    }
  });
  snap.relations.forEach((r, i) => {
    if (!builder.addRelation(r.from, r.type, r.to, i)) {
      at(['relations', i, 'type'], `relation type "${r.type}" is not declared in schema.relations`);
    }
  });
  const dangling = builder.dangling(problems.keep);
  for (const d of dangling.items) {
    const i = d.tag;
    if (d.missing !== 'to') at(['relations', i, 'from'], `references missing entity "${d.from}"`);
    if (d.missing !== 'from') at(['relations', i, 'to'], `references missing entity "${d.to}"`);
  }
  if (dangling.count > dangling.items.length) problems.count += dangling.count - dangling.items.length;
  problems.throwIfAny();
  return builder.build();
}
