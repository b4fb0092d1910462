// GitHub Actions workflow commands: one `::error file=…,line=…,title=…::message` annotation per rule and manifest
// line (so 883 deleted sites make one annotation on the line that names them, with a count, not 883), then a
// plain summary line. Escaping follows @actions/core: in the message `%`, `\r`, `\n` are percent-encoded; in
// properties `:` and `,` are too. Control characters from input data are shown escaped, never interpreted.
import type { PlanResult, Violation } from '../engine/result.js';
import type { Anchors } from './anchors.js';
import { clean, fmt, headline } from './common.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

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

function chainText(v: Violation): string {
  return v.chain.length > 1 ? `\nchain: ${v.chain.map((l) => clean(l.id)).join(' ← ')}` : '';
}

export function renderGithub(result: PlanResult, opts: GithubOptions = {}): string {
  const out: string[] = [];
  const file = opts.anchors?.file;
  const groups = new Map<string, { line: number | undefined; list: Violation[] }>();
  for (const v of result.violations) {
    const line = opts.anchors?.lineOf(v);
    const key = `${v.rule}\u0000${line ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { line, list: [] }));
    g.list.push(v);
  }
  for (const [key, { line, list }] of groups) {
    const rule = key.slice(0, key.indexOf('\u0000'));
    const first = list[0];
    const more = list.length > 1 ? `\n(and ${fmt(list.length - 1)} more ${rule} from this line)` : '';
    out.push(command('error', { file, line, title: `blastguard ${rule}${list.length > 1 ? ` (${fmt(list.length)})` : ''}` }, `${clean(first.message)}${chainText(first)}${more}`));
  }
  const head = `${result.verdict === 'pass' ? 'pass' : 'FAIL'}${opts.title ? ` ${clean(opts.title)}` : ''}: ${headline(result)}`;
  if (result.verdict === 'pass') out.push(command('notice', { file, title: 'blastguard pass' }, headline(result)));
  out.push(`blastguard ${head}`);
  return out.join('\n') + '\n';
}
