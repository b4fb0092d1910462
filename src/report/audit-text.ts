// What the audit and diff reports share, whatever their format: tables for a terminal, the per-type sentence, the
// findings grouped by rule and the relation digest behind them (no reporter imports another reporter's module).
import { AUDIT_RULES, type AuditFinding, type AuditRule, type TypeRadius } from '../engine/audit.js';
import { clean, fmt, nameOf, plural } from './common.js';
import { wrapText } from './wrap.js';

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

/** The lines as text, each fitted to `width` but the table rows (see textTable). */
export function fitLines(lines: string[], tables: Set<string>, width: number | undefined): string {
  return lines.map((l) => (tables.has(l) ? l : wrapText(l, width))).join('\n') + '\n';
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
