// Reads approved-plan files (schemas/approved-plan.schema.json) and ID lists for verification.
import { dirname, resolve } from 'node:path';
import type { ApprovedPlan } from '../engine/approved.js';
import type { RehearsalInput } from '../engine/check.js';
import { InputError, ProblemList } from '../model/errors.js';
import { describeAjvError, pathToField, validator } from '../model/json-schemas.js';
import { jsonLocator, type Locator } from '../model/locate.js';
import { lineAt, parseJson, readText } from './files.js';

/** Validates parsed JSON as an approved plan; problems name the file, line and field. */
export function parseApprovedPlan(data: unknown, file: string, locate: Locator = () => undefined): ApprovedPlan {
  const validate = validator('approved-plan.schema.json');
  if (!validate(data)) {
    const problems = new ProblemList(20);
    const looksLikePlan = typeof data === 'object' && data !== null && (data as Record<string, unknown>).kind === 'blastguard-approved-plan';
    if (!looksLikePlan) {
      throw new InputError({ file, line: 1, message: 'not an approved plan (write one with `blastguard plan|check … --out FILE`)' });
    }
    for (const e of validate.errors ?? []) {
      if (e.keyword === 'if') continue; // "must match then schema": the error inside `then` says what is missing
      const { path, message } = describeAjvError(e);
      problems.add({ file, line: locate(path), field: pathToField(path) || undefined, message });
    }
    problems.throwIfAny();
  }
  return data as ApprovedPlan;
}

export function loadApprovedPlanFile(file: string): ApprovedPlan {
  const text = readText(file);
  return parseApprovedPlan(parseJson(text, file), file, jsonLocator(text));
}

/**
 * Reads the rehearsal a permanent manifest names (a path relative to the manifest). Never throws: a missing or
 * broken rehearsal is a violation (permanent-unrehearsed), not bad input. Messages carry no file content.
 */
export function readRehearsal(manifestFile: string, rehearsal: string): RehearsalInput {
  const path = resolve(dirname(manifestFile), rehearsal);
  try {
    return { file: rehearsal, plan: loadApprovedPlanFile(path) };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const p = err.problems[0];
    const generic = p?.message.startsWith('not valid JSON') ? 'not valid JSON' : p?.message;
    return { file: rehearsal, problem: `${p?.line ? `line ${p.line}: ` : ''}${p?.field ? `${p.field}: ` : ''}${generic ?? 'unreadable'}` };
  }
}

/**
 * An ID list: a JSON array of strings (when the text starts with `[`), or one ID per line. Line ends (\n, \r\n)
 * are not part of an ID and blank lines are skipped; other whitespace is kept, so " x" and "x" differ and a
 * mismatch shows it.
 */
export function parseIdList(text: string, file: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trimStart().startsWith('[')) {
    const data = parseJson(text, file);
    if (!Array.isArray(data)) throw new InputError({ file, line: 1, message: 'expected a JSON array of IDs' });
    const problems = new ProblemList(20);
    const locate = jsonLocator(text);
    data.forEach((v, i) => {
      if (typeof v !== 'string' || v === '') problems.add({ file, line: locate([i]), field: `[${i}]`, message: 'must be a non-empty string' });
    });
    problems.throwIfAny();
    return data as string[];
  }
  const ids: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') {
      if (line.includes('\u0000')) throw new InputError({ file, line: lineAt(text, start), message: 'contains a NUL character: this is not a text list of IDs' });
      ids.push(line);
    }
    start = end + 1;
  }
  return ids;
}
