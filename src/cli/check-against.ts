// `blastguard ingest --mapping M --check-against URI`: the mapping held against the database's foreign keys; exit 1
// when a finding would make blastguard report less than the database would delete.
import { UsageError } from '../model/errors.js';
import { checkMappingAgainst } from '../app/index.js';
import { renderCatalogCheck } from '../report/catalog-check.js';
import { EXIT, type Io } from './io.js';
import { showProgress } from './progress.js';

export interface CheckAgainstArgs {
  mapping?: string;
  graph?: string;
  out?: string;
  overlay?: string;
  checkAgainst?: string;
  quiet: boolean;
}

export async function checkAgainstCommand(args: CheckAgainstArgs, io: Io, setExit: (code: number) => void): Promise<void> {
  if (args.mapping === undefined || args.graph !== undefined) throw new UsageError('--check-against URI goes with --mapping FILE (the mapping to check).');
  if (args.out !== undefined) throw new UsageError('--check-against writes no snapshot: drop --out.');
  const { check, where } = await checkMappingAgainst(args.mapping, args.checkAgainst!, {
    overlay: args.overlay,
    watch: (progress) => showProgress(progress, { quiet: args.quiet }),
    warn: (line) => io.stderr(`${line}\n`),
  });
  io.stdout(renderCatalogCheck(check, where));
  setExit(check.findings.some((f) => f.unsafe) ? EXIT.violations : EXIT.pass);
}
