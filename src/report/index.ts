// Output formats: each is one pure function from a plan result to text. A new format is one new file here.
import type { PlanResult } from '../engine/result.js';
import type { Anchors } from './anchors.js';
import { githubPieces } from './github.js';
import { planSubgraph } from '../engine/subgraph.js';
import type { GraphIndex } from '../model/graph.js';
import { dotPieces } from './dot.js';
import { graphologyPieces } from './graphology.js';
import { humanPieces } from './human.js';
import { jsonPieces } from './json.js';
import { junitPieces } from './junit.js';
import { markdownPieces } from './markdown.js';
import { mermaidPieces } from './mermaid.js';
import { joinPieces, type Pieces } from './pieces.js';
import { sarifPieces } from './sarif.js';
import { formatsFor, type FormatOf } from './formats.js';

/** The formats of plan and check (the table is ./formats.ts). */
export const PLAN_FORMATS = formatsFor('plan');
export type PlanFormat = FormatOf<'plan'>;

export interface ReportOptions {
  color?: boolean;
  full?: boolean;
  title?: string;
  /** Human format: fit the lines to this many columns (wrap.ts). */
  width?: number;
  /** Where each violation belongs in the manifest (CI formats point at that line). */
  anchors?: Anchors;
  toolVersion?: string;
  /** The graph the plan ran on: the pictures (dot, mermaid, graphology) draw its relations. */
  graph?: GraphIndex;
}

export function renderPlan(result: PlanResult, format: PlanFormat, opts: ReportOptions = {}): string {
  return joinPieces(renderPlanPieces(result, format, opts));
}

/**
 * The report as pieces of text, produced as they are written: the CLI streams them, so a report larger than one
 * string can hold (V8 caps a string at about 512 MB) is still written whole.
 */
export function renderPlanPieces(result: PlanResult, format: PlanFormat, opts: ReportOptions = {}): Pieces {
  switch (format) {
    case 'json':
      return jsonPieces(result);
    case 'markdown':
      return markdownPieces(result, opts);
    case 'human':
      return humanPieces(result, opts);
    case 'github':
      return githubPieces(result, opts);
    case 'sarif':
      return sarifPieces(result, opts);
    case 'junit':
      return junitPieces(result, opts);
    case 'dot':
    case 'mermaid':
    case 'graphology': {
      if (!opts.graph) throw new Error(`--format ${format} needs the graph`); // (the table's `needs`)
      const sg = planSubgraph(opts.graph, result);
      if (format === 'graphology') return graphologyPieces(opts.graph, sg, { verdict: result.verdict, roots: result.roots });
      const title = `${result.verdict === 'pass' ? 'PASS' : 'FAIL'}${opts.title ? ` ${opts.title}` : ''}: deleting ${result.roots.join(', ').slice(0, 200)}`;
      return format === 'dot' ? dotPieces(sg, { title }) : mermaidPieces(sg, { title });
    }
  }
}
