// Human-readable diff of two graphs: what the change does to deletions.
import { Chalk } from 'chalk';
import { AUDIT_RULES } from '../engine/audit.js';
import type { DiffResult } from '../engine/diff.js';
import { clean, fmt, nameOf, ofType } from './common.js';
import { fitLines, textTable } from './audit-text.js';
import { changeText, countsDelta, onDeleteText } from './diff-text.js';

export interface DiffTextOptions {
  color?: boolean;
  full?: boolean;
  /** "before.json → after.json" */
  title?: string;
  /** Fit every line to this many columns (see wrap.ts). */
  width?: number;
}

const SITE_ROWS = 15;
const PER_LIST = 5;

export function renderDiffHuman(d: DiffResult, opts: DiffTextOptions = {}): string {
  const tables = new Set<string>();
  return fitLines(diffLines(d, opts, tables), tables, opts.width);
}

function diffLines(d: DiffResult, opts: DiffTextOptions, tables: Set<string>): string[] {
  const table = (lines: string[]) => {
    for (const l of lines) tables.add(l);
    return lines;
  };
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  const b = clean(d.boundary);
  const badge = d.gate ? (d.gate.verdict === 'pass' ? c.green.bold('PASS') : c.red.bold('FAIL')) : c.bold('DIFF');
  out.push(
    `${badge}  ${opts.title ? `${clean(opts.title)}: ` : ''}entities ${fmt(d.before.entities)} → ${fmt(d.after.entities)}, relations ${fmt(d.before.relations)} → ${fmt(d.after.relations)}, of type ${b} ${fmt(d.before.sites)} → ${fmt(d.after.sites)}`,
  );

  out.push('', c.bold('onDelete changes'));
  if (!d.onDelete.length) out.push(c.dim('  none'));
  for (const o of d.onDelete) out.push(`  ${onDeleteText(o, d.boundary)}`);

  const del = d.deletable;
  const parts = [countsDelta(del.added, '+'), countsDelta(del.removed, '−')].filter(Boolean).join(', ');
  out.push('', `${c.bold(`Deletable by deleting a single ${b} entity`)}  ${fmt(del.before)} → ${fmt(del.after)}${parts ? ` (${parts})` : ''}`);

  const changed = d.sites.filter((s) => s.delta !== 0 || s.before === null || s.after === null);
  out.push('', c.bold(`Blast radius of each ${b}`) + c.dim(`  (${fmt(changed.length)} changed, ${fmt(d.unchangedSites)} unchanged)`));
  if (changed.length) {
    const shown = opts.full ? changed : changed.slice(0, SITE_ROWS);
    const failing = new Set(d.gate?.failing ?? []);
    const rows = shown.map((s) => [
      nameOf(s),
      s.before === null ? '—' : fmt(s.before),
      s.after === null ? '—' : fmt(s.after),
      changeText(s) + (failing.has(s.id) ? ' ✖' : ''),
    ]);
    out.push(
      ...table(textTable([b, 'before', 'after', 'change'], rows, [false, true, true, true], '  ', { width: opts.width, short: shown.map((s) => clean(s.id)) })),
    );
    if (shown.length < changed.length) out.push(c.dim(`  … and ${fmt(changed.length - shown.length)} more (--full shows all)`));
  }

  const typeRows = d.types.filter((t) => JSON.stringify(t.before) !== JSON.stringify(t.after));
  if (typeRows.length) {
    out.push('', c.bold('Blast radius by type (largest / p95, one entity deleted alone)'));
    const rows = typeRows.map((t) => [
      clean(t.type),
      t.before ? `${fmt(t.before.largest)} / ${fmt(t.before.p95)}` : '—',
      t.after ? `${fmt(t.after.largest)} / ${fmt(t.after.p95)}` : '—',
    ]);
    out.push(...table(textTable(['type', 'before', 'after'], rows, [false, true, true])));
  }

  const f = d.findings;
  out.push('', c.bold('Structural risks') + `  ${fmt(f.added.length)} new, ${fmt(f.removed.length)} removed`);
  for (const rule of AUDIT_RULES) {
    if (f.before[rule] === f.after[rule] && !f.added.some((x) => x.rule === rule)) continue;
    out.push(`  ${rule}: ${fmt(f.before[rule])} → ${fmt(f.after[rule])}`);
  }
  const list = (items: typeof f.added, sign: string) => {
    const shown = opts.full ? items : items.slice(0, PER_LIST);
    for (const x of shown) out.push(`  ${sign} ${x.rule}: ${clean(x.message)}`);
    if (shown.length < items.length) out.push(c.dim(`  … and ${fmt(items.length - shown.length)} more (--full shows all)`));
  };
  list(f.added, c.red('+'));
  list(f.removed, c.green('−'));

  if (d.gate) {
    out.push('');
    out.push(
      d.gate.verdict === 'pass'
        ? c.green(`No ${b} entity's blast radius grew by more than ${d.gate.failOnGrowth}%.`)
        : c.red(
            `${ofType(d.gate.failing.length, d.boundary)} grew by more than ${d.gate.failOnGrowth}%: ${d.gate.failing.slice(0, 5).map(clean).join(', ')}${d.gate.failing.length > 5 ? ', …' : ''}`,
          ),
    );
  }
  return out;
}
