// GitHub Actions workflow commands: one `::error file=…,line=…,title=…::message` annotation per manifest line that
// causes violations (GitHub shows only 10 error annotations per step, so 883 deleted sites must make one annotation
// on the line that names them, not 883), listing each rule broken from that line with a count and its first
// message; then a plain summary line. Escaping follows @actions/core: in the message `%`, `\r`, `\n` are
// percent-encoded; in properties `:` and `,` are too. Control characters in input data are shown escaped.
import type { PlanResult, Violation } from '../engine/result.js';
import type { Anchors } from './anchors.js';
import { clean, fmt, headline } from './common.js';
import { elideChain, elidedText, isElided, joinPieces, linePieces, type Pieces } from './pieces.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const ANNOTATION_LIMIT = 50;

export interface GithubOptions {
  anchors?: Anchors;
  title?: string;
}

function command(kind: 'error' | 'notice', props: Record<string, string | number | undefined>, message: string): string {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${kind}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

/** The chain of the first violation of a line; a long one by its ends (an annotation is read, not searched). */
function chainText(v: Violation): string {
  return v.chain.length > 1
    ? `\n  chain: ${elideChain(v.chain, false, v.chainLength)
        .map((l) => (isElided(l) ? elidedText(l) : clean(l.id)))
        .join(' ← ')}`
    : '';
}

export function renderGithub(result: PlanResult, opts: GithubOptions = {}): string {
  return joinPieces(githubPieces(result, opts));
}

/** The workflow commands as pieces (one per line). */
export function githubPieces(result: PlanResult, opts: GithubOptions = {}): Pieces {
  const out: string[] = [];
  const file = opts.anchors?.file;
  // line → rule → violations, in the order they come (rule order).
  const byLine = new Map<number | undefined, Map<string, Violation[]>>();
  for (const v of result.violations) {
    const line = opts.anchors?.lineOf(v);
    let rules = byLine.get(line);
    if (!rules) byLine.set(line, (rules = new Map()));
    let list = rules.get(v.rule);
    if (!list) rules.set(v.rule, (list = []));
    list.push(v);
  }
  // GitHub keeps at most 50 annotations per job; past that, one last annotation says how many lines are left.
  const lines = [...byLine];
  const shown = lines.length > ANNOTATION_LIMIT ? lines.slice(0, ANNOTATION_LIMIT - 1) : lines;
  for (const [line, rules] of shown) {
    const title = `blastguard: ${[...rules].map(([rule, list]) => (list.length > 1 ? `${rule} (${fmt(list.length)})` : rule)).join(', ')}`;
    const parts = [...rules].map(([rule, list]) => {
      const first = list[0];
      const more = list.length > 1 ? `\n  … and ${fmt(list.length - 1)} more ${rule}` : '';
      return `${rule}: ${clean(first.message)}${chainText(first)}${more}`;
    });
    out.push(command('error', { file, line, title }, parts.join('\n')));
  }
  if (shown.length < lines.length) {
    const rest = lines.slice(shown.length).reduce((n, [, rules]) => n + [...rules.values()].reduce((k, l) => k + l.length, 0), 0);
    out.push(
      command(
        'error',
        { file, title: 'blastguard: more violations' },
        `… and ${fmt(rest)} more violations on ${fmt(lines.length - shown.length)} more manifest lines (see the full report)`,
      ),
    );
  }
  if (result.verdict === 'pass') out.push(command('notice', { file, title: 'blastguard: pass' }, headline(result)));
  out.push(`blastguard ${result.verdict === 'pass' ? 'pass' : 'FAIL'}${opts.title ? ` ${clean(opts.title)}` : ''}: ${headline(result)}`);
  return linePieces(out);
}
