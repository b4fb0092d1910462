// Reads a database overlay (YAML or JSON), validated against schemas/overlay.schema.json; the checks against the
// catalog (unknown tables and columns) happen when the database is read (src/store/postgres/model.ts).
import { InputError, ProblemList } from '../model/errors.js';
import { describeAjvError, pathToField, validator } from '../model/json-schemas.js';
import { jsonLocator, yamlLocator, type Locator } from '../model/locate.js';
import { yaml } from '../model/lazy.js';
import type { LoadedOverlay, Overlay } from '../store/postgres/overlay-types.js';
import { parseJson, readText } from './files.js';

export function loadOverlayFile(file: string): LoadedOverlay {
  return parseOverlay(readText(file), file);
}

export function parseOverlay(text: string, file: string): LoadedOverlay {
  let data: unknown;
  let lineOf: Locator;
  if (/\.json$/i.test(file)) {
    data = parseJson(text, file);
    lineOf = jsonLocator(text);
  } else {
    if (text.trim() === '') throw new InputError({ file, line: 1, message: 'file is empty' });
    const doc = yaml().parseDocument(text, { prettyErrors: true });
    const err = doc.errors[0];
    if (err)
      throw new InputError({
        file,
        line: err.linePos?.[0].line,
        message: `not valid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      });
    data = doc.toJS({ maxAliasCount: 100 });
    lineOf = yamlLocator(text);
  }
  const validate = validator('overlay.schema.json');
  if (!validate(data)) {
    const problems = new ProblemList(20);
    // A oneOf fails once per branch; its own line says more than the branches' ("must be string", "must be array").
    const errors = validate.errors ?? [];
    const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
    for (const e of errors) {
      if (e.keyword !== 'oneOf' && [...oneOfPaths].some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`))) continue;
      const { path, message } = e.keyword === 'oneOf' ? { path: describeAjvError(e).path, message: oneOfMessage(e.instancePath) } : describeAjvError(e);
      problems.add({ file, line: lineOf(path), field: pathToField(path) || undefined, message });
    }
    problems.throwIfAny();
  }
  const overlay = data as Overlay;
  const problems = new ProblemList(20);
  (overlay.relations ?? []).forEach((r, i) => {
    const kinds = ['column', 'array', 'polymorphic'].filter((k) => (r as unknown as Record<string, unknown>)[k] !== undefined);
    if (kinds.length !== 1) {
      problems.add({ file, line: lineOf(['relations', i]), field: `relations[${i}]`, message: 'give exactly one of "column", "array" or "polymorphic"' });
    } else if ((typeof r.to === 'object') !== (kinds[0] === 'polymorphic')) {
      const message = kinds[0] === 'polymorphic' ? '"to" must map each stored type value to a table' : '"to" must name one table (a map is for "polymorphic")';
      problems.add({ file, line: lineOf(['relations', i, 'to']), field: `relations[${i}].to`, message });
    }
  });
  problems.throwIfAny();
  return { file, overlay, lineOf };
}

function oneOfMessage(pointer: string): string {
  if (/\/protected$/.test(pointer)) return 'must be a boolean column name, or a non-empty list of entity IDs';
  if (/\/to$/.test(pointer)) return 'must be a table name, or (for "polymorphic") a map from stored type values to tables';
  return 'has the wrong shape';
}
