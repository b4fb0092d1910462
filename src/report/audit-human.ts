// Human-readable audit for a terminal: the verdict (when gated), the blast radius tables, then each risk with the
// relations that cause it.
import { fitLines, groupFindings, relationDigest, textTable, typeSentence } from './audit-text.js';
import { Chalk } from 'chalk';
import { AUDIT_RULE_HELP, type AuditResult } from '../engine/audit.js';
import { clean, fmt, inBoundaryWords, nameOf, plural } from './common.js';

export interface AuditTextOptions {
  color?: boolean;
  full?: boolean;
  /** What was audited, e.g. the graph file name. */
  title?: string;
  /** Fit every line to this many columns (see wrap.ts). */
  width?: number;
}

const SITE_ROWS = 15;
const PER_RULE = 5;

export function renderAuditHuman(r: AuditResult, opts: AuditTextOptions = {}): string {
  const tables = new Set<string>();
  return fitLines(auditLines(r, opts, tables), tables, opts.width);
}

/** Entities of no boundary entity, in two counts that add up: those above the boundary, and the no-site findings. */
function globalLine(r: AuditResult, b: string): string | undefined {
  const g = r.graph;
  if (!g.global) return undefined;
  const noSite = r.findings.filter((f) => f.rule === 'no-site' && f.entities.length).length;
  const above = g.global - noSite;
  const belong = `${plural(g.global, 'entity belongs', 'entities belong')} to no ${b}`;
  if (!g.sites || above <= 0) return belong;
  return `${belong}: ${fmt(above)} above the ${b} entities (what they belong to), ${fmt(noSite)} listed under no-site`;
}

function auditLines(r: AuditResult, opts: AuditTextOptions, tables: Set<string>): string[] {
  const table = (lines: string[]) => {
    for (const l of lines) tables.add(l);
    return lines;
  };
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  const g = r.graph;
  const b = clean(r.boundary);
  const open = r.findings.filter((f) => !f.accepted).length;
  const badge = r.gate ? (r.gate.verdict === 'pass' ? c.green.bold('PASS') : c.red.bold('FAIL')) : c.bold('AUDIT');
  out.push(
    `${badge}  ${opts.title ? `${clean(opts.title)}: ` : ''}${plural(g.entities, 'entity', 'entities')} (${fmt(g.sites)} of type ${b}), ${plural(g.relations, 'relation')}; ${plural(open, 'structural risk')}${r.gate?.accepted ? ` (+${fmt(r.gate.accepted)} accepted by the baseline)` : ''}`,
  );
  const global = globalLine(r, b);
  if (global) out.push(c.dim(`      ${global}`));

  if (r.sites.length) {
    out.push('', c.bold(`Blast radius of each ${b} (deleting it alone)`));
    const shown = opts.full ? r.sites : r.sites.slice(0, SITE_ROWS);
    const rows = shown.map((s) => [nameOf(s), fmt(s.deleted), fmt(s.otherSites), fmt(s.sitesDeleted), fmt(s.shared)]);
    const head = [b, 'deletes', `other ${b} hit`, `${b} deleted`, 'shared deleted'];
    out.push(...table(textTable(head, rows, [false, true, true, true, true], '  ', { width: opts.width, short: shown.map((s) => clean(s.id)) })));
    if (rows.length < r.sites.length) out.push(c.dim(`  … and ${fmt(r.sites.length - rows.length)} more (--full shows all)`));
  }
  if (r.types.length) {
    out.push('', c.bold('Blast radius by type (one entity deleted alone)'));
    const rows = r.types.map((t) => [
      clean(t.type),
      fmt(t.entities) + (t.measured < t.entities ? `*` : ''),
      fmt(t.largest.deleted),
      fmt(t.median),
      fmt(t.p95),
      fmt(t.largest.sitesDeleted),
    ]);
    out.push(...table(textTable(['type', 'entities', 'largest', 'median', 'p95', `${b} deleted`], rows, [false, true, true, true, true, true])));
    if (r.types.some((t) => t.measured < t.entities)) out.push(c.dim('  * measured on a spread sample of that type (see --format json: measured)'));
    const big = r.types.filter((t) => t.largest.deleted > 1).slice(0, 3);
    for (const t of big) out.push(c.dim(`  ${typeSentence(t, b)}`));
  }

  out.push('', c.bold('Structural risks'));
  for (const [rule, list] of groupFindings(r.findings)) {
    const open = list.filter((f) => !f.accepted);
    const accepted = list.length - open.length;
    const failing = r.gate?.failOn.includes(rule) ?? false;
    const mark = open.length === 0 ? c.green('✔') : failing ? c.red('✖') : c.yellow('!');
    const extra = accepted ? c.dim(` +${fmt(accepted)} accepted`) : '';
    out.push('', `${mark} ${c.bold(rule)} ${c.dim(`— ${inBoundaryWords(AUDIT_RULE_HELP[rule], r.boundary)}`)} (${fmt(open.length)}${extra})`);
    if (!open.length) continue;
    const byRelation = relationDigest(open);
    if (byRelation) out.push(c.dim(`  ${byRelation}`));
    const shown = opts.full ? open : open.slice(0, PER_RULE);
    for (const f of shown) {
      out.push(`  ${clean(f.message)}`);
      for (const rel of f.relations.slice(0, 3)) out.push(c.dim(`    ${clean(rel.from)} —${clean(rel.type)} (${rel.onDelete})→ ${clean(rel.to)}`));
      if (f.relations.length > 3) out.push(c.dim(`    … and ${fmt(f.relations.length - 3)} more relations`));
    }
    if (shown.length < open.length) out.push(c.dim(`  … and ${fmt(open.length - shown.length)} more ${rule} (--full or --format json shows all)`));
  }
  if (r.gate) {
    out.push('');
    if (r.gate.stale.length)
      out.push(
        c.yellow(
          `Baseline: ${plural(r.gate.stale.length, 'entry', 'entries')} match no finding any more and can be removed: ${r.gate.stale.slice(0, 5).map(clean).join(', ')}${r.gate.stale.length > 5 ? ', …' : ''}`,
        ),
      );
    out.push(
      r.gate.verdict === 'pass'
        ? c.green(`No open risk of the gated rules (${r.gate.failOn.join(', ') || 'none'}).`)
        : c.red(
            `${plural(r.gate.failing, 'open risk')} of the gated rules (${r.gate.failOn.join(', ')}); accept them in a baseline (--write-baseline) or fix them.`,
          ),
    );
  }
  return out;
}
