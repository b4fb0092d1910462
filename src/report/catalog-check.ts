// The text of `ingest --mapping M --check-against URI` (src/engine/catalog-check.ts): one line per finding, unsafe
// ones first, and a summary line.
import type { CatalogCheck, CatalogFinding } from '../engine/catalog-check.js';
import { fmt as n } from './common.js';
import { visible } from './text.js';

function line(f: CatalogFinding): string {
  const of = `${n(f.count)} of ${n(f.of)} reference${f.of === 1 ? '' : 's'}`;
  const fk = `foreign key ${visible(f.relation)}${f.tables ? ` (${visible(f.tables)}, onDelete ${f.dbOnDelete})` : ''}`;
  switch (f.kind) {
    case 'missing':
      return `✖ missing: ${fk}: ${of} are not in the mapping`;
    case 'weaker':
      return `✖ weaker: ${fk} is mapped as ${visible(f.mapped!.relation)} with onDelete ${f.mapped!.onDelete} (${of})`;
    case 'unbacked':
      return `• no constraint: relation type ${visible(f.relation)} (onDelete ${f.mapped!.onDelete}): ${of} have no foreign key behind them`;
    case 'unchecked':
      return `• not checked: ${fk}: ${f.of === 0 ? 'no rows use it' : "its rows are not in the mapping's graph"}`;
  }
}

export function renderCatalogCheck(check: CatalogCheck, where: string): string {
  const unsafe = check.findings.filter((f) => f.unsafe).length;
  const shown = check.findings.filter((f) => f.kind !== 'unchecked' || f.of > 0);
  let s = shown.map((f) => `${line(f)}\n`).join('');
  const unchecked = check.findings.filter((f) => f.kind === 'unchecked' && f.of === 0).length;
  if (unchecked) s += `• ${n(unchecked)} foreign key${unchecked === 1 ? '' : 's'} with no rows using ${unchecked === 1 ? 'it' : 'them'}: not checked\n`;
  if (check.rowsNotMapped)
    s += `• ${n(check.rowsNotMapped)} of ${n(check.rows)} database rows have no entity with their ID (table:key) in the mapping's graph\n`;
  s +=
    unsafe > 0
      ? `FAIL  the mapping against ${visible(where)}: ${unsafe} finding${unsafe === 1 ? '' : 's'} would make blastguard report less than the database would delete\n`
      : `PASS  the mapping against ${visible(where)}: every foreign key of ${n(check.foreignKeys)} is mapped at least as strongly\n`;
  return s;
}
