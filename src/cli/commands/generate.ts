// `blastguard generate --sites N --seed S --out FILE`: writes a deterministic, realistic tenant for tests and benchmarks.
import type { Argv } from 'yargs';
import { ex } from './shared.js';
import { tenantFile, tenantFileFormat } from '../../app/index.js';
import { UsageError } from '../../model/errors.js';
import { constants as zlib } from 'node:zlib';
import { EXIT, type Io } from '../io.js';
import { Output } from '../outputs.js';

interface GenerateArgs {
  sites: number;
  seed: string;
  out: string;
}

export function generateCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'generate',
    describe: 'Write a realistic generated tenant (about 1,000 entities per site) as NDJSON or a snapshot',
    builder: (y: Argv) =>
      y
        .option('sites', { type: 'number', demandOption: true, requiresArg: true, describe: 'How many sites (--sites 1000 gives about 1 M entities)' })
        .option('seed', { type: 'string', default: '1', requiresArg: true, describe: 'Seed: the same seed gives the same bytes' })
        .option('out', {
          alias: 'o',
          type: 'string',
          demandOption: true,
          requiresArg: true,
          describe: 'Output file: .ndjson or .json, optionally .gz; or .bgraph (the binary graph file)',
        })
        .example(ex('$0 generate --sites 1000 --seed 1 --out tenant.ndjson', 'about 1 M entities and 2.8 M relations')),
    handler: async (args: GenerateArgs) => {
      if (!Number.isInteger(args.sites) || args.sites < 1 || args.sites > 1_000_000) {
        throw new UsageError(`--sites must be a whole number from 1 to 1000000 (got ${String(args.sites)})`);
      }
      const format = tenantFileFormat(args.out);
      if (!format) throw new UsageError(`--out must end in .ndjson, .jsonl or .json (optionally .gz), or .bgraph: ${args.out}`);
      const out = Output.open(args.out, { option: '--out' });
      const started = Date.now();
      const file = tenantFile(format, { sites: args.sites, seed: args.seed });
      if ('buffers' in file) await out.writeBinary(file.buffers);
      // Fastest gzip: generated tenants are large, and regenerated rather than archived.
      else await out.write(file.text, { gzip: !format.binary && format.gzip, level: zlib.Z_BEST_SPEED });
      io.stderr(`wrote a tenant of ${args.sites} sites (seed ${args.seed}) to ${args.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      setExit(EXIT.pass);
    },
  };
}
