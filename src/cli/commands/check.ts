// `blastguard check MANIFEST`: the pre-merge gate for a maintenance script's deletion manifest.
import type { Argv } from 'yargs';
import { loadManifestFile } from '../../ingest/manifest.js';
import type { Io } from '../io.js';
import { backendOption, planOnBackend, type Backend } from '../neo4j.js';
import { emitPlan, graphOptions, type CommonArgs } from './shared.js';

interface CheckArgs extends CommonArgs {
  backend: Backend;
  manifest: string;
}

export function checkCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'check <manifest>',
    describe: 'Check a deletion manifest (YAML or JSON) against the graph; exit 1 on any violation',
    builder: (y: Argv) =>
      backendOption(graphOptions(y))
        .positional('manifest', { type: 'string', demandOption: true, describe: 'Manifest file: targets, intent, limits' })
        .example('$0 check samples/manifests/incident-replay.yaml --graph samples/tenant.json', 'replay the 2022 incident'),
    handler: async (args: CheckArgs) => {
      const { manifest } = loadManifestFile(args.manifest);
      const result = await planOnBackend(args, manifest.targets, { intent: manifest.intent ?? {}, limits: manifest.limits ?? {} });
      setExit(emitPlan(result, args, io, args.manifest));
    },
  };
}
