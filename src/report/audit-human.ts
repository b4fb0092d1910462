// Human-readable audit for a terminal: the verdict (when gated), the blast radius tables, then each risk with the
// relations that cause it.
import { Chalk } from 'chalk';
import { AUDIT_RULE_HELP, AUDIT_RULES, type AuditFinding, type AuditResult, type AuditRule, type TypeRadius } from '../engine/audit.js';
import { clean, fmt, inBoundaryWords, nameOf, plural } from './common.js';
import { wrapText } from './wrap.js';

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

/**
 * Columns padded to their widest cell; `right` marks the right-aligned (numeric) columns. A table is never wrapped
 * (a wrapped row is unreadable): when it is wider than `fit.width`, the first column shows `fit.short` instead (IDs
 * without their names).
 */
export function textTable(head: string[], rows: string[][], right: boolean[], indent = '  ', fit: { width?: number; short?: string[] } = {}): string[] {
  const widths = (rs: string[][]) => head.map((h, i) => Math.max(h.length, ...rs.map((r) => r[i].length)));
  let width = widths(rows);
  const total = indent.length + width.reduce((a, w) => a + w, 0) + 2 * (head.length - 1);
  if (fit.width && fit.short && total > fit.width) {
    const short = fit.short;
    rows = rows.map((r, k) => [short[k], ...r.slice(1)]);
    width = widths(rows);
  }
  const line = (r: string[]) =>
    indent +
    r
      .map((c, i) => (right[i] ? c.padStart(width[i]) : c.padEnd(width[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

export function typeSentence(t: TypeRadius, boundary: string): string {
  const l = t.largest;
  const otherSites = t.type === boundary ? l.sitesDeleted - 1 : l.sitesDeleted;
  const sites =
    otherSites > 0
      ? `${t.type === boundary ? `${fmt(otherSites)} other` : fmt(otherSites)} ${otherSites === 1 ? 'entity' : 'entities'} of type ${boundary} and `
      : '';
  return `deleting one ${clean(t.type)} deletes up to ${sites}${plural(l.deleted, 'entity', 'entities')} (${nameOf(l)})`;
}

export function groupFindings(findings: AuditFinding[]): [AuditRule, AuditFinding[]][] {
  const groups = new Map<AuditRule, AuditFinding[]>(AUDIT_RULES.map((r) => [r, []]));
  for (const f of findings) groups.get(f.rule)!.push(f);
  return [...groups];
}

export function renderAuditHuman(r: AuditResult, opts: AuditTextOptions = {}): string {
  const tables = new Set<string>();
  return fitLines(auditLines(r, opts, tables), tables, opts.width);
}

/** The lines as text, each fitted to `width` but the table rows (see textTable). */
export function fitLines(lines: string[], tables: Set<string>, width: number | undefined): string {
  return lines.map((l) => (tables.has(l) ? l : wrapText(l, width))).join('\n') + '\n';
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

/** "CONNECTS (cascade) 2, MEMBER_OF (cascade) 20": the relation types behind a rule's findings. */
export function relationDigest(list: AuditFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of list) {
    for (const r of f.relations) {
      const k = `${r.type} (${r.onDelete})`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  if (counts.size === 0) return '';
  const types = new Map<string, number>();
  const seen = new Set<string>();
  for (const f of list) {
    const e = f.entities[0];
    if (!e || seen.has(e.id)) continue;
    seen.add(e.id);
    types.set(e.type, (types.get(e.type) ?? 0) + 1);
  }
  const rel = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, v]) => `${clean(k)} ${fmt(v)}`)
    .join(', ');
  const ents = [...types]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, v]) => `${clean(k)}: ${fmt(v)}`)
    .join(', ');
  return `relations: ${rel}; entities by type: ${ents}`;
}
