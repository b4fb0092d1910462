// Human-readable report for a terminal: verdict and summary first, then the tree, then each violation with its chain.
import { Chalk, type ChalkInstance } from 'chalk';
import type { PlanResult } from '../engine/result.js';
import { INDENT_LIMIT, joinPieces, linePieces } from './pieces.js';
import {
  chainLines,
  clean,
  countsText,
  wholeChains,
  fmt,
  groupViolations,
  headline,
  linkText,
  nameOf,
  plural,
  ruleCounts,
  ruleHelp,
  treeChildren,
  typeCounts,
} from './common.js';
import { visibleWidth, wrapPieces } from './wrap.js';

export interface HumanOptions {
  color?: boolean;
  /** Show everything instead of cutting long lists. */
  full?: boolean;
  /** What was checked, e.g. the manifest file name. */
  title?: string;
  /** Fit every line to this many columns (wrapped at spaces, the indent kept); none: lines as long as they are. */
  width?: number;
}

const TREE_LIMIT = 40;
const LIST_LIMIT = 10;
const PER_RULE_LIMIT = 5;
/** A report longer than this many lines repeats its verdict line at the end, where a scrolled terminal shows it. */
const REPEAT_AFTER = 20;

export function renderHuman(result: PlanResult, opts: HumanOptions = {}): string {
  return joinPieces(humanPieces(result, opts));
}

/** One step of a tree line's prefix, linked to its parent's: O(1) per entity however deep the tree. */
interface Prefix {
  up: Prefix | undefined;
  seg: string;
  depth: number;
}

/** The last INDENT_LIMIT steps of a prefix, after a count of the levels not drawn. */
function prefixText(p: Prefix | undefined, c: ChalkInstance): string {
  let s = '';
  let n = 0;
  for (let q = p; q && n < INDENT_LIMIT; q = q.up, n++) s = q.seg + s;
  return p && p.depth > INDENT_LIMIT ? `${c.dim(`[+${fmt(p.depth - INDENT_LIMIT)} levels] `)}${s}` : s;
}

/**
 * The report as pieces (lines), produced as the CLI writes them: no string holds the whole report. The verdict and
 * its one-line summary open it and, when it is long, close it too, with the violations counted by rule.
 */
export function* humanPieces(result: PlanResult, opts: HumanOptions = {}): Generator<string> {
  yield* wrapPieces(withFooter(result, opts), opts.width);
}

function* withFooter(result: PlanResult, opts: HumanOptions): Generator<string> {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const pass = result.verdict === 'pass';
  const verdictLine = `${pass ? c.green.bold('PASS') : c.red.bold('FAIL')}  ${opts.title ? `${clean(opts.title)}: ` : ''}${headline(result)}\n`;
  let lines = 0;
  for (const p of body(result, opts, c, verdictLine)) {
    for (let i = p.indexOf('\n'); i >= 0 && lines <= REPEAT_AFTER; i = p.indexOf('\n', i + 1)) lines++;
    yield p;
  }
  yield '\n';
  if (lines > REPEAT_AFTER) yield verdictLine;
  yield `${
    pass
      ? c.green('No violations: this deletion stays inside its intent.')
      : c.red(`This deletion must not run as it stands: ${plural(result.violations.length, 'violation')} (${ruleCounts(result)}).`)
  }\n`;
}

function* body(result: PlanResult, opts: HumanOptions, c: ChalkInstance, verdictLine: string): Generator<string> {
  yield verdictLine;
  yield '\n';
  const boundary = clean(result.boundary);
  // Labels padded to one column, wide enough for the boundary type's name.
  const col = Math.max(10, visibleWidth(boundary) + 2);
  const label = (text: string) => `${c.bold(text)}${' '.repeat(col - visibleWidth(text))}`;
  const s = result.summary;
  const byId = new Map(result.deleted.map((d) => [d.id, d]));
  const rootText = result.roots.map((r) => {
    const d = byId.get(r);
    return d ? linkText(d) : `${clean(r)} ${c.red('(not in graph)')}`;
  });
  const cut = (list: string[], limit: number) =>
    opts.full || list.length <= limit ? list : [...list.slice(0, limit), c.dim(`… and ${fmt(list.length - limit)} more (--full shows all)`)];
  // A list under a label: each item on its own piece, so a list of millions is never one string.
  function* labelled(label: string, list: string[]): Generator<string> {
    let first = true;
    for (const item of list) {
      yield first ? `${label}${item}` : `\n${' '.repeat(col)}${item}`;
      first = false;
    }
    yield first ? `${label}\n` : '\n';
  }
  yield* labelled(label('Targets'), cut(rootText, LIST_LIMIT));
  yield `${label('Deleted')}${plural(s.deleted, 'entity', 'entities')}${s.deleted ? ` — ${countsText(s.byType)}` : ''}\n`;
  if (s.sites.length) {
    const siteLines = s.sites.map((site) => {
      const mark = site.siteDeleted ? c.red(', itself included') : '';
      return `${nameOf(site)}: ${fmt(site.deleted)}${mark}`;
    });
    // Labelled by the boundary's declared type name: "site", "accounts", "tenant".
    yield* labelled(label(boundary), cut(siteLines, LIST_LIMIT));
  }
  if (s.global) yield `${label('Global')}${plural(s.global, 'deleted entity', 'deleted entities')} outside any ${boundary}\n`;
  if (s.detached) yield `${label('Detached')}${plural(s.detached, 'entity', 'entities')} survive with a relation removed\n`;
  if (s.spared) yield `${label('Spared')}${plural(s.spared, 'entity', 'entities')} survive because another owner keeps them\n`;

  if (result.deleted.length) {
    yield `\n${c.bold('What would be deleted')}\n`;
    const children = treeChildren(result);
    const limit = opts.full ? Infinity : TREE_LIMIT;
    // Iterative depth-first walk (deep chains must not overflow the stack).
    // Each stack entry: id, the prefix its children inherit, the connector drawn before it.
    const stack: [string, Prefix | undefined, string][] = [];
    for (const r of [...result.roots].reverse()) if (byId.get(r)?.depth === 0) stack.push([r, undefined, '']);
    let shown = 0;
    while (stack.length && shown < limit) {
      const [id, prefix, connector] = stack.pop()!;
      const d = byId.get(id)!;
      const via = d.via ? c.dim(`  ${clean(d.via.relation)}`) : '';
      // The connector hangs from the parent's prefix, which is the entity's own prefix minus its last step.
      yield `${connector ? c.dim(`${prefixText(prefix?.up, c)}${connector}`) : ''}${linkText(d)}${via}\n`;
      shown++;
      const kids = children.get(id) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) {
        const last = i === kids.length - 1;
        const own: Prefix = { up: prefix, seg: last ? '   ' : '│  ', depth: (prefix?.depth ?? 0) + 1 };
        stack.push([kids[i], own, last ? '└─ ' : '├─ ']);
      }
    }
    if (shown < result.deleted.length) yield `${c.dim(`… and ${fmt(result.deleted.length - shown)} more (--full shows all)`)}\n`;
  }
  if (result.detached.length) {
    yield `\n${c.bold('Detached (survive, relation removed)')}\n`;
    const rows = opts.full ? result.detached : result.detached.slice(0, LIST_LIMIT);
    for (const d of rows) yield `  ${linkText(d)}  ${d.links.map((l) => `${clean(l.relation)} → ${clean(l.to)}`).join(', ')}\n`;
    if (rows.length < result.detached.length) yield `${c.dim(`… and ${fmt(result.detached.length - rows.length)} more (--full shows all)`)}\n`;
  }
  if (result.spared.length) {
    yield `\n${c.bold('Spared (another owner keeps them)')}\n`;
    const rows = opts.full ? result.spared : result.spared.slice(0, LIST_LIMIT);
    for (const d of rows) yield `  ${linkText(d)}  kept by ${clean(d.keptBy)} (${clean(d.relation)})\n`;
    if (rows.length < result.spared.length) yield `${c.dim(`… and ${fmt(result.spared.length - rows.length)} more (--full shows all)`)}\n`;
  }
  if (result.violations.length) {
    yield `\n${c.red.bold(`Violations (${fmt(result.violations.length)})`)}\n`;
    const wholeChain = wholeChains(result);
    for (const [rule, list] of groupViolations(result)) {
      const types = typeCounts(result, list);
      const digest = rule === 'delete-type' && Object.keys(types).length ? ` — ${countsText(types)}` : '';
      yield `\n${c.red('✖')} ${c.bold(rule)} ${c.dim(`— ${ruleHelp(rule, result.boundary)}`)} (${fmt(list.length)}${digest})\n`;
      const shown = opts.full ? list : list.slice(0, PER_RULE_LIMIT);
      for (const v of shown) {
        yield `  ${clean(v.message)}\n`;
        if (v.chain.length > 1) {
          const chain = (opts.full && wholeChain(v)) || v.chain;
          yield* linePieces(chainLines(chain, c, '    ', opts.full, chain === v.chain ? (v.chainLength ?? chain.length) : chain.length));
        }
      }
      if (shown.length < list.length) yield `${c.dim(`  … and ${fmt(list.length - shown.length)} more ${rule} (--full or --format json shows all)`)}\n`;
    }
  }
}
