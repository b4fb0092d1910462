// Loading figures of the Neo4j backend on the generated tenant (default 1000 sites, about 1 M entities), beside the
// in-memory ones: the fast load (CREATE into an empty database), the bulk import end to end (CSV files written,
// neo4j-admin database import, a server started on the result, constraints created), reading the file into memory.
//
//   npm run build && node bench/neo4j-load.mjs                  generate --sites 1000 --seed 3, own servers
//   node bench/neo4j-load.mjs --sites 50                         a smaller tenant
//   node bench/neo4j-load.mjs --graph tenant.ndjson              a snapshot of yours instead
//   node bench/neo4j-load.mjs --merge                            also a second load into the full database (MERGE)
//   node bench/neo4j-load.mjs --skip-load                        only the bulk import
//   node bench/neo4j-load.mjs --skip-import                      only the load (no bulk import)
//   node bench/neo4j-load.mjs --again                            also the same load on the now warm server, database emptied
//   node bench/neo4j-load.mjs --batch-size N --in-flight N       the fast load's batches (defaults of write.ts)
//   node bench/neo4j-load.mjs --pagecache-mb 2048 --heap 2g      the servers' memory (defaults)
//
// Prints a Markdown table on stdout and progress on stderr. CPU seconds (server and client) are printed beside the
// wall times: on a shared machine the wall time says more about the neighbours than about the load.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(join(root, 'dist', p));
const { openGraph } = await dist('app/graph.js');
const { plan } = await dist('engine/plan.js');
const { connectNeo4j } = await dist('store/neo4j/connect.js');
const { writeGraph, CONSTRAINTS } = await dist('store/neo4j/write.js');
const { writeImportFiles } = await dist('store/neo4j/import-csv.js');
const { readGraph } = await dist('store/neo4j/read.js');
const { startNeo4j, runNeo4jAdmin } = await import(join(root, 'test/neo4j-server/server.mjs'));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const sites = Number(option('--sites', '1000'));
const seed = option('--seed', '3');
const pagecacheMb = Number(option('--pagecache-mb', '2048'));
const heap = option('--heap', '2g');
const log = (s) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
const int = (x) => Math.round(x).toLocaleString('en-US');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** CPU seconds (user + system) a process has used, from /proc (Linux). */
const cpuOf = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
};
/** The same by thread group (Linux): the Bolt workers that run the queries, the JIT compilers, the garbage collector. */
const threadCpuOf = (pid) => {
  const out = { jit: 0, gc: 0, work: 0 };
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        const comm = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
        const f = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').split(') ')[1].split(' ');
        out[/Compiler/.test(comm) ? 'jit' : /GC|G1|Conc|Refine/i.test(comm) ? 'gc' : 'work'] += (Number(f[11]) + Number(f[12])) / 100;
      } catch {
        // a thread that ended between the listing and the read
      }
    }
  } catch {
    return null;
  }
  return out;
};
const clientCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const loadStart = (await import('node:os')).loadavg()[0].toFixed(1);
const work = mkdtempSync(join(tmpdir(), 'blastguard-neo4j-load-'));
let file = option('--graph', undefined);
if (!file) {
  const { tenantText } = await dist('generate/text.js');
  const { createWriteStream } = await import('node:fs');
  file = join(work, 'tenant.ndjson');
  const t = performance.now();
  const out = createWriteStream(file);
  let buf = '';
  for (const piece of tenantText({ sites, seed }, 'ndjson')) {
    buf += piece;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  await new Promise((r) => out.end(buf, r));
  log(`generated ${sites} sites (seed ${seed}) in ${secs(performance.now() - t)}`);
}

const rows = [];
let t = performance.now();
const { graph } = await openGraph(file);
const records = graph.size + graph.relationCount;
const ingestMs = performance.now() - t;
rows.push(['read the snapshot into memory (ingest)', secs(ingestMs), `${int(records / (ingestMs / 1000))} records/s`, '', '']);
log(`in memory: ${int(graph.size)} entities + ${int(graph.relationCount)} relations in ${secs(ingestMs)}`);
const siteIds = [];
for (let i = 0; i < graph.size && siteIds.length < 25; i++) if (graph.typeOf(i) === graph.schema.boundary) siteIds.push(graph.idOf(i));
const planMs = siteIds.map((id) => {
  plan(graph, [id]);
  const s = performance.now();
  plan(graph, [id]);
  return performance.now() - s;
});
planMs.sort((a, b) => a - b);
rows.push(['in-memory single-site plan, p50 (25 sites)', `${planMs[planMs.length >> 1].toFixed(2)} ms`, '', '', '']);

// The fast load: a fresh server, an empty database.
if (!args.includes('--skip-load')) {
  const server = await startNeo4j({ pagecacheMb, heap });
  const conn = await connectNeo4j({ uri: server.uri, idleTimeoutMs: 1_800_000 });
  try {
    const c0 = cpuOf(server.pid);
    const th0 = threadCpuOf(server.pid);
    const n0 = clientCpu();
    let last = performance.now();
    t = performance.now();
    // Where the entity phase ends (the first relation batch): its wall time and the CPU seconds spent by then.
    let entitiesDone = null;
    const batchSize = option('--batch-size', undefined);
    const inFlight = option('--in-flight', undefined);
    const w = await writeGraph(conn, graph, {
      batchSize: batchSize ? Number(batchSize) : undefined,
      inFlight: inFlight ? Number(inFlight) : undefined,
      onProgress: (p) => {
        if (p.entities === graph.size && !entitiesDone) entitiesDone = { ms: performance.now() - t, server: cpuOf(server.pid) - c0, client: clientCpu() - n0 };
        if (performance.now() - last < 15_000) return;
        last = performance.now();
        log(`  load: ${int(p.entities + p.relations)} of ${int(records)} rows, ${int((p.entities + p.relations) / ((last - t) / 1000))} rows/s`);
      },
    });
    const ms = performance.now() - t;
    const serverCpu = cpuOf(server.pid) - c0;
    const cpu = clientCpu() - n0;
    rows.push([
      `fast load into an empty database (${w.path}, ${w.batches} transactions)`,
      secs(ms),
      `${int((w.entities + w.relations) / (ms / 1000))} records/s`,
      `server ${serverCpu.toFixed(0)} s, client ${cpu.toFixed(0)} s`,
      `${int((w.entities + w.relations) / (serverCpu + cpu))}`,
    ]);
    if (entitiesDone && w.path === 'create') {
      const rel = { ms: ms - entitiesDone.ms, server: serverCpu - entitiesDone.server, client: cpu - entitiesDone.client };
      for (const [what, n, x] of [
        ['entities', w.entities, entitiesDone],
        ['relations', w.relations, rel],
      ]) {
        rows.push([
          `&nbsp;&nbsp;${what} phase`,
          secs(x.ms),
          `${int(n / (x.ms / 1000))} ${what}/s`,
          `server ${x.server.toFixed(0)} s, client ${x.client.toFixed(0)} s`,
          `${int(n / (x.server + x.client))}`,
        ]);
      }
    }
    const th1 = threadCpuOf(server.pid);
    if (th0 && th1) {
      const d = (k) => `${(th1[k] - th0[k]).toFixed(0)} s`;
      rows.push([
        '&nbsp;&nbsp;server CPU by thread: queries (Bolt workers and the rest), JIT compilers, GC',
        '',
        '',
        `${d('work')}, ${d('jit')}, ${d('gc')}`,
        '',
      ]);
    }
    log(`fast load: ${w.path} ${int(w.entities)} + ${int(w.relations)} in ${secs(ms)}; server cpu ${serverCpu.toFixed(1)} s, client cpu ${cpu.toFixed(1)} s`);
    if (args.includes('--merge')) {
      const c1 = cpuOf(server.pid);
      t = performance.now();
      const m = await writeGraph(conn, graph, {});
      const mms = performance.now() - t;
      const mcpu = cpuOf(server.pid) - c1;
      rows.push([
        `re-load into the full database (${m.path})`,
        secs(mms),
        `${int((m.entities + m.relations) / (mms / 1000))} records/s`,
        `server ${mcpu.toFixed(0)} s`,
        '',
      ]);
      log(`re-load: ${secs(mms)}`);
    }
    if (args.includes('--again')) {
      // The same load on the same server once it has run one: the database emptied (in batches of their own
      // transactions, not timed), so the fast path applies again, and the JVM has compiled its code. A server in
      // service has; a freshly started one pays ~30 CPU-seconds of compilation during its first load.
      t = performance.now();
      const session = conn.session('WRITE');
      try {
        await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS');
      } finally {
        await session.close();
      }
      log(`emptied the database in ${secs(performance.now() - t)}`);
      const c1 = cpuOf(server.pid);
      const a0 = threadCpuOf(server.pid);
      const n1 = clientCpu();
      t = performance.now();
      const a = await writeGraph(conn, graph, {});
      const ams = performance.now() - t;
      const acpu = cpuOf(server.pid) - c1;
      const a1 = threadCpuOf(server.pid);
      rows.push([
        `the same load again on this server, into the emptied database (${a.path}, ${a.batches} transactions)`,
        secs(ams),
        `${int((a.entities + a.relations) / (ams / 1000))} records/s`,
        `server ${acpu.toFixed(0)} s${a0 && a1 ? ` (JIT ${(a1.jit - a0.jit).toFixed(0)} s, GC ${(a1.gc - a0.gc).toFixed(0)} s)` : ''}, client ${(clientCpu() - n1).toFixed(0)} s`,
        `${int((a.entities + a.relations) / (acpu + clientCpu() - n1))}`,
      ]);
      log(`load again: ${a.path} in ${secs(ams)}`);
    }
  } finally {
    await conn.close();
    await server.stop();
  }
}

// The bulk import, end to end.
if (!args.includes('--skip-import')) {
  const dir = join(work, 'import');
  const home = join(work, 'home');
  const n0 = clientCpu();
  t = performance.now();
  const files = await writeImportFiles(graph, dir);
  const csvMs = performance.now() - t;
  const csvCpu = clientCpu() - n0;
  log(`csv: ${files.files} files, ${(files.bytes / 2 ** 20).toFixed(0)} MiB in ${secs(csvMs)}`);
  t = performance.now();
  const imported = await runNeo4jAdmin(home, files.args, { heap });
  const importMs = performance.now() - t;
  if (imported.code !== 0) throw new Error(`neo4j-admin failed (${imported.code}):\n${imported.out.slice(-3000)}`);
  log(`neo4j-admin import: ${secs(importMs)}`);
  t = performance.now();
  const server = await startNeo4j({ home, pagecacheMb, heap });
  const startMs = performance.now() - t;
  const conn = await connectNeo4j({ uri: server.uri, idleTimeoutMs: 1_800_000 });
  try {
    t = performance.now();
    const s = conn.session('WRITE');
    try {
      for (const c of CONSTRAINTS) await s.run(c);
      await s.run('CALL db.awaitIndexes(1800)');
    } finally {
      await s.close();
    }
    const constraintMs = performance.now() - t;
    const total = csvMs + importMs + startMs + constraintMs;
    rows.push([
      `bulk import: CSV files (${files.files} files, ${(files.bytes / 2 ** 20).toFixed(0)} MiB)`,
      secs(csvMs),
      `${int(records / (csvMs / 1000))} records/s`,
      `client ${csvCpu.toFixed(0)} s`,
      '',
    ]);
    rows.push(['bulk import: neo4j-admin database import full', secs(importMs), `${int(records / (importMs / 1000))} records/s`, '', '']);
    rows.push(['bulk import: server start on the result + constraints', `${secs(startMs)} + ${secs(constraintMs)}`, '', '', '']);
    rows.push(['**bulk import end to end**', `**${secs(total)}**`, `**${int(records / (total / 1000))} records/s**`, '', '']);
    t = performance.now();
    const back = await readGraph(conn);
    const readMs = performance.now() - t;
    if (back.size !== graph.size) throw new Error(`imported graph has ${back.size} entities, expected ${graph.size}`);
    rows.push(['read the imported graph into memory', secs(readMs), `${int((back.size + back.relationCount) / (readMs / 1000))} records/s`, '', '']);
  } finally {
    await conn.close();
    await server.stop();
  }
}
rmSync(work, { recursive: true, force: true });

console.log(
  `Generated tenant: ${int(graph.size)} entities, ${int(graph.relationCount)} relations (${int(records)} records); Neo4j ${heap} heap, ${pagecacheMb} MiB page cache; load average at the start ${loadStart}, at the end ${(await import('node:os')).loadavg()[0].toFixed(1)}; client peak RSS ${int(process.resourceUsage().maxRSS / 1024)} MiB`,
);
console.log('');
console.log('| step | wall time | rate | CPU time | records per CPU-second |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
