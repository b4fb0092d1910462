// What the diff reports share, whatever their format: signed numbers, a site's change, count deltas and the
// sentence for an onDelete change.
import type { OnDeleteChange, SiteChange } from '../engine/diff.js';
import { clean, countsText, fmt } from './common.js';

export function signed(n: number): string {
  return n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : '0';
}

export function changeText(s: SiteChange): string {
  if (s.before === null) return 'new';
  if (s.after === null) return 'removed';
  return `${signed(s.delta)}${s.growthPct !== null && s.delta !== 0 ? ` (${s.growthPct > 0 ? '+' : ''}${s.growthPct}%)` : ''}`;
}

export function countsDelta(counts: Record<string, number>, sign: string): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${clean(k)}: ${sign}${fmt(v)}`)
    .join(', ');
}

/**
 * An onDelete change in words, from its fields (the result's `message` keeps its wording for --format json): the
 * counts as "user: 9", the boundary by its declared type name.
 */
export function onDeleteText(o: OnDeleteChange, boundary: string): string {
  const single = `by deleting a single ${clean(boundary)} entity`;
  const parts: string[] = [];
  if (Object.keys(o.newlyDeletable).length) parts.push(`makes deletable ${single}: ${countsText(o.newlyDeletable)}`);
  if (Object.keys(o.noLongerDeletable).length) parts.push(`makes no longer deletable ${single}: ${countsText(o.noLongerDeletable)}`);
  const change = `${clean(o.type)}: ${o.before ?? '(not declared)'} → ${o.after ?? '(not declared)'}`;
  return `${change} ${parts.length ? parts.join('; and ') : `changes the deletion of no single ${clean(boundary)} entity`}`;
}
