// The check every push-down ends with: the engine, run on the neighbourhood the database returned, must delete exactly
// what the database's own frontier queries found, at the same depths. A difference is a bug (exit 3), never printed
// as a plan.
import type { PlanResult } from '../engine/result.js';

/** Throws when the engine's closure on the neighbourhood differs from the one `database` computed. */
export function assertSameClosure(hood: { closure: ReadonlyMap<string, number> }, result: PlanResult, database: string): void {
  const { closure } = hood;
  const diff = result.deleted.find((d) => closure.get(d.id) !== d.depth);
  if (result.deleted.length === closure.size && !diff) return;
  const inEngine = new Set(result.deleted.map((d) => d.id));
  const missing = [...closure.keys()].find((id) => !inEngine.has(id));
  throw new Error(
    `push-down closure disagrees with the engine (${closure.size} deleted in ${database}, ${result.deleted.length} by the engine; ` +
      `first difference: ${diff ? `${diff.id} at depth ${diff.depth} (${database}: ${closure.get(diff.id) ?? 'not deleted'})` : `${missing} deleted only in ${database}`})`,
  );
}
