// `blastguard audit --graph FILE`: the architecture review of a whole graph, optionally a CI gate.
import type { Argv } from 'yargs';
import { auditGraph, AUDIT_RULES, type AuditRule } from '../../app/index.js';
import { baselineText } from '../../report/baseline.js';
import { UsageError } from '../../model/errors.js';
import { renderAuditPieces, type AuditFormat } from '../../report/audit-formats.js';
import { auditHtmlPieces } from '../../report/html.js';
import { formatsFor } from '../../report/formats.js';
import { loadClientBundle } from '../client-bundle.js';
import { emit, EXIT, loadGraphArg, type Io, type Neo4jArgs } from '../io.js';
import { openOutput } from '../outputs.js';
import { ex, GRAPH_HELP, neo4jOptions } from './shared.js';

interface AuditArgs extends Neo4jArgs {
  graph: string;
  format?: AuditFormat;
  out?: string;
  full: boolean;
  failOn?: string[];
  baseline?: string;
  writeBaseline?: string;
}

/** `--fail-on a,b --fail-on c` → rule names; `all` means every rule. */
export function parseRules(values: string[] | undefined): AuditRule[] {
  const names = (values ?? [])
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.includes('all')) return [...AUDIT_RULES];
  const bad = names.filter((n) => !(AUDIT_RULES as readonly string[]).includes(n));
  if (bad.length) throw new UsageError(`--fail-on: unknown rule ${bad.map((b) => `"${b}"`).join(', ')}; the rules are ${AUDIT_RULES.join(', ')} (or all)`);
  return [...new Set(names)] as AuditRule[];
}

export function auditCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'audit',
    describe: 'Review a whole graph: the blast radius of every site and type, and the structural risks; with --fail-on, a CI gate',
    builder: (y: Argv) =>
      neo4jOptions(y)
        .option('graph', {
          alias: 'g',
          type: 'string',
          demandOption: true,
          requiresArg: true,
          describe: GRAPH_HELP,
        })
        .option('format', { alias: 'f', choices: formatsFor('audit'), describe: 'Output format (default: html when --out ends in .html, else human)' })
        .option('out', {
          alias: 'o',
          type: 'string',
          requiresArg: true,
          describe: 'Write the report to this file (atomically) instead of stdout ("-": stdout)',
        })
        .option('full', { type: 'boolean', default: false, describe: 'Show every row and finding instead of cutting long lists' })
        .option('fail-on', {
          type: 'string',
          array: true,
          requiresArg: true,
          describe: `Exit 1 when a finding of these rules is not in the baseline: ${AUDIT_RULES.join(', ')}, or all (comma-separated)`,
        })
        .option('baseline', { type: 'string', requiresArg: true, describe: 'JSON file of accepted findings (schemas/audit-baseline.schema.json)' })
        .option('write-baseline', { type: 'string', requiresArg: true, describe: 'Write a baseline that accepts every current finding to this file' })
        .example(ex('$0 audit --graph samples/tenant.json', 'which deletions in this platform are dangerous?'))
        .example(ex('$0 audit --graph samples/tenant.json --out audit.html', 'the same, as an interactive page'))
        .example(ex('$0 audit -g snapshot.json --fail-on cross-boundary-relation,cascade-cycle --baseline accepted.json', 'CI: fail on new risks only')),
    handler: async (args: AuditArgs) => {
      const failOn = parseRules(args.failOn);
      // Both outputs are checked before anything is read: neither may be the graph or the baseline, nor each other.
      const inputs = [
        { path: args.graph, role: 'the --graph file' },
        args.baseline !== undefined ? { path: args.baseline, role: 'the --baseline file' } : undefined,
      ];
      const baselineOut = await openOutput(args.writeBaseline, { option: '--write-baseline', inputs, graphArgs: { graph: args.graph } });
      const out = await openOutput(args.out, { option: '--out', stdout: true, inputs, graphArgs: { graph: args.graph } });
      out?.refuseSameAs(baselineOut);
      const { result, graph } = await auditGraph(() => loadGraphArg(args.graph, args), { failOn, baseline: args.baseline });
      if (baselineOut) {
        await baselineOut.write(baselineText(result));
        io.stderr(`baseline of ${result.findings.length} findings written to ${args.writeBaseline}\n`);
      }
      const format: AuditFormat = args.format ?? (args.out && /\.html?$/i.test(args.out) ? 'html' : 'human');
      setExit(result.gate?.verdict === 'fail' ? EXIT.violations : EXIT.pass); // before the report streams
      const toFile = out !== undefined && !out.isStdout;
      const text =
        format === 'html'
          ? auditHtmlPieces(result, graph, { title: `architecture audit of ${args.graph}`, bundle: loadClientBundle() })
          : renderAuditPieces(result, format, graph, { color: io.color && !toFile, full: args.full, title: args.graph, width: toFile ? undefined : io.width });
      if (toFile) {
        await out.write(text);
        io.stderr(
          `${result.gate ? `${result.gate.verdict === 'pass' ? 'pass' : 'FAIL'}: ` : ''}${result.findings.length} structural risks; report written to ${args.out}\n`,
        );
      } else await emit(io, text);
    },
  };
}
