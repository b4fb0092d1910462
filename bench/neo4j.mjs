// Neo4j figures beside the in-memory ones: ingest rate (ingest --to neo4j's writer), reading a graph back into
// memory, and push-down plan time against in-memory plan time, on the sample tenant and on a random graph.
//
//   npm run build && node bench/neo4j.mjs                 starts its own Neo4j (test/neo4j-server), ~50k entities
//   node bench/neo4j.mjs --entities 200000 --seed 3        another size (--entities 0: no random graph)
//   node bench/neo4j.mjs --graph tenant.json               also a snapshot file of yours (random roots and every site)
//   node bench/neo4j.mjs --uri bolt://HOST:PORT            an existing server (its database is CLEARED; NEO4J_PASSWORD)
//   node bench/neo4j.mjs --tenant-sites 1000               push-down section: plan p50 and why p50 on the generated
//                                                          tenant (1000 sites ≈ 1 M entities); --entities 0 --no-sample
//                                                          to run that section alone; --keep-tenant: reuse a tenant
//                                                          already loaded (same --tenant-sites and --seed) instead of
//                                                          clearing and loading it
//
// Prints a Markdown table on stdout and progress on stderr.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(join(root, 'dist', p));
const { buildSnapshot } = await dist('ingest/snapshot.js');
const { plan } = await dist('engine/plan.js');
const { connectNeo4j } = await dist('store/neo4j/connect.js');
const { writeGraph } = await dist('store/neo4j/write.js');
const { readGraph } = await dist('store/neo4j/read.js');
const { planInNeo4jWithStats } = await dist('app/neo4j-push-down.js');
// The random graph of the differential tests: sites, cycles, shared owners, every onDelete value.
const { mulberry32: rng, randomSnapshot } = await dist('generate/random.js');
const { generateTenant, isRelation, TENANT_SCHEMA } = await dist('generate/tenant.js');
const planWithProbe = planInNeo4jWithStats;
const { explain } = await dist('report/why.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const N = Number(option('--entities', '50000'));
const seed = Number(option('--seed', '1'));
const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);
const int = (x) => Math.round(x).toLocaleString('en-US');

let server;
let uri = option('--uri', undefined);
if (!uri) {
  const { startNeo4j } = await import(join(root, 'test/neo4j-server/server.mjs'));
  const t = performance.now();
  server = await startNeo4j();
  uri = server.uri;
  log(`neo4j ready in ${ms(performance.now() - t)} at ${uri}`);
}
const conn = await connectNeo4j({ uri, password: process.env.NEO4J_PASSWORD || undefined });
const clear = async () => {
  const s = conn.session('WRITE');
  try {
    await s.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await s.close();
  }
};

const rows = [];
async function measure(label, snap, cases, warmLoads = 1) {
  const graph = buildSnapshot(snap, label);
  const loads = [];
  for (let i = 0; i <= warmLoads; i++) {
    await clear();
    const t = performance.now();
    const w = await writeGraph(conn, graph, {});
    loads.push({ seconds: (performance.now() - t) / 1000, batches: w.batches });
    log(`${label}: load ${i + 1}: ${w.entities} entities + ${w.relations} relations in ${w.seconds.toFixed(2)} s`);
  }
  const again = performance.now();
  await writeGraph(conn, graph, {});
  const reloadS = (performance.now() - again) / 1000;
  let t = performance.now();
  const back = await readGraph(conn);
  const readS = (performance.now() - t) / 1000;
  const push = [];
  const mem = [];
  const sizes = [];
  const queries = [];
  for (const { roots, options } of cases) {
    await planInNeo4jWithStats(conn, roots, options); // warm the query cache for this shape
    t = performance.now();
    const { result, stats } = await planInNeo4jWithStats(conn, roots, options);
    push.push(performance.now() - t);
    queries.push(stats.queries);
    sizes.push(result.deleted.length);
    plan(back, roots, options);
    t = performance.now();
    const m = plan(back, roots, options);
    mem.push(performance.now() - t);
    if (JSON.stringify(m) !== JSON.stringify(result)) throw new Error(`${label}: push-down and in-memory differ for ${roots.join(' ')}`);
  }
  const first = loads[0];
  const warm = loads[loads.length - 1];
  rows.push({
    label,
    entities: graph.size,
    relations: graph.relationCount,
    firstLoad: `${first.seconds.toFixed(2)} s`,
    warmLoad: `${warm.seconds.toFixed(2)} s`,
    rate: `${int(graph.size / warm.seconds)} entities/s, ${int(graph.relationCount / warm.seconds)} relations/s`,
    reload: `${reloadS.toFixed(2)} s`,
    read: `${readS.toFixed(2)} s`,
    deleted: `${int(median(sizes))} (max ${int(Math.max(...sizes))})`,
    push: `${ms(median(push))} (p90 ${ms(pct(push, 0.9))}, ${int(median(queries))} queries)`,
    mem: `${ms(median(mem))} (p90 ${ms(pct(mem, 0.9))})`,
  });
}

const sample = JSON.parse(readFileSync(join(root, 'samples/tenant.json'), 'utf8'));
const sampleCases = [
  ...sample.entities.filter((e) => e.type === 'site').map((e) => ({ roots: [e.id], options: {} })),
  {
    roots: ['site:acme-prod', 'site:acme-sandbox', 'site:globex', 'site:initech'],
    options: { intent: { rootTypes: ['app-install'], deleteTypes: ['app-install', 'app-data'] }, limits: { maxDeleted: 100, maxSites: 10 } },
  },
];
if (!args.includes('--no-sample')) await measure('sample tenant', sample, sampleCases);

if (N > 0) {
  const big = randomSnapshot(seed, N, 2 * N);
  const rand = rng(seed * 7919);
  const bigCases = Array.from({ length: 20 }, () => ({ roots: [`e${Math.floor(rand() * N)}`], options: {} }));
  // Deleting sites: the largest closures of this graph.
  for (let k = 0; k < 5; k++) bigCases.push({ roots: [`e${Math.floor(rand() * (N / 10))}`], options: {} });
  await measure(`random graph (seed ${seed})`, big, bigCases, 0);
}

const extra = option('--graph', undefined);
if (extra) {
  const { loadSnapshotFile } = await dist('ingest/snapshot.js');
  const snap = loadSnapshotFile(extra).toSnapshot();
  const r = rng(seed * 31);
  const pickCases = Array.from({ length: 20 }, () => ({ roots: [snap.entities[Math.floor(r() * snap.entities.length)].id], options: {} }));
  const sites = snap.entities.filter((e) => e.type === snap.schema.boundary);
  for (let k = 0; k < Math.min(5, sites.length); k++) pickCases.push({ roots: [sites[Math.floor(r() * sites.length)].id], options: {} });
  await measure(extra, snap, pickCases, 0);
}

// Push-down section (plan p50 and why p50 on the generated tenant), separate from the load rows above.
const pushRows = [];
const tenantSites = Number(option('--tenant-sites', '0'));
if (tenantSites > 0) {
  const label = `generated tenant, ${tenantSites} sites (seed ${seed})`;
  const entities = [];
  const relations = [];
  for (const r of generateTenant({ sites: tenantSites, seed })) (isRelation(r) ? relations : entities).push(r);
  const snap = { schema: TENANT_SCHEMA, entities, relations };
  const graph = buildSnapshot(snap, label);
  let loadNote = 'kept from an earlier run';
  if (!args.includes('--keep-tenant')) {
    await clear();
    const t = performance.now();
    const w = await writeGraph(conn, graph, {});
    loadNote = `${((performance.now() - t) / 1000).toFixed(1)} s (${int((w.entities + w.relations) / ((performance.now() - t) / 1000))} records/s, this branch's loader)`;
    log(`${label}: loaded ${w.entities} entities + ${w.relations} relations: ${loadNote}`);
  }
  const sites = snap.entities.filter((e) => e.type === TENANT_SCHEMA.boundary).map((e) => e.id);
  const r = rng(seed * 131);
  const cases = Array.from({ length: 25 }, () => sites[Math.floor(r() * sites.length)]);
  const options = { intent: { allowBoundaryDeletion: true } };
  const planMs = [];
  const whyMs = [];
  const memPlan = [];
  const memWhy = [];
  const queries = [];
  const sizes = [];
  await planInNeo4jWithStats(conn, [cases[0]], options); // compile the query shapes once
  for (const site of cases) {
    let t = performance.now();
    const { result, stats } = await planInNeo4jWithStats(conn, [site], options);
    planMs.push(performance.now() - t);
    queries.push(stats.queries);
    sizes.push(result.deleted.length);
    const id = result.deleted[result.deleted.length - 1].id; // the deepest: the longest chain
    t = performance.now();
    const w = await planWithProbe(conn, [site], { ...options, probe: [id] });
    const answer = explain(w.result, id, w.present.has(id));
    whyMs.push(performance.now() - t);
    if (answer.status !== 'deleted') throw new Error(`${label}: why ${id} --roots ${site} is ${answer.status}`);
    t = performance.now();
    const m = plan(graph, [site], options);
    memPlan.push(performance.now() - t);
    t = performance.now();
    explain(plan(graph, [site], options), id, graph.indexOf(id) >= 0);
    memWhy.push(performance.now() - t);
    if (m.deleted.length !== result.deleted.length) throw new Error(`${label}: push-down and in-memory differ for ${site}`);
  }
  pushRows.push({
    label,
    entities: graph.size,
    relations: graph.relationCount,
    load: loadNote,
    deleted: `${int(median(sizes))} (max ${int(Math.max(...sizes))})`,
    plan: `${ms(median(planMs))} (p90 ${ms(pct(planMs, 0.9))}, ${int(median(queries))} queries)`,
    why: `${ms(median(whyMs))} (p90 ${ms(pct(whyMs, 0.9))})`,
    memPlan: `${ms(median(memPlan))} (p90 ${ms(pct(memPlan, 0.9))})`,
    memWhy: `${ms(median(memWhy))} (p90 ${ms(pct(memWhy, 0.9))})`,
  });
}

await conn.close();
if (server) await server.stop();

if (rows.length)
  console.log(
    '| graph | entities | relations | first load (cold server) | load | ingest rate | re-load (all MERGE hits) | read into memory | deleted per plan (median) | push-down plan (median) | in-memory plan (median) |',
  );
if (rows.length) console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${int(r.entities)} | ${int(r.relations)} | ${r.firstLoad} | ${r.warmLoad} | ${r.rate} | ${r.reload} | ${r.read} | ${r.deleted} | ${r.push} | ${r.mem} |`,
  );
}
if (pushRows.length) {
  console.log('\nPush-down, single-site deletions (25 random sites, warm query cache, one connection):\n');
  console.log(
    '| graph | entities | relations | load | deleted per plan (median) | push-down plan p50 | push-down why p50 | in-memory plan p50 | in-memory why p50 |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of pushRows) {
    console.log(`| ${r.label} | ${int(r.entities)} | ${int(r.relations)} | ${r.load} | ${r.deleted} | ${r.plan} | ${r.why} | ${r.memPlan} | ${r.memWhy} |`);
  }
}
