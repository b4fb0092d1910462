// One PostgreSQL measurement in a process of its own (so that peak RSS is this task's), printed as JSON:
//   node bench/postgres-child.mjs read URI OVERLAY [SITES]   read the whole database (the CLI's reader), then plan
//                                                             SITES random sites in memory (p50)
//   node bench/postgres-child.mjs push-down URI OVERLAY N     plan N random sites with --backend postgres's code
// PGPASSWORD must be set.
import { performance } from 'node:perf_hooks';

const [mode, uri, overlay, nArg] = process.argv.slice(2);
const dist = (f) => import(new URL(`../dist/${f}`, import.meta.url));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
/** A deterministic sample of `n` of `xs`. */
function sample(xs, n) {
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = [];
  for (let i = 0; i < n && xs.length; i++) out.push(xs[Math.floor(rand() * xs.length)]);
  return out;
}

if (mode === 'read') {
  const { loadGraphFromPostgres } = await dist('ingest/postgres.js');
  const { plan } = await dist('engine/plan.js');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { graph, stats } = await loadGraphFromPostgres(uri, { overlay, warn: () => {} });
  const seconds = (performance.now() - t0) / 1000;
  // This process's CPU (user + system): on a loaded machine, wall time says more about the neighbours.
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const sites = [];
  for (let i = 0; i < graph.size; i++) if (graph.typeOf(i) === 'site') sites.push(graph.idOf(i));
  const times = [];
  plan(graph, [sites[0]]); // the site index and the workspace, once
  for (const site of sample(sites, Number(nArg ?? 200))) {
    const t = performance.now();
    plan(graph, [site]);
    times.push(performance.now() - t);
  }
  process.stdout.write(
    JSON.stringify({
      rows: stats.records,
      bytes: stats.bytes,
      entities: graph.size,
      relations: graph.relationCount,
      seconds,
      cpuSeconds,
      maxRssBytes,
      planP50Ms: median(times),
      sites,
    }),
  );
} else if (mode === 'push-down') {
  const { planInPostgresWithStats } = await dist('app/postgres-push-down.js');
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: uri, password: process.env.PGPASSWORD });
  await c.connect();
  const sites = (await c.query('SELECT id FROM site ORDER BY id')).rows.map((r) => `site:${r.id}`);
  await c.end();
  const times = [];
  const deleted = [];
  const queries = [];
  for (const site of sample(sites, Number(nArg ?? 30))) {
    const t = performance.now();
    const { result, stats } = await planInPostgresWithStats({ uri, overlay, warn: () => {} }, [site]);
    times.push(performance.now() - t);
    deleted.push(result.summary.deleted);
    queries.push(stats.queries);
  }
  process.stdout.write(
    JSON.stringify({
      plans: times.length,
      p50Ms: median(times),
      p95Ms: pct(times, 0.95),
      meanDeleted: deleted.reduce((a, b) => a + b, 0) / deleted.length,
      medianQueries: median(queries),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
