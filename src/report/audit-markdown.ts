// Markdown audit, for a pull-request comment or a review document.
import { AUDIT_RULE_HELP, type AuditResult } from '../engine/audit.js';
import { fmt, inBoundaryWords, plural } from './common.js';
import { groupFindings, relationDigest, typeSentence } from './audit-text.js';
import { mdCode, mdText } from './text.js';

export function renderAuditMarkdown(r: AuditResult, opts: { title?: string; full?: boolean } = {}): string {
  const out: string[] = [];
  const g = r.graph;
  // The boundary name, in text and in a table cell.
  const b = mdText(r.boundary);
  const bc = mdText(r.boundary, true);
  const open = r.findings.filter((f) => !f.accepted).length;
  const head = r.gate ? (r.gate.verdict === 'pass' ? '✅ blastguard audit: pass' : '❌ blastguard audit: FAIL') : 'blastguard audit';
  out.push(`### ${head}${opts.title ? ` — ${mdText(opts.title)}` : ''}`, '');
  out.push(
    mdText(
      `${plural(g.entities, 'entity', 'entities')}, ${plural(g.relations, 'relation')}, ${fmt(g.sites)} of type ${b} (${fmt(g.global)} global); ${plural(open, 'open structural risk')}`,
    ) + '.',
  );
  if (r.sites.length) {
    out.push(
      '',
      `#### Blast radius of each ${b}`,
      '',
      `| ${bc} | name | deletes | other ${bc} hit | ${bc} deleted | shared deleted |`,
      '|---|---|---:|---:|---:|---:|',
    );
    const rows = opts.full ? r.sites : r.sites.slice(0, 20);
    for (const s of rows)
      out.push(
        `| ${mdCode(s.id, true)} | ${mdText(s.name ?? '', true)} | ${fmt(s.deleted)} | ${fmt(s.otherSites)} | ${fmt(s.sitesDeleted)} | ${fmt(s.shared)} |`,
      );
    if (rows.length < r.sites.length) out.push(`| … | ${fmt(r.sites.length - rows.length)} more | | | | |`);
  }
  if (r.types.length) {
    out.push(
      '',
      '#### Blast radius by type (one entity deleted alone)',
      '',
      `| type | entities | largest | median | p95 | ${bc} deleted | largest example |`,
      '|---|---:|---:|---:|---:|---:|---|',
    );
    for (const t of r.types) {
      out.push(
        `| ${mdText(t.type, true)} | ${fmt(t.entities)}${t.measured < t.entities ? ` (${fmt(t.measured)} measured)` : ''} | ${fmt(t.largest.deleted)} | ${fmt(t.median)} | ${fmt(t.p95)} | ${fmt(t.largest.sitesDeleted)} | ${mdCode(t.largest.id, true)} |`,
      );
    }
    const big = r.types.find((t) => t.largest.deleted > 1);
    if (big) out.push('', mdText(typeSentence(big, r.boundary)) + '.');
  }
  out.push('', '#### Structural risks');
  for (const [rule, list] of groupFindings(r.findings)) {
    const open = list.filter((f) => !f.accepted);
    const failing = r.gate?.failOn.includes(rule) ?? false;
    const mark = open.length === 0 ? '✅' : failing ? '❌' : '⚠️';
    const accepted = list.length - open.length;
    out.push(
      '',
      `${mark} **${rule}** — ${mdText(inBoundaryWords(AUDIT_RULE_HELP[rule], r.boundary))} (${fmt(open.length)}${accepted ? `, ${fmt(accepted)} accepted` : ''})`,
    );
    if (!open.length) continue;
    const digest = relationDigest(open);
    if (digest) out.push('', `_${mdText(digest)}_`);
    out.push('');
    const shown = opts.full ? open : open.slice(0, 10);
    for (const f of shown) {
      out.push(`- ${mdText(f.message)}`);
      if (f.relations.length)
        out.push(
          `  <br>${f.relations
            .slice(0, 3)
            .map((rel) => `${mdCode(rel.from)} ${mdText(rel.type)} (${rel.onDelete}) → ${mdCode(rel.to)}`)
            .join('; ')}${f.relations.length > 3 ? ' …' : ''}`,
        );
    }
    if (shown.length < open.length) out.push(`- … and ${fmt(open.length - shown.length)} more`);
  }
  if (r.gate) {
    out.push('');
    if (r.gate.stale.length) out.push(`Baseline: ${plural(r.gate.stale.length, 'entry', 'entries')} match no finding any more and can be removed.`, '');
    out.push(
      r.gate.verdict === 'pass'
        ? `No open risk of the gated rules (${r.gate.failOn.join(', ') || 'none'}).`
        : `${plural(r.gate.failing, 'open risk')} of the gated rules (${r.gate.failOn.join(', ')}).`,
    );
  }
  return out.join('\n') + '\n';
}
