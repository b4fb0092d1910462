// Reads a deletion manifest (YAML or JSON), validated against schemas/manifest.schema.json.
import { InputError, ProblemList } from '../model/errors.js';
import { describeAjvError, pathToField, pointerToPath, validator } from '../model/json-schemas.js';
import { jsonLocator, yamlLocator, type Locator } from '../model/locate.js';
import { yaml } from '../model/lazy.js';
import type { Manifest } from '../model/types.js';
import { parseJson, readText } from './files.js';

export interface LoadedManifest {
  file: string;
  manifest: Manifest;
  /** Line of a field, e.g. lineOf(['targets', 3]). */
  lineOf: Locator;
}

export function loadManifestFile(file: string): LoadedManifest {
  return parseManifest(readText(file), file);
}

export function parseManifest(text: string, file: string): LoadedManifest {
  let data: unknown;
  let lineOf: Locator;
  if (/\.json(\.gz)?$/i.test(file)) {
    data = parseJson(text, file);
    lineOf = jsonLocator(text);
  } else {
    if (text.trim() === '') throw new InputError({ file, line: 1, message: 'file is empty' });
    const doc = yaml().parseDocument(text, { prettyErrors: true });
    const err = doc.errors[0];
    if (err) {
      throw new InputError({ file, line: err.linePos?.[0].line, message: `not valid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
    }
    data = doc.toJS({ maxAliasCount: 100 });
    lineOf = yamlLocator(text);
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
