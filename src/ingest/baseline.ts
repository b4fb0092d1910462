// Reads an audit baseline (accepted findings), validated against schemas/audit-baseline.schema.json (a new one is
// written by src/report/baseline.ts).
import { InputError, ProblemList } from '../model/errors.js';
import { describeAjvError, pathToField, validator } from '../model/json-schemas.js';
import { jsonLocator } from '../model/locate.js';
import { parseSmallJson, readSmallFile } from './small-input.js';

export interface BaselineEntry {
  fingerprint: string;
  rule?: string;
  subject?: string;
  reason?: string;
}

export interface Baseline {
  description?: string;
  accepted: BaselineEntry[];
}

export function loadBaselineFile(file: string): Baseline {
  const text = readSmallFile(file);
  const locate = jsonLocator(text);
  const data = parseSmallJson(text, file, locate);
  const validate = validator('audit-baseline.schema.json');
  const problems = new ProblemList(20);
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      const { path, message } = describeAjvError(e);
      problems.add({ file, line: locate(path), field: pathToField(path) || undefined, message: path.length ? message : `baseline ${message}` });
    }
    throw new InputError(problems.items, problems.count);
  }
  const baseline = data as Baseline;
  baseline.accepted.forEach((entry, i) => {
    if (entry.rule !== undefined && !entry.fingerprint.startsWith(`${entry.rule}:`)) {
      problems.add({
        file,
        line: locate(['accepted', i, 'rule']),
        field: pathToField(['accepted', i, 'rule']),
        message: `rule "${entry.rule}" does not match the fingerprint "${entry.fingerprint}"`,
      });
    }
  });
  problems.throwIfAny();
  return baseline;
}
