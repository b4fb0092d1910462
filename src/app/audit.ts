// The architecture review as a use case: `audit` (the CLI) reads the baseline, then the graph, reviews it and applies
// the CI gate; `diff` reads two graphs and compares their reviews. The computations are the engine's (pure).
import { audit, gate, type AuditResult, type AuditRule } from '../engine/audit.js';
import { diff, growthGate, type DiffResult } from '../engine/diff.js';
import { loadBaselineFile } from '../ingest/baseline.js';
import type { GraphIndex } from '../model/graph.js';

export { AUDIT_RULES, type AuditResult, type AuditRule } from '../engine/audit.js';
export type { DiffResult } from '../engine/diff.js';

/** A graph, or how to read it: read when the use case needs it, after the small inputs (so input errors keep their order). */
export type GraphInput = GraphIndex | (() => Promise<GraphIndex>);

const read = (g: GraphInput) => (typeof g === 'function' ? g() : Promise.resolve(g));

export interface AuditGraphOptions {
  /** Rules whose findings fail the gate unless the baseline accepts them. */
  failOn?: readonly AuditRule[];
  /** The baseline file of accepted findings (schemas/audit-baseline.schema.json). */
  baseline?: string;
}

/** The review of a whole graph, gated when `failOn` or a baseline is given; with the graph, for the pictures. */
export async function auditGraph(graph: GraphInput, options: AuditGraphOptions = {}): Promise<{ result: AuditResult; graph: GraphIndex }> {
  const baseline = options.baseline !== undefined ? loadBaselineFile(options.baseline) : undefined;
  const g = await read(graph);
  let result = audit(g);
  const failOn = options.failOn ?? [];
  if (failOn.length || baseline) result = gate(result, failOn, new Set(baseline?.accepted.map((a) => a.fingerprint)));
  return { result, graph: g };
}

/** What a change does to deletions: each site's blast radius, onDelete changes, risks; gated on growth in percent. */
export async function diffGraphs(before: GraphInput, after: GraphInput, options: { failOnGrowth?: number } = {}): Promise<DiffResult> {
  const b = await read(before);
  const a = await read(after);
  const result = diff(b, a);
  return options.failOnGrowth !== undefined ? growthGate(result, options.failOnGrowth) : result;
}
