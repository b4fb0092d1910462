// Output formats: each is one pure function from a plan result to text. A new format is one new file here.
import type { PlanResult } from '../engine/result.js';
import type { Anchors } from './anchors.js';
import { renderGithub } from './github.js';
import { planSubgraph } from '../engine/subgraph.js';
import type { GraphIndex } from '../model/graph.js';
import { renderDot } from './dot.js';
import { renderGraphology } from './graphology.js';
import { renderHuman } from './human.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderMermaid } from './mermaid.js';
import { renderSarif } from './sarif.js';

export const PLAN_FORMATS = ['human', 'json', 'markdown', 'github', 'sarif', 'junit', 'dot', 'mermaid', 'graphology'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface ReportOptions {
  color?: boolean;
  full?: boolean;
  title?: string;
  /** Where each violation belongs in the manifest (CI formats point at that line). */
  anchors?: Anchors;
  toolVersion?: string;
  /** The graph the plan ran on: the pictures (dot, mermaid, graphology) draw its relations. */
  graph?: GraphIndex;
}

export function renderPlan(result: PlanResult, format: PlanFormat, opts: ReportOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'markdown':
      return renderMarkdown(result, opts);
    case 'human':
      return renderHuman(result, opts);
    case 'github':
      return renderGithub(result, opts);
    case 'sarif':
      return renderSarif(result, opts);
    case 'junit':
      return renderJunit(result, opts);
    case 'dot':
    case 'mermaid':
    case 'graphology': {
      if (!opts.graph) throw new Error(`--format ${format} needs the graph`);
      const sg = planSubgraph(opts.graph, result);
      if (format === 'graphology') return renderGraphology(opts.graph, sg, { verdict: result.verdict, roots: result.roots });
      const title = `${result.verdict === 'pass' ? 'PASS' : 'FAIL'}${opts.title ? ` ${opts.title}` : ''}: deleting ${result.roots.join(', ').slice(0, 200)}`;
      return format === 'dot' ? renderDot(sg, { title }) : renderMermaid(sg, { title });
    }
  }
}
