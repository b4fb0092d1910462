// Human-readable report for a terminal: verdict and summary first, then the tree, then each violation with its chain.
import { Chalk, type ChalkInstance } from 'chalk';
import type { ChainLink, PlanResult } from '../engine/result.js';
import { clean, countsText, fmt, groupViolations, headline, linkText, nameOf, plural, RULE_HELP, treeChildren, typeCounts } from './common.js';

export interface HumanOptions {
  color?: boolean;
  /** Show everything instead of cutting long lists. */
  full?: boolean;
  /** What was checked, e.g. the manifest file name. */
  title?: string;
}

const TREE_LIMIT = 40;
const LIST_LIMIT = 10;
const PER_RULE_LIMIT = 5;

export function chainLines(chain: ChainLink[], c: ChalkInstance, indent = '    '): string[] {
  return chain.map((l, i) => {
    const text = linkText(l);
    if (i === 0) return `${indent}${c.bold(text)}${c.dim('  target')}`;
    const how = `${clean(l.relation ?? '')}${l.onDelete ? `, ${l.onDelete}` : ''}`;
    return `${indent}${'  '.repeat(i - 1)}└ ${text}${c.dim(`  ${how}`)}`;
  });
}

export function renderHuman(result: PlanResult, opts: HumanOptions = {}): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  const pass = result.verdict === 'pass';
  const badge = pass ? c.green.bold('PASS') : c.red.bold('FAIL');
  out.push(`${badge}  ${opts.title ? `${clean(opts.title)}: ` : ''}${headline(result)}`);
  out.push('');
  const s = result.summary;
  const byId = new Map(result.deleted.map((d) => [d.id, d]));
  const rootText = result.roots.map((r) => {
    const d = byId.get(r);
    return d ? linkText(d) : `${clean(r)} ${c.red('(not in graph)')}`;
  });
  const cut = (list: string[], limit: number) =>
    opts.full || list.length <= limit ? list : [...list.slice(0, limit), c.dim(`… and ${fmt(list.length - limit)} more (--full shows all)`)];
  out.push(`${c.bold('Targets')}   ${cut(rootText, LIST_LIMIT).join('\n          ')}`);
  out.push(`${c.bold('Deleted')}   ${plural(s.deleted, 'entity', 'entities')}${s.deleted ? `: ${countsText(s.byType)}` : ''}`);
  if (s.sites.length) {
    const siteLines = s.sites.map((site) => {
      const mark = site.siteDeleted ? c.red(` — the ${clean(result.boundary)} itself is deleted`) : '';
      return `${nameOf(site)}: ${fmt(site.deleted)}${mark}`;
    });
    out.push(`${c.bold('Sites')}     ${cut(siteLines, LIST_LIMIT).join('\n          ')}`);
  }
  if (s.global) out.push(`${c.bold('Global')}    ${plural(s.global, 'deleted entity', 'deleted entities')} outside any ${clean(result.boundary)}`);
  if (s.detached) out.push(`${c.bold('Detached')}  ${plural(s.detached, 'entity', 'entities')} survive with a relation removed`);
  if (s.spared) out.push(`${c.bold('Spared')}    ${plural(s.spared, 'entity', 'entities')} survive because another owner keeps them`);

  if (result.deleted.length) {
    out.push('', c.bold('What would be deleted'));
    const children = treeChildren(result);
    const lines: string[] = [];
    const limit = opts.full ? Infinity : TREE_LIMIT;
    // Iterative depth-first walk (deep chains must not overflow the stack).
    // Each stack entry: id, the prefix its children inherit, the connector drawn before it.
    const stack: [string, string, string][] = [];
    for (const r of [...result.roots].reverse()) if (byId.get(r)?.depth === 0) stack.push([r, '', '']);
    let shown = 0;
    while (stack.length && shown < limit) {
      const [id, prefix, connector] = stack.pop()!;
      const d = byId.get(id)!;
      const via = d.via ? c.dim(`  ${clean(d.via.relation)}`) : '';
      lines.push(`${c.dim(connector)}${linkText(d)}${via}`);
      shown++;
      const kids = children.get(id) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) {
        const last = i === kids.length - 1;
        stack.push([kids[i], `${prefix}${last ? '   ' : '│  '}`, `${prefix}${last ? '└─ ' : '├─ '}`]);
      }
    }
    out.push(...lines);
    if (shown < result.deleted.length) out.push(c.dim(`… and ${fmt(result.deleted.length - shown)} more (--full shows all)`));
  }
  if (result.detached.length) {
    out.push('', c.bold('Detached (survive, relation removed)'));
    out.push(...cut(result.detached.map((d) => `  ${linkText(d)}  ${d.links.map((l) => `${clean(l.relation)} → ${clean(l.to)}`).join(', ')}`), LIST_LIMIT));
  }
  if (result.spared.length) {
    out.push('', c.bold('Spared (another owner keeps them)'));
    out.push(...cut(result.spared.map((d) => `  ${linkText(d)}  kept by ${clean(d.keptBy)} (${clean(d.relation)})`), LIST_LIMIT));
  }
  if (result.violations.length) {
    out.push('', c.red.bold(`Violations (${fmt(result.violations.length)})`));
    for (const [rule, list] of groupViolations(result)) {
      const types = typeCounts(result, list);
      const digest = rule === 'delete-type' && Object.keys(types).length ? `: ${countsText(types)}` : '';
      out.push('', `${c.red('✖')} ${c.bold(rule)} ${c.dim(`— ${RULE_HELP[rule]}`)} (${fmt(list.length)}${digest})`);
      const shown = opts.full ? list : list.slice(0, PER_RULE_LIMIT);
      for (const v of shown) {
        out.push(`  ${clean(v.message)}`);
        if (v.chain.length > 1) out.push(...chainLines(v.chain, c));
      }
      if (shown.length < list.length) out.push(c.dim(`  … and ${fmt(list.length - shown.length)} more ${rule} (--full or --format json shows all)`));
    }
  }
  out.push('');
  out.push(pass ? c.green('No violations: this deletion stays inside its intent.') : c.red(`This deletion must not run as it stands: ${plural(result.violations.length, "violation")}.`));
  return out.join('\n') + '\n';
}
