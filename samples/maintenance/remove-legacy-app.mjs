#!/usr/bin/env node
// An example maintenance script that cannot repeat the 2022 incident: it works out what to delete, and before it
// deletes anything it calls blastguard's guard() with those IDs. guard() throws PlanMismatchError unless they are
// exactly the targets of the plan that was reviewed and approved (`blastguard check … --out plan.json`), that plan
// is intact, it was made on the current snapshot and recomputing it there gives the same deletions, verdict and
// waves, and — with --trust-key — CI signed it. Then it deletes wave by wave, guarding each wave again.
//
// Its "deletion" is a dry run: it prints what it would delete.
//
//   node samples/maintenance/remove-legacy-app.mjs --plan plan.json --graph samples/tenant.json
//   node samples/maintenance/remove-legacy-app.mjs --plan plan.json --graph samples/tenant.json --ids site-ids.txt
//   node samples/maintenance/remove-legacy-app.mjs --plan plan.json --graph samples/tenant.json --trust-key ci.pub.pem
//
// --trust-key FILE: the public key of the CI that signs approved plans (blastguard keygen; the private key stays in
// CI). A real script ships that key with itself and always passes it, so it runs only plans CI made from a
// reviewed, merged manifest: an edited plan, or one made by anybody else, is refused.
// --ids FILE replaces the script's own lookup with a hand-made list (one ID per line), the way the 2022 script was
// handed site IDs; guard() then refuses and names the IDs that were never approved.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { guard, loadGraph, loadPlan, PlanMismatchError, select } from 'blastguard';

const APP = 'legacy-asset-mgmt';

const { values: opts } = parseArgs({
  options: {
    plan: { type: 'string' },
    graph: { type: 'string' },
    ids: { type: 'string' },
    'trust-key': { type: 'string', multiple: true },
  },
});
if (!opts.plan || !opts.graph) {
  console.error('usage: remove-legacy-app.mjs --plan plan.json --graph snapshot.json [--ids FILE] [--trust-key PUB.pem]');
  process.exit(2);
}

// In production this is the platform's current export; the approved plan must have been made on the same one.
const graph = await loadGraph(opts.graph);
const approved = loadPlan(opts.plan);
// Public keys only: a PEM private key here is refused (InputError).
const trustKeys = opts['trust-key']?.map((file) => readFileSync(file, 'utf8'));

// What the script is about to delete: every install of the retired app (or the hand-made list, if given).
const ids = opts.ids
  ? readFileSync(opts.ids, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '')
  : select(graph, [{ type: 'app-install', where: { app: APP } }]).ids;

try {
  // The whole list first: nothing outside the approved plan may be in it, and nothing approved may be missing.
  guard(approved, ids, { graph, trustKeys });
  const waves = approved.waves ?? [{ wave: undefined, roots: approved.roots }];
  for (const w of waves) {
    const inWave = new Set(w.roots);
    const batch = ids.filter((id) => inWave.has(id));
    // Right before each wave's deletion: exactly this wave.
    if (w.wave !== undefined) guard(approved, batch, { wave: w.wave, graph, trustKeys });
    console.log(`${w.wave !== undefined ? `wave ${w.wave}` : 'all'}: would delete ${batch.length} app install(s) (dry run)`);
    for (const id of batch) console.log(`  DRY RUN delete ${id}`);
    // A real script would delete here, then check the platform's health before the next wave.
  }
  console.log(`done: ${ids.length} app install(s) of ${APP}, as approved (digest ${approved.digest})`);
} catch (err) {
  if (!(err instanceof PlanMismatchError)) throw err;
  console.error(`remove-legacy-app: ${err.message}`);
  if (err.unexpected.length) console.error(`  never approved: ${err.unexpected.join(', ')}`);
  if (err.missing.length) console.error(`  approved but missing: ${err.missing.join(', ')}`);
  console.error(`  (reasons: ${err.reasons.join(', ')}) — nothing was deleted`);
  process.exitCode = 1;
}
