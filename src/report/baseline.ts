// The text of an audit baseline that accepts every finding of an audit (`audit --write-baseline`); read back by
// src/ingest/baseline.ts. Pure.
import type { AuditResult } from '../engine/audit.js';

/** A baseline that accepts every finding of `result` (sorted, so that it diffs well). */
export function baselineText(result: AuditResult, description?: string): string {
  const accepted = result.findings
    .map((f) => ({ fingerprint: f.fingerprint, rule: f.rule, subject: f.subject }))
    .sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  const unique = accepted.filter((e, i) => i === 0 || e.fingerprint !== accepted[i - 1].fingerprint);
  return (
    JSON.stringify(
      {
        $schema: 'https://blastguard.dev/schemas/audit-baseline.schema.json',
        description: description ?? 'Structural risks accepted for now; blastguard audit --fail-on fails only on others.',
        accepted: unique,
      },
      null,
      2,
    ) + '\n'
  );
}
