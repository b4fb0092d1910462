// One benchmark process: load an NDJSON tenant with loadGraph (the product's loader), then (unless --ingest-only) time the
// engine on it and export the cascade relations for the peers. Prints one JSON object on stdout.
import { writeFileSync } from 'node:fs';
import { plan, check, reverseReach, loadGraph, audit } from '../dist/api.js';
import { siteIndex } from '../dist/engine/sites.js';
import { incomingOf } from '../dist/engine/reach.js';

const [file, mode, exportPrefix] = process.argv.slice(2);
const out = {};
const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

// Ingest: the product's loader (the same as --graph FILE.ndjson).
let t = now();
const g = await loadGraph(file);
out.ingest = { seconds: (now() - t) / 1000, entities: g.size, relations: g.relationCount, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
if (mode === 'ingest-only') {
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

// Entities by type.
const byType = (type) => {
  const code = g.typeNames.indexOf(type);
  const ids = [];
  for (let i = 0; i < g.size; i++) if (g.typeCodes[i] === code) ids.push(i);
  return ids;
};
const sites = byType('site').map((i) => g.idOf(i));
const orgs = byType('organization').map((i) => g.idOf(i));

t = now();
siteIndex(g);
out.siteIndexMs = now() - t;
t = now();
plan(g, [sites[0]]);
out.firstPlanMs = now() - t; // allocates the per-graph workspace

// Single-site plans: 200 sites drawn with a fixed seed.
let seed = 12345;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
const sample = Array.from({ length: 200 }, () => sites[Math.floor(rand() * sites.length)]);
for (const s of sample.slice(0, 20)) plan(g, [s]); // warm-up
const lat = [];
let sampleDeleted = 0;
for (const s of sample) {
  const t0 = now();
  const r = plan(g, [s]);
  lat.push(now() - t0);
  sampleDeleted += r.summary.deleted;
}
// A sample for the CLI runs: the first sampled site and its deepest deleted entity.
{
  const r = plan(g, [sample[0]]);
  out.sampleSite = sample[0];
  out.sampleDeep = r.deleted.reduce((a, d) => (d.depth > a.depth ? d : a), r.deleted[0]).id;
}
out.sitePlan = { p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), max: Math.max(...lat), meanDeleted: sampleDeleted / sample.length };

// App cleanup: 10,000 app-install targets (every install of the legacy app first, then others, by ID).
const legacy = [];
const others = [];
for (const i of byType('app-install')) {
  const id = g.idOf(i);
  (id.endsWith('/legacy-asset-mgmt') ? legacy : others).push(id);
}
legacy.sort();
others.sort();
const targets = legacy.concat(others).slice(0, 10000);
const manifest = { targets, intent: { rootTypes: ['app-install'], deleteTypes: ['app-install', 'app-data'] } };
const checkTimes = [];
let checkResult;
for (let k = 0; k < 3; k++) {
  const t0 = now();
  checkResult = check(g, manifest);
  checkTimes.push(now() - t0);
}
out.manifest = { description: 'benchmark: uninstall marketplace apps', ...manifest };
out.appCleanup = {
  targets: targets.length,
  legacyTargets: Math.min(legacy.length, 10000),
  ms: median(checkTimes),
  verdict: checkResult.verdict,
  deleted: checkResult.summary.deleted,
  violations: checkResult.violations.length,
};

// Audit: plan every site, one at a time, with full results.
const auditTimes = [];
let auditDeleted = 0;
let auditFailing = 0;
const auditReps = sites.length > 5000 ? 1 : 3;
for (let k = 0; k < auditReps; k++) {
  auditDeleted = 0;
  auditFailing = 0;
  const t0 = now();
  for (const s of sites) {
    const r = plan(g, [s]);
    auditDeleted += r.summary.deleted;
    if (r.violations.some((v) => v.rule !== 'boundary-deleted')) auditFailing++;
  }
  auditTimes.push(now() - t0);
}
out.audit = { sites: sites.length, ms: median(auditTimes), reps: auditReps, deleted: auditDeleted, sitesWithOtherViolations: auditFailing };

// The same audit asking for summaries (verdict, violations with chains, counts by type and site; no entity lists).
const summaryTimes = [];
let summaryDeleted = 0;
let summaryFailing = 0;
for (let k = 0; k < auditReps; k++) {
  summaryDeleted = 0;
  summaryFailing = 0;
  const t0 = now();
  for (const s of sites) {
    const r = plan(g, [s], { detail: 'summary' });
    summaryDeleted += r.summary.deleted;
    if (r.violations.some((v) => v.rule !== 'boundary-deleted')) summaryFailing++;
  }
  summaryTimes.push(now() - t0);
}
if (summaryDeleted !== auditDeleted || summaryFailing !== auditFailing) throw new Error('summary audit disagrees with the full audit');
out.auditSummary = { sites: sites.length, ms: median(summaryTimes), reps: auditReps };

// The audit command's engine: every entity type's blast radius (its own caps bound the work per type).
{
  const t0 = now();
  const a = audit(g);
  out.auditCommand = { ms: now() - t0, findings: a.findings?.length };
}

// Cascade-only reverse reachability from every organization (the peers run the same). The cascade-only
// incoming index is built on the first call, like the peers' graphs: its time is reported apart.
t = now();
incomingOf(g, ['cascade']);
out.cascadeIndexMs = now() - t;
const reachTimes = [];
let reach;
for (let k = 0; k < 5; k++) {
  const t0 = now();
  let entitiesReached = 0;
  let relationsFollowed = 0;
  for (const o of orgs) {
    const r = reverseReach(g, [o], ['cascade']);
    entitiesReached += r.entities;
    relationsFollowed += r.relations;
  }
  reachTimes.push(now() - t0);
  reach = { roots: orgs.length, entities: entitiesReached, relations: relationsFollowed };
}
out.reach = { ...reach, ms: median(reachTimes) };
out.graph = { entities: g.size, relations: g.relationCount, sites: sites.length, organizations: orgs.length };
out.maxRssBytes = process.resourceUsage().maxRSS * 1024;

// Export the cascade relations (from, to as int32 pairs), the roots, and the IDs for the peers.
if (exportPrefix) {
  const cascade = new Uint8Array(g.relationSemantics.map((s) => (s === 'cascade' ? 1 : 0)));
  const { offsets, nodes, types } = g.outgoing;
  let m = 0;
  for (let e = 0; e < types.length; e++) m += cascade[types[e]];
  const pairs = new Int32Array(2 * m);
  let k = 0;
  for (let i = 0; i < g.size; i++) {
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      if (!cascade[types[e]]) continue;
      pairs[k++] = i;
      pairs[k++] = nodes[e];
    }
  }
  writeFileSync(`${exportPrefix}.edges.bin`, pairs);
  writeFileSync(
    `${exportPrefix}.roots.bin`,
    Int32Array.from(orgs, (o) => g.indexOf(o)),
  );
  const ids = [];
  for (let i = 0; i < g.size; i++) ids.push(g.idOf(i));
  writeFileSync(`${exportPrefix}.ids.txt`, ids.join('\n'));
  out.export = { nodes: g.size, cascadeRelations: m };
}
process.stdout.write(JSON.stringify(out));
