// The PostgreSQL section of the benchmark (bench/run.mjs calls benchPostgres): starts a throwaway PostgreSQL as the
// tests do (test/postgres/server.mjs), loads the generated tenant into it (bench/pg-tenant.mjs), and measures in
// child processes: the read of the whole database (rows/s, peak RSS) with an in-memory single-site plan p50 on what
// was read, and `--backend postgres` single-site plans (p50). Without PostgreSQL: one line, and the rows are skipped.
//   node bench/postgres.mjs [--sites N] [--seed S]   this section alone
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { OVERLAY, loadTenant, writeTenantCopyFiles } from './pg-tenant.mjs';
import { postgresAvailable, startPostgres } from '../test/postgres/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (s) => process.stderr.write(`${s}\n`);

function child(argv, env, label) {
  log(`  ${label} …`);
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', ...argv], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 28,
  });
  log(`  ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ') };
  return JSON.parse(r.stdout);
}

/** Measures the PostgreSQL rows for a tenant of `sites` sites; { skipped } when PostgreSQL cannot run here. */
export async function benchPostgres(sites, seed, outDir) {
  const avail = postgresAvailable();
  if (!avail.ok) {
    log(`PostgreSQL rows skipped: ${avail.why}`);
    return { skipped: avail.why };
  }
  log(`\n== PostgreSQL, ${sites} sites ==`);
  const gen = await import(join(root, 'dist/generate/tenant.js'));
  const stamp = createHash('sha256')
    .update(readFileSync(join(root, 'dist/generate/tenant.js')))
    .update(readFileSync(join(root, 'bench/pg-tenant.mjs')))
    .digest('hex')
    .slice(0, 16);
  const dir = join(outDir, `pg-tenant-${sites}-s${seed}`);
  let t = Date.now();
  const copyRows = await writeTenantCopyFiles(gen, { sites, seed }, dir, stamp);
  log(`  COPY files: ${copyRows.toLocaleString('en-US')} rows (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  let server;
  try {
    server = await startPostgres();
  } catch (err) {
    log(`PostgreSQL rows skipped: PostgreSQL did not start: ${err.message}`);
    return { skipped: `PostgreSQL did not start: ${err.message}` };
  }
  try {
    const admin = new pg.Client({ host: server.host, port: server.port, user: server.superuser, password: server.password, database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE tenant');
    await admin.end();
    const c = new pg.Client({ host: server.host, port: server.port, user: server.superuser, password: server.password, database: 'tenant' });
    await c.connect();
    t = Date.now();
    await loadTenant(c, dir);
    const loadSeconds = (Date.now() - t) / 1000;
    await c.end();
    log(`  loaded into PostgreSQL in ${loadSeconds.toFixed(0)} s`);
    const overlay = join(outDir, 'pg-tenant.overlay.yaml');
    writeFileSync(overlay, OVERLAY);
    const uri = `postgres://${server.superuser}@${server.host}:${server.port}/tenant`;
    const env = { PGPASSWORD: server.password, PGPASSFILE: '/nonexistent/pgpass' };
    const reads = [];
    for (let k = 0; k < 2; k++) reads.push(child(['bench/postgres-child.mjs', 'read', uri, overlay, '200'], env, `read the database (run ${k + 1})`));
    const ok = reads.filter((r) => !r.error);
    const read = ok.length ? ok.reduce((a, b) => (a.seconds <= b.seconds ? a : b)) : reads[0];
    const pushDown = child(['bench/postgres-child.mjs', 'push-down', uri, overlay, '20'], env, '--backend postgres plans');
    return { sites, rows: copyRows, loadSeconds, read, reads: reads.length, pushDown };
  } finally {
    await server.stop();
  }
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
const fmtBytes = (b) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(0)} MiB`);
const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${(r / 1e3).toFixed(0)} k/s`);

/** The section's lines (markdown); `target` records a judged target as bench/run.mjs does. */
export function postgresReport(r, target) {
  const lines = ['', '### PostgreSQL (the generated tenant loaded into a local PostgreSQL)', ''];
  if (!r || r.skipped) return [...lines, `Skipped: ${r?.skipped ?? 'not run'}.`];
  if (r.read.error) return [...lines, `Read failed: ${r.read.error}`];
  const rd = r.read;
  const rate = rd.rows / rd.seconds;
  lines.push(
    `${fmtInt(r.sites)} sites: ${fmtInt(rd.rows)} rows in 18 tables (one per entity type, join tables for MENTIONS, MEMBER_OF, GOVERNS), ` +
      `${fmtInt(rd.entities)} entities, ${fmtInt(rd.relations)} relations; loaded with COPY in ${r.loadSeconds.toFixed(0)} s.`,
    '',
    '| measure | result | target | |',
    '|---|---|---|---|',
  );
  const judged = r.sites === 1000;
  const verdict = judged ? target(rate >= 5e5, 'PostgreSQL read ≥ 500 k rows/s', fmtRate(rate)) : '(judged at 1,000 sites)';
  const cpu = rd.cpuSeconds ? `; this process's CPU ${rd.cpuSeconds.toFixed(1)} s (${fmtRate(rd.rows / rd.cpuSeconds)} rows)` : '';
  lines.push(
    `| read the whole database (--graph postgres://…; best of ${r.reads}) | ${rd.seconds.toFixed(2)} s (${fmtRate(rate)} rows)${cpu} | ≥ 500 k rows/s | ${verdict} |`,
  );
  lines.push(`| peak RSS of that read | ${fmtBytes(rd.maxRssBytes)} (${(rd.maxRssBytes / rd.rows).toFixed(0)} B/row) | | |`);
  lines.push(`| single-site plan in memory, on the graph read (200 random sites) | p50 ${fmtMs(rd.planP50Ms)} | | |`);
  const pd = r.pushDown;
  if (pd.error) lines.push(`| \`--backend postgres\` single-site plan | failed: ${pd.error} | | |`);
  else
    lines.push(
      `| \`--backend postgres\` single-site plan (${pd.plans} random sites; connect, catalog, closure, neighbourhood, engine; mean ${fmtInt(pd.meanDeleted)} deleted, median ${pd.medianQueries} queries) | p50 ${fmtMs(pd.p50Ms)}, p95 ${fmtMs(pd.p95Ms)}; peak RSS ${fmtBytes(pd.maxRssBytes)} | | |`,
    );
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const sites = Number(option('--sites', '1000'));
  const seed = option('--seed', '1');
  const outDir = join(root, 'bench', 'out');
  const r = await benchPostgres(sites, seed, outDir);
  const targets = [];
  process.stdout.write(`${postgresReport(r, (ok, what, measured) => (targets.push({ ok, what, measured }), ok ? 'met' : '**missed**')).join('\n')}\n`);
}
