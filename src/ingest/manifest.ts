// Reads a deletion manifest (YAML or JSON), validated against schemas/manifest.schema.json.
import { ProblemList } from '../model/errors.js';
import { describeAjvError, pathToField, pointerToPath, validator } from '../model/json-schemas.js';
import { jsonLocator, type Locator } from '../model/locate.js';
import type { Manifest } from '../model/types.js';
import { parseSmallJson, parseSmallYaml, readSmallFile } from './small-input.js';

export interface LoadedManifest {
  file: string;
  manifest: Manifest;
  /** Line of a field, e.g. lineOf(['targets', 3]). */
  lineOf: Locator;
}

export function loadManifestFile(file: string): LoadedManifest {
  return parseManifest(readSmallFile(file), file);
}

export function parseManifest(text: string, file: string): LoadedManifest {
  let data: unknown;
  let lineOf: Locator;
  if (/\.json(\.gz)?$/i.test(file)) {
    lineOf = jsonLocator(text);
    data = parseSmallJson(text, file, lineOf);
  } else {
    ({ data, lineOf } = parseSmallYaml(text, file));
  }
  const validate = validator('manifest.schema.json');
  if (!validate(data)) {
    const problems = new ProblemList(20);
    // The branches of an anyOf each fail on their own; one sentence about the anyOf says it better, and it goes
    // after the specific problems (a typo like `target:` is the first thing to read).
    const errors = (validate.errors ?? []).filter((e) => !e.schemaPath.includes('/anyOf/'));
    for (const e of [...errors.filter((x) => x.keyword !== 'anyOf'), ...errors.filter((x) => x.keyword === 'anyOf')]) {
      const { path, message } = e.keyword === 'anyOf' ? anyOfMessage(e.instancePath) : describeAjvError(e);
      problems.add({ file, line: lineOf(path), field: pathToField(path) || undefined, message });
    }
    problems.throwIfAny();
  }
  return { file, manifest: data as Manifest, lineOf };
}

function anyOfMessage(pointer: string): { path: (string | number)[]; message: string } {
  const path = pointerToPath(pointer);
  if (path.length === 0) return { path, message: 'a manifest needs "targets", "select", or both' };
  return { path, message: 'must be a string, number, boolean or null, or a non-empty list of them' };
}
