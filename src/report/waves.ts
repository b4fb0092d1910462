// The canary waves of an approved plan, as a short table for a terminal or a pull-request comment. Pure.
import type { ApprovedPlan } from '../engine/approved.js';
import { clean, countsText, fmt, ofType, plural } from './common.js';
import { mdText } from './text.js';
import { wrapText } from './wrap.js';

/** `boundary`: the graph's boundary type (default site), by which waves are cut; `width`: fit human lines to it. */
export function renderWaves(p: ApprovedPlan, format: 'human' | 'markdown', opts: { boundary?: string; width?: number } = {}): string {
  const waves = p.waves ?? [];
  const boundary = opts.boundary ?? 'site';
  const b = clean(boundary);
  if (!waves.length) return '';
  const siteText = (sites: string[]) => {
    const named = sites.map((s) => (s === '' ? `(no ${b})` : s));
    return named.length <= 3 ? named.join(', ') : `${named.slice(0, 3).join(', ')} and ${fmt(named.length - 3)} more`;
  };
  if (format === 'markdown') {
    const bc = mdText(boundary, true);
    const out = [
      '',
      `#### Waves (smallest first, by ${mdText(boundary)} entities)`,
      '',
      `| wave | of type ${bc} | targets | deleted | digest |`,
      '|---:|---|---:|---|---|',
    ];
    for (const w of waves) {
      const deleted = `${fmt(w.deleted.length)}${w.deleted.length ? ` — ${mdText(countsText(w.byType), true)}` : ''}`;
      out.push(
        `| ${w.wave} | ${fmt(w.sites.length)}: ${mdText(siteText(w.sites), true)} | ${fmt(w.roots.length)} | ${deleted} | \`${w.digest.slice(0, 19)}…\` |`,
      );
    }
    return out.join('\n') + '\n';
  }
  const out = ['', `Waves (smallest first, by ${b} entities; verify one with --wave N)`];
  for (const w of waves) {
    out.push(
      `  wave ${w.wave} [${clean(w.spec)}]: ${ofType(w.sites.length, boundary)} (${clean(siteText(w.sites))}), ${plural(w.roots.length, 'target')}, ` +
        `deletes ${fmt(w.deleted.length)}${w.deleted.length ? ` (${countsText(w.byType)})` : ''}`,
      // Two spaces in: a digest line is 80 columns, whole in a window of 80.
      `  digest ${w.digest}`,
    );
  }
  return wrapText(out.join('\n') + '\n', opts.width);
}
