// The answer of `blastguard verify`: may the script delete these IDs? Pure.
import { Chalk } from 'chalk';
import type { VerifyResult } from '../engine/verify.js';
import { clean, fmt, plural } from './common.js';
import { wrapText } from './wrap.js';

export interface VerifyReportOptions {
  planFile?: string;
  color?: boolean;
  full?: boolean;
  /** Human format: fit the lines to this many columns. */
  width?: number;
}

const LIMIT = 20;

type Paint = InstanceType<typeof Chalk>;

function signedText(r: VerifyResult, c: Paint): string {
  const by = r.signedBy ? `by key ${clean(r.signedBy)}` : 'no';
  if (r.trusted === null) return c.yellow(`${r.signedBy ? `${by}, ` : 'unsigned, '}not checked (give --trust-key)`);
  if (r.trusted) return `${by} (trusted)`;
  return c.red(r.signedBy ? `${by}, not trusted` : 'unsigned');
}

function derivedText(r: VerifyResult, c: Paint): string {
  if (r.derived === true) return 'recomputed on this snapshot: same deletions, verdict and waves';
  if (r.derived === false) return c.red('recomputed on this snapshot: the plan does not follow from its own request (forged)');
  if (r.reasons.includes('old-format')) return c.red('cannot be recomputed: the plan is in the old format (version 1)');
  if (r.fresh === false) return c.yellow('not recomputed: the snapshot changed');
  return c.yellow('not checked (give --graph to recompute the plan)');
}

export function renderVerify(r: VerifyResult, format: 'human' | 'json', opts: VerifyReportOptions = {}): string {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const what = `${r.wave !== undefined ? `wave ${r.wave} of ` : ''}the approved plan${opts.planFile ? ` ${clean(opts.planFile)}` : ''}`;
  const scope = r.scope === 'roots' ? 'targets' : 'deleted entities';
  const out: string[] = [];
  if (r.ok) {
    // "the 1 ID is exactly the target", "the 3 IDs are exactly the targets"
    const one = r.given === 1;
    const scopeN = one ? (r.scope === 'roots' ? 'target' : 'deleted entity') : scope;
    out.push(`${c.green.bold('OK')}  ${one ? 'the 1 ID is exactly the' : `the ${fmt(r.given)} IDs are exactly the`} ${scopeN} of ${what}`);
  } else {
    out.push(`${c.red.bold('REFUSED')}  do not delete: these IDs are not what ${what} approved`);
    for (const p of r.problems) out.push(`  ${c.red('✖')} ${clean(p)}`);
  }
  // Say plainly what was not checked: a digest alone proves nothing against someone who can edit the plan.
  const signature = r.checked.includes('signature');
  if (r.fresh === null && !signature)
    out.push(
      c.yellow('  only the digest was checked: anyone who can edit the plan can recompute it (--graph recomputes the plan, --trust-key checks its signature)'),
    );
  else if (r.fresh === null) out.push(c.yellow('  the plan was not recomputed on the snapshot (give --graph)'));
  else if (!signature) out.push(c.yellow('  no signature was checked (give --trust-key to accept only plans CI signed)'));
  out.push(`  digest   ${clean(r.digest)}${r.reasons.includes('tampered') ? c.red(' (broken)') : ' (intact)'}`);
  if (r.waveDigest) out.push(`  wave     ${clean(r.waveDigest)}`);
  out.push(`  signed   ${signedText(r, c)}`);
  out.push(
    `  snapshot ${r.fresh === null ? c.yellow('not checked (give --graph to detect a stale plan)') : r.fresh ? 'same as the plan' : c.red('changed since the plan was made')}`,
  );
  out.push(`  derived  ${derivedText(r, c)}`);
  out.push(
    `  IDs      ${plural(r.given, 'ID')} given, ${fmt(r.expected)} approved ${r.expected === 1 ? (r.scope === 'roots' ? 'target' : 'deleted entity') : scope}`,
  );
  const list = (title: string, mark: string, ids: string[]) => {
    if (!ids.length) return;
    out.push('', `${title} (${fmt(ids.length)}):`);
    const shown = opts.full ? ids : ids.slice(0, LIMIT);
    for (const id of shown) out.push(`  ${mark} ${clean(JSON.stringify(id))}`);
    if (shown.length < ids.length) out.push(c.dim(`  … and ${fmt(ids.length - shown.length)} more (--full or --format json lists all)`));
  };
  list('Missing: approved but not in the list', '-', r.missing);
  list('Unexpected: in the list but not approved', '+', r.unexpected);
  list('Listed more than once', '*', r.duplicates);
  return wrapText(out.join('\n') + '\n', opts.width);
}
