// Output formats of `audit` and `diff`: each a pure function of the result (the pictures also read the graph).
import type { AuditResult } from '../engine/audit.js';
import type { DiffResult } from '../engine/diff.js';
import { auditSubgraph } from '../engine/subgraph.js';
import type { GraphIndex } from '../model/graph.js';
import { renderAuditHuman } from './audit-human.js';
import { renderAuditMarkdown } from './audit-markdown.js';
import { renderDiffHuman } from './diff-human.js';
import { renderDiffMarkdown } from './diff-markdown.js';
import { renderDot } from './dot.js';
import { formatsFor, type FormatOf } from './formats.js';
import { renderGraphology } from './graphology.js';
import { renderMermaid } from './mermaid.js';
import { jsonLinePieces, type Pieces } from './pieces.js';

/** The formats of audit and diff (the table is ./formats.ts). */
export const AUDIT_FORMATS = formatsFor('audit');
export type AuditFormat = FormatOf<'audit'>;
export const DIFF_FORMATS = formatsFor('diff');
export type DiffFormat = FormatOf<'diff'>;

export interface AuditReportOptions {
  color?: boolean;
  full?: boolean;
  title?: string;
  /** Human format: fit the lines to this many columns. */
  width?: number;
}

/** Every audit format but html (which needs the browser bundle; see html.ts). */
export function renderAudit(result: AuditResult, format: Exclude<AuditFormat, 'html'>, graph: GraphIndex, opts: AuditReportOptions = {}): string {
  switch (format) {
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'markdown':
      return renderAuditMarkdown(result, opts);
    case 'human':
      return renderAuditHuman(result, opts);
    case 'dot':
    case 'mermaid':
    case 'graphology': {
      const sg = auditSubgraph(graph, result);
      if (format === 'graphology') return renderGraphology(graph, sg, { counts: result.counts });
      const title = `blastguard audit${opts.title ? ` of ${opts.title}` : ''}: ${result.findings.length} structural risks`;
      return format === 'dot' ? renderDot(sg, { title }) : renderMermaid(sg, { title });
    }
  }
}

/** As pieces: the JSON streamed (a graph of millions of sites lists each), the others as one text. */
export function renderAuditPieces(result: AuditResult, format: Exclude<AuditFormat, 'html'>, graph: GraphIndex, opts: AuditReportOptions = {}): Pieces {
  return format === 'json' ? jsonLinePieces(result) : [renderAudit(result, format, graph, opts)];
}

export function renderDiffPieces(result: DiffResult, format: DiffFormat, opts: AuditReportOptions = {}): Pieces {
  return format === 'json' ? jsonLinePieces(result) : [renderDiff(result, format, opts)];
}

export function renderDiff(result: DiffResult, format: DiffFormat, opts: AuditReportOptions = {}): string {
  switch (format) {
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'markdown':
      return renderDiffMarkdown(result, opts);
    case 'human':
      return renderDiffHuman(result, opts);
  }
}
