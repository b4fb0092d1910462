// Explains one entity's part in a plan: the chain that deletes it, or why it survives.
import { Chalk } from 'chalk';
import { chainFromResult, type ChainLink, type PlanResult } from '../engine/result.js';
import { chainLines } from './human.js';
import { clean } from './common.js';
import { mdEntity } from './markdown.js';
import { mdCode, mdText } from './text.js';

export type WhyAnswer =
  | { id: string; status: 'deleted'; chain: ChainLink[] }
  | { id: string; status: 'detached'; links: { relation: string; to: string }[]; chains: ChainLink[][] }
  | { id: string; status: 'spared'; relation: string; keptBy: string; deletedOwners: string[] }
  | { id: string; status: 'unaffected' }
  | { id: string; status: 'unknown' };

/** Pure: derives the answer from a plan result; `known` says whether the ID exists in the graph. */
export function explain(result: PlanResult, id: string, known: boolean): WhyAnswer {
  if (result.deleted.some((d) => d.id === id)) return { id, status: 'deleted', chain: chainFromResult(result, id) };
  const det = result.detached.find((d) => d.id === id);
  if (det) return { id, status: 'detached', links: det.links, chains: det.links.map((l) => chainFromResult(result, l.to)) };
  const sp = result.spared.find((d) => d.id === id);
  if (sp) return { id, status: 'spared', relation: sp.relation, keptBy: sp.keptBy, deletedOwners: sp.deletedOwners };
  return known ? { id, status: 'unaffected' } : { id, status: 'unknown' };
}

export function renderWhy(answer: WhyAnswer, format: string, color = false): string {
  if (format === 'json') return JSON.stringify(answer, null, 2) + '\n';
  const c = new Chalk({ level: color ? 1 : 0 });
  const md = format === 'markdown';
  // Text and IDs from the input: Markdown-escaped (IDs in code spans) for a comment, made visible for a terminal.
  const t = md ? (s: string) => mdText(s) : clean;
  const code = md ? (s: string) => mdCode(s) : clean;
  const id = code(answer.id);
  switch (answer.status) {
    case 'deleted': {
      const last = answer.chain[answer.chain.length - 1];
      const head = answer.chain.length === 1 ? `${id} is a target of this plan.` : `${id} would be deleted, through ${answer.chain.length - 1} relation${answer.chain.length > 2 ? 's' : ''}:`;
      if (md) return `${head}\n\n${answer.chain.map((l, i) => `${'  '.repeat(i)}- ${mdEntity(l)}${l.relation ? `  ${mdText(l.relation)}${l.onDelete ? `, ${l.onDelete}` : ''}` : ''}`).join('\n')}\n`;
      return `${head}\n${chainLines(answer.chain, c, '  ').join('\n')}\n${answer.chain.length > 1 ? c.dim(`  (each entity depends on the one above it; ${clean(last.relation ?? '')} is ${last.onDelete ?? ''}, so deleting ${clean(answer.chain[answer.chain.length - 2].id)} deletes it)\n`) : ''}`;
    }
    case 'detached':
      return `${id} survives, but loses ${answer.links.map((l) => `its ${t(l.relation)} relation to ${code(l.to)}`).join(' and ')}, which would be deleted.\n` +
        (md ? '' : answer.chains.map((ch) => chainLines(ch, c, '  ').join('\n')).join('\n') + '\n');
    case 'spared':
      return `${id} survives: it is kept by ${code(answer.keptBy)} (${t(answer.relation)}, last-owner), though ${answer.deletedOwners.map(code).join(', ')} would be deleted.\n`;
    case 'unaffected':
      return `${id} is not part of this plan: deleting these targets neither deletes nor changes it.\n`;
    case 'unknown':
      return `${id} is not in the graph.\n`;
  }
}
