// JSON report: the PlanResult itself (documented by schemas/plan-result.schema.json).
import type { PlanResult } from '../engine/result.js';

export function renderJson(result: PlanResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
