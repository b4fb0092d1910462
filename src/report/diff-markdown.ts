// Markdown diff, for the pull request that changes the schema or the data.
import { AUDIT_RULES } from '../engine/audit.js';
import type { DiffResult } from '../engine/diff.js';
import { fmt, ofType } from './common.js';
import { changeText, countsDelta, onDeleteText } from './diff-text.js';
import { mdCode, mdText } from './text.js';

export function renderDiffMarkdown(d: DiffResult, opts: { title?: string; full?: boolean } = {}): string {
  const out: string[] = [];
  // The boundary name, in text and in a table cell.
  const b = mdText(d.boundary);
  const bc = mdText(d.boundary, true);
  const head = d.gate ? (d.gate.verdict === 'pass' ? '✅ blastguard diff: pass' : '❌ blastguard diff: FAIL') : 'blastguard diff';
  out.push(`### ${head}${opts.title ? ` — ${mdText(opts.title)}` : ''}`, '');
  out.push(`| | before | after |`, '|---|---:|---:|');
  out.push(
    `| entities | ${fmt(d.before.entities)} | ${fmt(d.after.entities)} |`,
    `| relations | ${fmt(d.before.relations)} | ${fmt(d.after.relations)} |`,
    `| of type ${bc} | ${fmt(d.before.sites)} | ${fmt(d.after.sites)} |`,
  );
  out.push(`| deletable by deleting a single ${bc} entity | ${fmt(d.deletable.before)} | ${fmt(d.deletable.after)} |`);
  if (d.onDelete.length) {
    out.push('', '#### onDelete changes', '');
    for (const o of d.onDelete) out.push(`- ${mdText(onDeleteText(o, d.boundary))}`);
  }
  const parts = [countsDelta(d.deletable.added, '+'), countsDelta(d.deletable.removed, '−')].filter(Boolean).join(', ');
  if (parts) out.push('', `Deletable by deleting a single ${b} entity: ${mdText(parts)}.`);
  const changed = d.sites.filter((s) => s.delta !== 0 || s.before === null || s.after === null);
  out.push('', `#### Blast radius of each ${b} (${fmt(changed.length)} changed, ${fmt(d.unchangedSites)} unchanged)`);
  if (changed.length) {
    out.push('', `| ${bc} | name | before | after | change |`, '|---|---|---:|---:|---:|');
    const rows = opts.full ? changed : changed.slice(0, 20);
    const failing = new Set(d.gate?.failing ?? []);
    for (const s of rows)
      out.push(
        `| ${mdCode(s.id, true)} | ${mdText(s.name ?? '', true)} | ${s.before === null ? '—' : fmt(s.before)} | ${s.after === null ? '—' : fmt(s.after)} | ${changeText(s)}${failing.has(s.id) ? ' ❌' : ''} |`,
      );
    if (rows.length < changed.length) out.push(`| … | ${fmt(changed.length - rows.length)} more | | | |`);
  }
  const f = d.findings;
  out.push('', `#### Structural risks: ${fmt(f.added.length)} new, ${fmt(f.removed.length)} removed`, '');
  out.push('| rule | before | after |', '|---|---:|---:|');
  for (const rule of AUDIT_RULES) out.push(`| ${rule} | ${fmt(f.before[rule])} | ${fmt(f.after[rule])} |`);
  const list = (items: typeof f.added, sign: string) => {
    const shown = opts.full ? items : items.slice(0, 10);
    for (const x of shown) out.push(`- ${sign} **${x.rule}**: ${mdText(x.message)}`);
    if (shown.length < items.length) out.push(`- … and ${fmt(items.length - shown.length)} more`);
  };
  if (f.added.length || f.removed.length) out.push('');
  list(f.added, 'new');
  list(f.removed, 'removed');
  if (d.gate) {
    out.push(
      '',
      d.gate.verdict === 'pass'
        ? `No ${b} entity's blast radius grew by more than ${d.gate.failOnGrowth}%.`
        : `${mdText(ofType(d.gate.failing.length, d.boundary))} grew by more than ${d.gate.failOnGrowth}%.`,
    );
  }
  return out.join('\n') + '\n';
}
