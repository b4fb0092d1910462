// Reads approved-plan files (schemas/approved-plan.schema.json) and ID lists for verification.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep, win32 } from 'node:path';
import type { ApprovedPlan, RehearsalInput } from '../model/approved-plan.js';
import { InputError, InputLimitError, ProblemList } from '../model/errors.js';
import { describeAjvError, pathToField, validator } from '../model/json-schemas.js';
import { jsonLocator, type Locator } from '../model/locate.js';
import { lineAt } from './files.js';
import { countLimits, parseSmallJson, readSmallFile, SMALL_LIMITS, tooManyIds } from './small-input.js';

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
  const text = readSmallFile(file);
  const locate = jsonLocator(text);
  return parseApprovedPlan(parseSmallJson(text, file, locate), file, locate);
}

/** Where a manifest's rehearsal is, and where the manifest says so (for messages). */
export interface RehearsalRef {
  /** The manifest file, or (for a manifest given as an object) a path in the folder it is relative to. */
  manifestFile: string;
  /** The manifest's line of `rehearsal:`, when known. */
  line?: number;
}

/**
 * The rehearsal's real path, confined to the manifest's folder: manifests come from pull requests, so a rehearsal
 * may name no absolute path, no `..` that leaves the folder, and no link that leads out of it. Undefined when the
 * file does not exist (that is a violation, reported by the caller like any unusable plan).
 */
export function confinedRehearsalPath(ref: RehearsalRef, rehearsal: string): string | undefined {
  const refuse = (why: string) => new InputLimitError({ file: ref.manifestFile, line: ref.line, field: 'rehearsal', message: why });
  if (isAbsolute(rehearsal) || win32.isAbsolute(rehearsal) || /^[A-Za-z]:/.test(rehearsal)) {
    throw refuse('must be a path relative to the manifest, inside its folder (not an absolute path)');
  }
  if (rehearsal.includes('\u0000')) throw refuse('contains a NUL character');
  let base: string;
  try {
    base = realpathSync(dirname(resolve(ref.manifestFile)));
  } catch {
    base = dirname(resolve(ref.manifestFile));
  }
  // Inside: below the folder. `..x` is a name; `..` and `../x` leave it.
  const inside = (p: string) => {
    const rel = relative(base, p);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  };
  const target = resolve(base, rehearsal);
  if (!inside(target)) throw refuse(`"${rehearsal}" leaves the manifest's folder: a rehearsal must be a file inside it`);
  let real: string;
  try {
    real = realpathSync(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw refuse(`"${rehearsal}" cannot be resolved (${code ?? (err as Error).message})`);
  }
  if (!inside(real)) throw refuse(`"${rehearsal}" is a link that leads out of the manifest's folder: a rehearsal must be a file inside it`);
  return real;
}

/**
 * Reads the rehearsal a permanent manifest names (a path relative to the manifest, inside its folder). A missing or
 * broken rehearsal is a violation (permanent-unrehearsed), not bad input; messages carry no file content. A path
 * that leaves the manifest's folder, or names something that is not a regular file or is larger than the cap, is
 * refused before reading (InputLimitError, exit 2).
 */
export function readRehearsal(ref: string | RehearsalRef, rehearsal: string): RehearsalInput {
  const where = typeof ref === 'string' ? { manifestFile: ref } : ref;
  const path = confinedRehearsalPath(where, rehearsal);
  if (path === undefined) return { file: rehearsal, problem: 'file not found' };
  try {
    return { file: rehearsal, plan: loadApprovedPlanFile(path) };
  } catch (err) {
    if (err instanceof InputLimitError) {
      const p = err.problems[0];
      throw new InputLimitError({ file: where.manifestFile, line: where.line, field: 'rehearsal', message: `${rehearsal}: ${p?.message ?? 'unreadable'}` });
    }
    if (!(err instanceof InputError)) throw err;
    const p = err.problems[0];
    const generic = p?.message.startsWith('not valid JSON') ? 'not valid JSON' : p?.message;
    return { file: rehearsal, problem: `${p?.line ? `line ${p.line}: ` : ''}${p?.field ? `${p.field}: ` : ''}${generic ?? 'unreadable'}` };
  }
}

/** An ID list of one ID per line: no line longer than this (a megabyte is no ID). */
const MAX_ID_LINE = SMALL_LIMITS.maxString;

/**
 * An ID list: a JSON array of strings (when the text starts with `[`), or one ID per line. Line ends (\n, \r\n)
 * are not part of an ID and blank lines are skipped; other whitespace is kept, so " x" and "x" differ and a
 * mismatch shows it.
 */
export function parseIdList(text: string, file: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trimStart().startsWith('[')) {
    const locate = jsonLocator(text);
    const data = parseSmallJson(text, file, locate);
    if (!Array.isArray(data)) throw new InputError({ file, line: 1, message: 'expected a JSON array of IDs' });
    const problems = new ProblemList(20);
    data.forEach((v, i) => {
      if (typeof v !== 'string' || v === '') problems.add({ file, line: locate([i]), field: `[${i}]`, message: 'must be a non-empty string' });
    });
    problems.throwIfAny();
    return data as string[];
  }
  const ids: string[] = [];
  const { maxValues } = countLimits();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > MAX_ID_LINE + 1)
      throw new InputError({ file, line: lineAt(text, start), message: `a line of ${end - start} characters: no ID is longer than ${MAX_ID_LINE}` });
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') {
      if (line.includes('\u0000'))
        throw new InputError({ file, line: lineAt(text, start), message: 'contains a NUL character: this is not a text list of IDs' });
      if (ids.length >= maxValues) throw tooManyIds(file, lineAt(text, start));
      ids.push(line);
    }
    start = end + 1;
  }
  return ids;
}
