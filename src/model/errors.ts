// Error classes: InputError (bad files, exit 2) and UsageError (bad arguments, exit 2). Anything else is a bug.

export interface InputProblem {
  file?: string;
  line?: number;
  /** Dotted path of the offending field, e.g. `entities[3].id`. */
  field?: string;
  message: string;
}

export function formatProblem(p: InputProblem): string {
  let where = p.file ?? '';
  if (p.file && p.line !== undefined) where += `:${p.line}`;
  const parts = [where, p.field].filter((s): s is string => !!s);
  return parts.length ? `${parts.join(': ')}: ${p.message}` : p.message;
}

/** Problems with input data. Carries every problem found (the CLI lists at most 20). */
export class InputError extends Error {
  readonly problems: InputProblem[];
  /** How many problems there were in all (may exceed problems.length when collection stopped early). */
  readonly total: number;
  constructor(problems: InputProblem[] | InputProblem, total?: number) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.length ? formatProblem(list[0]) : 'invalid input');
    this.name = 'InputError';
    this.problems = list;
    this.total = total ?? list.length;
  }
}

/**
 * An input refused before its content was judged: not a regular file, larger than the cap, or (a rehearsal) outside
 * the manifest's folder. Where a broken input would be a violation (a permanent manifest's rehearsal), this one is
 * still an input error: the tool would not read it at all.
 */
export class InputLimitError extends InputError {
  constructor(problems: InputProblem[] | InputProblem, total?: number) {
    super(problems, total);
    this.name = 'InputLimitError';
  }
}

/** Bad command-line usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Collects problems, keeping the first `keep` and counting the rest. */
export class ProblemList {
  readonly items: InputProblem[] = [];
  count = 0;
  constructor(readonly keep = 20) {}
  add(p: InputProblem): void {
    this.count++;
    if (this.items.length < this.keep) this.items.push(p);
  }
  get empty(): boolean {
    return this.count === 0;
  }
  throwIfAny(): void {
    if (this.count) throw new InputError(this.items, this.count);
  }
}
