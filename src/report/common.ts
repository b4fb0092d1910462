// Shared presentation helpers for reporters: safe labels, counts, grouping. No logic beyond presentation.
import type { ChalkInstance } from 'chalk';
import { elideChain, elidedText, INDENT_LIMIT, isElided } from './pieces.js';
import type { ChainLink, EntityRef, PlanResult, RuleName, Violation } from '../engine/result.js';
import { resultChains } from '../engine/toolkit/chain.js';
import { visible } from './text.js';

/**
 * Controls, bidi overrides and other invisible characters in input data are shown escaped, never interpreted
 * (`visible` in text.ts; `clean` is the name the reporters have always called it by).
 */
export const clean = visible;

/** `id (name)`; the name is left out when the ID already says it (`user:dana@x.com` named `dana@x.com`). */
export function nameOf(e: { id: string; name?: string }): string {
  const n = e.name;
  if (n === undefined || n === '' || n === e.id || e.id.endsWith(`:${n}`)) return clean(e.id);
  return `${clean(e.id)} (${clean(n)})`;
}

/**
 * `n` with thousands separators, as toLocaleString('en-US') writes it. Whole numbers (every count) are grouped here:
 * the first toLocaleString of a process loads ICU's number formatting, ~15 ms of a plan's start-up.
 */
export function fmt(n: number): string {
  return Number.isSafeInteger(n) && !Object.is(n, -0) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmt(n)} ${n === 1 ? one : many}`;
}

/**
 * `{type: count}` as "product: 12, site: 3", largest first. A type name is the user's word (`accounts`,
 * `notifications`), never an English noun to inflect: it is written as it is declared, before its count.
 */
export function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${clean(k)}: ${fmt(v)}`)
    .join(', ');
}

/** "4 entities of type `accounts`" for a terminal: "4 accounts entities" would read as a noun phrase, "4 accountss" is wrong. */
export function ofType(n: number, type: string): string {
  return `${plural(n, 'entity', 'entities')} of type ${clean(type)}`;
}

/**
 * A help text that speaks of "sites" (the default boundary) in the words of this graph's boundary type: "(sites)"
 * becomes "(site)" or "(accounts)", "sites" "site entities" or "accounts entities", "a site" "a site" or "an accounts".
 * The type name is never inflected.
 */
export function inBoundaryWords(text: string, boundary: string): string {
  const b = clean(boundary);
  return text
    .replace(/\(sites\)/g, `(of type ${b})`)
    .replace(/\bof other sites\b/g, `of another ${b}`)
    .replace(/\bsites\b/g, `${b} entities`)
    .replace(/\ba site\b/g, `${/^[aeiou]/i.test(b) ? 'an' : 'a'} ${b}`)
    .replace(/\bsite\b/g, b);
}

/** The one-line help of a violation rule, in the words of the graph's boundary type. */
export function ruleHelp(rule: RuleName, boundary: string): string {
  return inBoundaryWords(RULE_HELP[rule], boundary);
}

/** "boundary-deleted: 4, cross-boundary: 8": the violations counted by rule, in the order they are listed. */
export function ruleCounts(result: PlanResult): string {
  return groupViolations(result)
    .map(([rule, list]) => `${rule}: ${fmt(list.length)}`)
    .join(', ');
}

export function groupViolations(result: PlanResult): [RuleName, Violation[]][] {
  const groups = new Map<RuleName, Violation[]>();
  for (const v of result.violations) {
    let list = groups.get(v.rule);
    if (!list) groups.set(v.rule, (list = []));
    list.push(v);
  }
  return [...groups];
}

/** What the violations of each rule are, in one line: each rule module's help (src/engine/rules/). */
export { RULE_HELP } from '../engine/rules/index.js';
import { RULE_HELP } from '../engine/rules/index.js';

/** Entity types of a list of violations' entities, as counts (for a one-line digest of large groups). */
export function typeCounts(result: PlanResult, vs: Violation[]): Record<string, number> {
  const types = new Map(result.deleted.map((d) => [d.id, d.type]));
  const out: Record<string, number> = Object.create(null);
  for (const v of vs) {
    const t = v.entity === null ? undefined : types.get(v.entity);
    if (t !== undefined) out[t] = (out[t] ?? 0) + 1;
  }
  return out;
}

export function linkText(l: ChainLink | EntityRef): string {
  return `${nameOf(l)} [${clean(l.type)}]`;
}

/** "1 target would delete 95 entities in 4 entities of type site — 12 violations": the verdict's one line. */
export function headline(result: PlanResult): string {
  const s = result.summary;
  const siteCount = s.sites.length;
  const targets = plural(result.roots.length, 'target');
  const reach = `${plural(s.deleted, 'entity', 'entities')}${siteCount ? ` in ${ofType(siteCount, result.boundary)}` : ''}`;
  const v = result.violations.length;
  return `${targets} would delete ${reach}${v ? ` — ${plural(v, 'violation')}` : ''}`;
}

/** Children lists of the deletion tree (principal → entities it pulled in), in result order. */
export function treeChildren(result: PlanResult): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const d of result.deleted) {
    if (!d.via) continue;
    let list = children.get(d.via.principal);
    if (!list) children.set(d.via.principal, (list = []));
    list.push(d.id);
  }
  return children;
}

/**
 * Picture nodes grouped by the one site they belong to (a site with itself); entities of no site or of several sites
 * stay loose. Shared by the DOT and Mermaid reporters, which draw the groups as clusters.
 */
export function clusterBySite<N extends { id: string; status: string; sites: string[] }>(
  nodes: readonly N[],
  line: (n: N) => string,
): { clusters: Map<string, string[]>; loose: string[] } {
  const clusters = new Map<string, string[]>();
  const loose: string[] = [];
  for (const n of nodes) {
    const site = n.status === 'site' || (n.sites.length === 1 && n.sites[0] === n.id) ? n.id : n.sites.length === 1 ? n.sites[0] : undefined;
    if (site === undefined) loose.push(line(n));
    else {
      let list = clusters.get(site);
      if (!list) clusters.set(site, (list = []));
      list.push(line(n));
    }
  }
  return { clusters, loose };
}

/**
 * For --full: the whole chain of a violation whose chain the result holds elided (`chainLength`), rebuilt from the
 * `via` fields of `deleted` (the last link may be a blocker the plan does not delete). Undefined when the chain is
 * whole already, or cannot be rebuilt exactly (a summary-only result lists no deleted entities): then it is shown
 * elided, with its count.
 */
export function wholeChains(result: PlanResult): (v: Violation) => ChainLink[] | undefined {
  let chains: ((id: string) => ChainLink[]) | undefined;
  return (v) => {
    if (v.chainLength === undefined || !v.chain.length) return undefined;
    chains ??= resultChains(result);
    const last = v.chain[v.chain.length - 1];
    let whole = chains(last.id);
    if (!whole.length && v.chain.length > 1) whole = [...chains(v.chain[v.chain.length - 2].id), last];
    return whole.length === v.chainLength && whole[0].id === v.chain[0].id ? whole : undefined;
  };
}

/**
 * A chain as indented lines, each entity under the one it depends on. Unless `full`, a long chain shows its ends and
 * how many links lie between; past INDENT_LIMIT levels the lines stop moving right.
 */
export function chainLines(chain: ChainLink[], c: ChalkInstance, indent = '    ', full = false, length = chain.length): string[] {
  // Indented by the position shown, so the links after an elision carry on from the count line.
  const step = (shown: number) => '  '.repeat(Math.min(shown - 1, INDENT_LIMIT));
  return elideChain(chain, full, length).map((l, shown) => {
    if (isElided(l)) return `${indent}${step(shown)}${c.dim(elidedText(l))}`;
    const text = linkText(l);
    if (shown === 0) return `${indent}${c.bold(text)}${c.dim('  target')}`;
    const how = `${clean(l.relation ?? '')}${l.onDelete ? `, ${l.onDelete}` : ''}`;
    return `${indent}${step(shown)}└ ${text}${c.dim(`  ${how}`)}`;
  });
}
