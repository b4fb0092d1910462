// The last check before a script deletes, as a use case: the trusted keys, the approved plan, the IDs about to be
// deleted and (optionally) the current graph are read in that order, then the engine compares them (verifyIds).
import { verifyIds, type VerifyResult, type VerifyScope } from '../engine/verify.js';
import { loadApprovedPlanFile, parseIdList } from '../ingest/approved-plan.js';
import { readPublicKeyFile } from '../ingest/keys.js';
import { readSmallFile, readSmallStdin } from '../ingest/small-input.js';
import type { GraphIndex } from '../model/graph.js';

export type { VerifyResult, VerifyScope };

export interface VerifyFiles {
  /** The approved-plan file (written by plan|check --out). */
  plan: string;
  /** The file of IDs about to be deleted (one per line, or a JSON array); "-": standard input. */
  ids: string;
  /** The current graph, read after the other inputs: a plan made on another one is stale, one that does not follow from its request forged. */
  graph?: () => Promise<GraphIndex>;
  /** Public key files (PEM): refuse a plan not signed by one of them. */
  trustKeys?: readonly string[];
  wave?: number;
  scope?: VerifyScope;
}

export async function verifyDeletion(inputs: VerifyFiles): Promise<VerifyResult> {
  // Keys first: a bad key file is an input error before anything else is read.
  const trustKeys = inputs.trustKeys?.map((f) => readPublicKeyFile(f));
  const plan = loadApprovedPlanFile(inputs.plan);
  const file = inputs.ids;
  const ids = parseIdList(
    file === '-' ? await readSmallStdin('stdin') : readSmallFile(file, file, ' (for IDs from a pipe, give --ids - and pipe them to standard input)'),
    file === '-' ? 'stdin' : file,
  );
  const graph = inputs.graph ? await inputs.graph() : undefined;
  return verifyIds(plan, ids, { wave: inputs.wave, scope: inputs.scope, graph, trustKeys });
}
