// Explains one entity's part in a plan: the chain that deletes it, or why it survives.
import { Chalk } from 'chalk';
import { chainFromResult, type ChainLink, type PlanResult } from '../engine/result.js';
import { chainLines, clean, fmt } from './common.js';
import { elideChain, elidedText, INDENT_LIMIT, isElided, joinPieces, jsonLinePieces, linePieces } from './pieces.js';
import { mdEntity } from './text.js';
import { mdCode, mdText } from './text.js';
import { wrapPieces } from './wrap.js';

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

export function renderWhy(answer: WhyAnswer, format: string, color = false, full = false): string {
  return joinPieces(whyPieces(answer, format, { color, full }));
}

/**
 * The answer as pieces. A chain longer than a screen shows its ends and a count of the links between unless `full`
 * (then every link, the indentation capped): `why` on the last of 100,000 links answers in a few lines.
 */
export function* whyPieces(answer: WhyAnswer, format: string, opts: { color?: boolean; full?: boolean; width?: number } = {}): Generator<string> {
  yield* format === 'human' ? wrapPieces(answerPieces(answer, format, opts), opts.width) : answerPieces(answer, format, opts);
}

function* answerPieces(answer: WhyAnswer, format: string, opts: { color?: boolean; full?: boolean }): Generator<string> {
  if (format === 'json') {
    yield* jsonLinePieces(answer);
    return;
  }
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const md = format === 'markdown';
  // Text and IDs from the input: Markdown-escaped (IDs in code spans) for a comment, made visible for a terminal.
  const t = md ? (s: string) => mdText(s) : clean;
  const code = md ? (s: string) => mdCode(s) : clean;
  const id = code(answer.id);
  switch (answer.status) {
    case 'deleted': {
      const last = answer.chain[answer.chain.length - 1];
      const relations = answer.chain.length - 1;
      yield answer.chain.length === 1
        ? `${id} is a target of this plan.`
        : `${id} would be deleted, through ${fmt(relations)} relation${relations > 1 ? 's' : ''}:`;
      if (md) {
        yield '\n\n';
        const shown = elideChain(answer.chain, opts.full);
        for (let i = 0; i < shown.length; i++) {
          const l = shown[i];
          const text = isElided(l)
            ? mdText(elidedText(l))
            : `${mdEntity(l)}${l.relation ? `  ${mdText(l.relation)}${l.onDelete ? `, ${l.onDelete}` : ''}` : ''}`;
          yield `${'  '.repeat(Math.min(i, INDENT_LIMIT))}- ${text}\n`;
        }
        return;
      }
      yield '\n';
      yield* linePieces(chainLines(answer.chain, c, '  ', opts.full));
      if (answer.chain.length > 1)
        yield c.dim(
          `  (each entity depends on the one above it; ${clean(last.relation ?? '')} is ${last.onDelete ?? ''}, so deleting ${clean(answer.chain[answer.chain.length - 2].id)} deletes it)\n`,
        );
      return;
    }
    case 'detached':
      yield `${id} survives, but loses ${answer.links.map((l) => `its ${t(l.relation)} relation to ${code(l.to)}`).join(' and ')}, which would be deleted.\n`;
      if (!md) for (const ch of answer.chains) yield* linePieces(chainLines(ch, c, '  ', opts.full));
      return;
    case 'spared':
      yield `${id} survives: it is kept by ${code(answer.keptBy)} (${t(answer.relation)}, last-owner), though ${answer.deletedOwners.map(code).join(', ')} would be deleted.\n`;
      return;
    case 'unaffected':
      yield `${id} is not part of this plan: deleting these targets neither deletes nor changes it.\n`;
      return;
    case 'unknown':
      yield `${id} is not in the graph.\n`;
  }
}
