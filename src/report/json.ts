// JSON report: the PlanResult itself (documented by schemas/plan-result.schema.json).
import type { PlanResult } from '../engine/result.js';
import { joinPieces, jsonLinePieces, type Pieces } from './pieces.js';

export function renderJson(result: PlanResult): string {
  return joinPieces(jsonPieces(result));
}

/** The same text as pieces: a result of millions of entities (or one 200 MB name) is never one string. */
export function jsonPieces(result: PlanResult): Pieces {
  return jsonLinePieces(result);
}
