// Markdown report for a pull-request comment.
import type { ChainLink, PlanResult } from '../engine/result.js';
import { elideChain, elidedText, isElided, joinPieces, linePieces, type Pieces } from './pieces.js';
import { clean, countsText, fmt, groupViolations, headline, plural, RULE_HELP } from './common.js';

/** Escapes text for a Markdown table cell or paragraph: no markup, no HTML, no table breaks. */
export function mdEscape(s: string): string {
  return clean(s).replace(/[\\`*_{}[\]()#+!|<>&~-]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

function mdEntity(e: { id: string; name?: string; type: string }): string {
  return `\`${clean(e.id).replace(/`/g, "'")}\`${e.name ? ` ${mdEscape(e.name)}` : ''} (${mdEscape(e.type)})`;
}

/** A chain on one line; a long one by its ends and a count of the links between unless `full`. */
function mdChain(chain: ChainLink[], full = false): string {
  return elideChain(chain, full)
    .map((l, i) => (isElided(l) ? `← ${elidedText(l)}` : i === 0 ? mdEntity(l) : `← ${mdEscape(l.relation ?? '')} ← ${mdEntity(l)}`))
    .join(' ');
}

export interface MarkdownOptions {
  title?: string;
  full?: boolean;
}

export function renderMarkdown(result: PlanResult, opts: MarkdownOptions = {}): string {
  return joinPieces(markdownPieces(result, opts));
}

/** The report as pieces (its lines): a --full report of millions of rows is never one string. */
export function markdownPieces(result: PlanResult, opts: MarkdownOptions = {}): Pieces {
  const pass = result.verdict === 'pass';
  const out: string[] = [];
  out.push(`### ${pass ? '✅ blastguard: pass' : '❌ blastguard: FAIL'}${opts.title ? ` — ${mdEscape(opts.title)}` : ''}`);
  out.push('', mdEscape(headline(result)) + '.', '');
  const s = result.summary;
  out.push('| | |', '|---|---|');
  out.push(`| Targets | ${fmt(result.roots.length)} |`);
  out.push(`| Deleted | ${fmt(s.deleted)}${s.deleted ? `: ${mdEscape(countsText(s.byType))}` : ''} |`);
  out.push(`| ${mdEscape(result.boundary)}s reached | ${fmt(s.sites.length)} (${fmt(s.sites.filter((x) => x.siteDeleted).length)} deleted) |`);
  out.push(`| Detached | ${fmt(s.detached)} |`, `| Spared | ${fmt(s.spared)} |`, `| Violations | ${fmt(result.violations.length)} |`);
  if (s.sites.length) {
    out.push('', `| ${mdEscape(result.boundary)} | name | deleted entities | ${mdEscape(result.boundary)} deleted |`, '|---|---|---:|---|');
    const rows = opts.full ? s.sites : s.sites.slice(0, 20);
    for (const site of rows) out.push(`| \`${clean(site.id).replace(/`/g, "'")}\` | ${mdEscape(site.name ?? '')} | ${fmt(site.deleted)} | ${site.siteDeleted ? '**yes**' : 'no'} |`);
    if (rows.length < s.sites.length) out.push(`| … | ${fmt(s.sites.length - rows.length)} more | | |`);
  }
  if (result.violations.length) {
    out.push('', '#### Violations');
    for (const [rule, list] of groupViolations(result)) {
      out.push('', `**${rule}** — ${RULE_HELP[rule]} (${fmt(list.length)})`, '');
      const shown = opts.full ? list : list.slice(0, 10);
      for (const v of shown) {
        out.push(`- ${mdEscape(v.message)}`);
        if (v.chain.length > 1) out.push(`  <br>chain: ${mdChain(v.chain, opts.full)}`);
      }
      if (shown.length < list.length) out.push(`- … and ${fmt(list.length - shown.length)} more`);
    }
  }
  if (result.deleted.length) {
    const rows = opts.full ? result.deleted : result.deleted.slice(0, 200);
    out.push('', `<details><summary>Deleted entities (${fmt(result.deleted.length)})</summary>`, '');
    out.push('| id | type | name | depth | via |', '|---|---|---|---:|---|');
    for (const d of rows) {
      out.push(`| \`${clean(d.id).replace(/`/g, "'")}\` | ${mdEscape(d.type)} | ${mdEscape(d.name ?? '')} | ${d.depth} | ${d.via ? `${mdEscape(d.via.relation)} → \`${clean(d.via.principal).replace(/`/g, "'")}\`` : 'target'} |`);
    }
    if (rows.length < result.deleted.length) out.push(`| … | | ${fmt(result.deleted.length - rows.length)} more | | |`);
    out.push('', '</details>');
  }
  out.push('', plural(result.violations.length, 'violation') + (pass ? ': this deletion stays inside its intent.' : ': this deletion must not run as it stands.'));
  return linePieces(out);
}
