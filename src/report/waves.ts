// The canary waves of an approved plan, as a short table for a terminal or a pull-request comment. Pure.
import type { ApprovedPlan } from '../engine/approved.js';
import { clean, countsText, fmt, plural } from './common.js';
import { mdText } from './text.js';

export function renderWaves(p: ApprovedPlan, format: 'human' | 'markdown'): string {
  const waves = p.waves ?? [];
  if (!waves.length) return '';
  const siteText = (sites: string[]) => {
    const named = sites.map((s) => (s === '' ? '(no site)' : s));
    return named.length <= 3 ? named.join(', ') : `${named.slice(0, 3).join(', ')} and ${fmt(named.length - 3)} more`;
  };
  if (format === 'markdown') {
    const out = ['', '#### Waves (smallest sites first)', '', '| wave | sites | targets | deleted | digest |', '|---:|---|---:|---|---|'];
    for (const w of waves) {
      const deleted = `${fmt(w.deleted.length)}${w.deleted.length ? `: ${mdText(countsText(w.byType), true)}` : ''}`;
      out.push(
        `| ${w.wave} | ${fmt(w.sites.length)}: ${mdText(siteText(w.sites), true)} | ${fmt(w.roots.length)} | ${deleted} | \`${w.digest.slice(0, 19)}…\` |`,
      );
    }
    return out.join('\n') + '\n';
  }
  const out = ['', `Waves (smallest sites first; verify one with --wave N)`];
  for (const w of waves) {
    out.push(
      `  wave ${w.wave} [${clean(w.spec)}]: ${plural(w.sites.length, 'site')} (${clean(siteText(w.sites))}), ${plural(w.roots.length, 'target')}, ` +
        `deletes ${fmt(w.deleted.length)}${w.deleted.length ? ` (${countsText(w.byType)})` : ''}`,
      `    digest ${w.digest}`,
    );
  }
  return out.join('\n') + '\n';
}
