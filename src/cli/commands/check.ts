// `blastguard check MANIFEST`: the pre-merge gate for a maintenance script's deletion manifest.
import type { Argv } from 'yargs';
import { loadManifestFile, manifestRehearsal, manifestRequest } from '../../app/index.js';
import { manifestAnchors } from '../../report/anchors.js';
import type { Io } from '../io.js';
import { backendFor, backendOption, wantsStamp, type BackendName } from '../neo4j.js';
import { emitPlan, ex, graphOptions, manifestInputs, planOutOptions, planOutput, signingKey, waveSpec, type PlanOutArgs } from './shared.js';

interface CheckArgs extends PlanOutArgs {
  backend: BackendName;
  manifest: string;
}

export function checkCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'check <manifest>',
    describe: 'Check a deletion manifest (YAML or JSON) against the graph; exit 1 on any violation',
    builder: (y: Argv) =>
      backendOption(planOutOptions(graphOptions(y, 'check')))
        .positional('manifest', { type: 'string', demandOption: true, describe: 'Manifest file: targets and/or select, intent, limits, mode' })
        .example(ex('$0 check samples/manifests/incident-replay.yaml --graph samples/tenant.json', 'replay the 2022 incident'))
        .example(ex('$0 check m.yaml --graph snap.json --format github', 'annotate the manifest lines in a GitHub Actions run')),
    handler: async (args: CheckArgs) => {
      waveSpec(args);
      const signKey = signingKey(args);
      const loaded = loadManifestFile(args.manifest);
      const m = loaded.manifest;
      const out = await planOutput(args, manifestInputs(args.manifest, m.rehearsal));
      const rehearsal = manifestRehearsal(m, { manifestFile: args.manifest, line: loaded.lineOf(['rehearsal']) });
      const {
        value: { result, selection },
        graph,
        snapshot,
      } = await backendFor(args).check(m, { rehearsal, stamp: wantsStamp(args) });
      const anchors = manifestAnchors(args.manifest, m, loaded.lineOf, selection?.matchedBy);
      const planOptions = { intent: m.intent ?? {}, limits: m.limits ?? {} };
      const request = manifestRequest(m, result, rehearsal?.plan?.digest);
      setExit(await emitPlan(result, args, io, { graph, snapshot, title: args.manifest, anchors, mode: m.mode ?? 'soft', planOptions, request, signKey, out }));
    },
  };
}
