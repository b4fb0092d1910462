// Markdown report for a pull-request comment. Every string from the input goes through mdText (plain text) or
// mdCode (an ID in a code span), with `cell` set inside a table (text.ts says why that differs).
import type { ChainLink, PlanResult } from '../engine/result.js';
import { elideChain, elidedText, isElided, joinPieces, linePieces, type Pieces } from './pieces.js';
import { countsText, wholeChains, fmt, groupViolations, headline, plural, ruleCounts, ruleHelp } from './common.js';
import { mdCode, mdEntity, mdText } from './text.js';

/** A chain on one line of a list item (never inside a table); a long one by its ends and a count of the links between unless `full`. */
export function mdChain(chain: ChainLink[], full = false, length = chain.length): string {
  return elideChain(chain, full, length)
    .map((l, i) => (isElided(l) ? `← ${mdText(elidedText(l))}` : i === 0 ? mdEntity(l) : `← ${mdText(l.relation ?? '')} ← ${mdEntity(l)}`))
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
  out.push(`### ${pass ? '✅ blastguard: pass' : '❌ blastguard: FAIL'}${opts.title ? ` — ${mdText(opts.title)}` : ''}`);
  out.push('', mdText(headline(result)) + '.', '');
  const s = result.summary;
  out.push('| | |', '|---|---|');
  out.push(`| Targets | ${fmt(result.roots.length)} |`);
  out.push(`| Deleted | ${fmt(s.deleted)}${s.deleted ? ` — ${mdText(countsText(s.byType), true)}` : ''} |`);
  out.push(`| Reached of type ${mdText(result.boundary, true)} | ${fmt(s.sites.length)} (${fmt(s.sites.filter((x) => x.siteDeleted).length)} deleted) |`);
  out.push(`| Detached | ${fmt(s.detached)} |`, `| Spared | ${fmt(s.spared)} |`, `| Violations | ${fmt(result.violations.length)} |`);
  if (s.sites.length) {
    out.push('', `| ${mdText(result.boundary, true)} | name | deleted entities | ${mdText(result.boundary, true)} deleted |`, '|---|---|---:|---|');
    const rows = opts.full ? s.sites : s.sites.slice(0, 20);
    for (const site of rows)
      out.push(`| ${mdCode(site.id, true)} | ${mdText(site.name ?? '', true)} | ${fmt(site.deleted)} | ${site.siteDeleted ? '**yes**' : 'no'} |`);
    if (rows.length < s.sites.length) out.push(`| … | ${fmt(s.sites.length - rows.length)} more | | |`);
  }
  if (result.violations.length) {
    out.push('', '#### Violations');
    const wholeChain = wholeChains(result);
    for (const [rule, list] of groupViolations(result)) {
      out.push('', `**${rule}** — ${mdText(ruleHelp(rule, result.boundary))} (${fmt(list.length)})`, '');
      const shown = opts.full ? list : list.slice(0, 10);
      for (const v of shown) {
        out.push(`- ${mdText(v.message)}`);
        const whole = opts.full ? wholeChain(v) : undefined;
        if (v.chain.length > 1) out.push(`  <br>chain: ${whole ? mdChain(whole, true) : mdChain(v.chain, opts.full, v.chainLength)}`);
      }
      if (shown.length < list.length) out.push(`- … and ${fmt(list.length - shown.length)} more`);
    }
  }
  if (result.deleted.length) {
    const rows = opts.full ? result.deleted : result.deleted.slice(0, 200);
    out.push('', `<details><summary>Deleted entities (${fmt(result.deleted.length)})</summary>`, '');
    out.push('| id | type | name | depth | via |', '|---|---|---|---:|---|');
    for (const d of rows) {
      out.push(
        `| ${mdCode(d.id, true)} | ${mdText(d.type, true)} | ${mdText(d.name ?? '', true)} | ${d.depth} | ${d.via ? `${mdText(d.via.relation, true)} → ${mdCode(d.via.principal, true)}` : 'target'} |`,
      );
    }
    if (rows.length < result.deleted.length) out.push(`| … | | ${fmt(result.deleted.length - rows.length)} more | | |`);
    out.push('', '</details>');
  }
  out.push(
    '',
    plural(result.violations.length, 'violation') +
      (pass ? ': this deletion stays inside its intent.' : ` (${mdText(ruleCounts(result))}): this deletion must not run as it stands.`),
  );
  return linePieces(out);
}
