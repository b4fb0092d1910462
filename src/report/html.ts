// The HTML report: one self-contained file (no network, no CDN) with the verdict, the tables, the violations or
// risks with their chains, and an interactive graph (sigma.js on graphology, bundled at build time into
// dist/report-client.js and inlined here). Everything from the input is escaped: HTML text is entity-escaped, and
// the graph data sits in a JSON block that the script reads with JSON.parse and renders with textContent only.
// A Content-Security-Policy allows just this page's own script (by hash): no inline handler could ever run.
import { createHash } from 'node:crypto';
import { AUDIT_RULE_HELP, type AuditResult } from '../engine/audit.js';
import type { ChainLink, PlanResult } from '../engine/result.js';
import { auditSubgraph, NODE_STATUS_HELP, planSubgraph, type Subgraph, type SubgraphNode } from '../engine/subgraph.js';
import type { GraphIndex } from '../model/graph.js';
import { groupFindings, typeSentence } from './audit-human.js';
import { clean, countsText, fmt, groupViolations, headline, inBoundaryWords, plural, ruleHelp } from './common.js';
import type { ChainStep, ClientEdge, ClientGraph, ClientNode } from './html-data.js';
import { STATUS_COLORS, typeColors } from './palette.js';
import { elideChain, elidedText, isElided, joinPieces, jsonPieces, type Pieces } from './pieces.js';
import { jsonInvisible } from './text.js';

/** Above this many entities the graph shows per-type (and per-site) aggregates instead. */
export const HTML_MAX_NODES = 2000;
/** Aggregates per site, type and status until there would be more than this many; then per type and status only. */
const MAX_AGGREGATES = 400;
const MAX_ROWS = 1000;
const MAX_PER_RULE = 50;

/** Text for HTML content or a double-quoted attribute. */
export function esc(s: string): string {
  return clean(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that is safe inside <script type="application/json">: no `<`, `>` or `&` can end the block or start markup,
 * and no invisible character is in the file raw (JSON escapes; the script gets the exact strings and shows them
 * through `visible`).
 */
export function jsonForScript(data: unknown): string {
  return joinPieces(jsonForScriptPieces(data));
}

/** The same, as pieces (the replacements are per character, so each piece is made safe on its own). */
export function* jsonForScriptPieces(data: unknown): Generator<string> {
  for (const piece of jsonPieces(data, 0)) {
    yield jsonInvisible(piece)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  }
}

/** A bundle that cannot end its <script> element early. */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

// ---------------------------------------------------------------------------------------------- graph data

function nodeOf(n: SubgraphNode): ClientNode {
  const c: ClientNode = { key: n.id, id: n.id, type: n.type, status: n.status, sites: n.sites, rules: n.rules };
  if (n.name !== undefined) c.name = n.name;
  if (n.depth !== undefined) c.depth = n.depth;
  if (n.via) c.via = [n.via.principal, n.via.relation];
  return c;
}

/** The client graph: every node of the subgraph, or aggregates when there are too many. */
export function clientGraph(sg: Subgraph, decorate: (n: ClientNode) => void, maxNodes = HTML_MAX_NODES): ClientGraph {
  const base = {
    boundary: sg.boundary,
    typeColors: Object.fromEntries(typeColors(sg.nodes.map((n) => n.type))),
    statusColors: { ...STATUS_COLORS },
    statusHelp: { ...NODE_STATUS_HELP },
  };
  if (sg.nodes.length <= maxNodes) {
    const nodes = sg.nodes.map(nodeOf);
    nodes.forEach(decorate);
    const edges: ClientEdge[] = sg.edges.map((e) => ({ from: e.from, to: e.to, type: e.type, tree: e.tree }));
    return { ...base, aggregated: false, nodes, edges };
  }
  // Aggregates: per site, type and status; per type and status when that is still too many.
  const groupOf = (n: SubgraphNode) => (n.sites.length === 1 ? n.sites[0] : n.sites.length ? '(several sites)' : '(no site)');
  const perSite = new Set(sg.nodes.map((n) => `${groupOf(n)}\u0000${n.type}\u0000${n.status}`)).size <= MAX_AGGREGATES;
  const keyOf = (n: SubgraphNode) => (perSite ? `${groupOf(n)}\u0000${n.type}\u0000${n.status}` : `${n.type}\u0000${n.status}`);
  const byId = new Map(sg.nodes.map((n) => [n.id, n]));
  const chainOf = (n: SubgraphNode): ChainStep[] => {
    const steps: ChainStep[] = [];
    const seen = new Set<string>();
    for (let c: SubgraphNode | undefined = n; c && !seen.has(c.id); c = c.via ? byId.get(c.via.principal) : undefined) {
      seen.add(c.id);
      const s: ChainStep = { id: c.id, type: c.type, relation: c.via?.relation ?? null };
      if (c.name !== undefined) s.name = c.name;
      steps.push(s);
    }
    return steps.reverse();
  };
  const aggregates = new Map<string, ClientNode>();
  const aggOf = new Map<string, string>();
  for (const n of sg.nodes) {
    const key = keyOf(n);
    aggOf.set(n.id, key);
    let a = aggregates.get(key);
    if (!a) {
      const sites = perSite && n.sites.length === 1 ? n.sites : [];
      a = { key, id: '', type: n.type, status: n.status, sites, rules: [], count: 0, sample: [], chain: chainOf(n) };
      if (perSite) a.name = groupOf(n);
      if (n.depth !== undefined) a.depth = n.depth;
      aggregates.set(key, a);
    }
    a.count!++;
    if (a.sample!.length < 10) a.sample!.push(n.id);
    for (const r of n.rules) if (!a.rules.includes(r)) a.rules.push(r);
    if (n.depth !== undefined && (a.depth === undefined || n.depth < a.depth)) a.depth = n.depth;
  }
  for (const a of aggregates.values()) a.id = `${a.type} × ${fmt(a.count!)}`;
  const edgeMap = new Map<string, ClientEdge>();
  for (const e of sg.edges) {
    const from = aggOf.get(e.from)!;
    const to = aggOf.get(e.to)!;
    if (from === to) continue;
    const k = `${from}\u0001${to}\u0001${e.type}`;
    const x = edgeMap.get(k);
    if (x) {
      x.count!++;
      x.tree ||= e.tree;
    } else edgeMap.set(k, { from, to, type: e.type, tree: e.tree, count: 1 });
  }
  const note = `${fmt(sg.nodes.length)} entities are too many to draw one by one: each node is ${perSite ? `the entities of one type, status and ${sg.boundary}` : 'the entities of one type and status'} (size grows with the count). Click a node for examples and a chain.`;
  return { ...base, aggregated: true, note, nodes: [...aggregates.values()], edges: [...edgeMap.values()] };
}

// ---------------------------------------------------------------------------------------------- page pieces

/** A chain as a list; a long one by its ends and a count of the links between (the JSON report has them all). */
function chainHtml(chain: ChainLink[] | ChainStep[], length = chain.length): string {
  return `<ol class="chain">${elideChain<ChainLink | ChainStep>(chain, false, length)
    .map((l, i) =>
      isElided(l)
        ? `<li class="muted">${esc(elidedText(l))}</li>`
        : `<li>${i === 0 ? '' : `<span class="rel">${esc(l.relation ?? '')}</span> `}<code>${esc(l.id)}</code>${l.name ? ` ${esc(l.name)}` : ''} <span class="type">${esc(l.type)}</span></li>`,
    )
    .join('')}</ol>`;
}

function table(head: string[], rows: string[][], numeric: boolean[] = []): string {
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''}>${h}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

function card(label: string, value: string, tone = ''): string {
  return `<div class="card${tone ? ` ${tone}` : ''}"><div class="value">${value}</div><div class="label">${label}</div></div>`;
}

const GRAPH_SECTION = (title: string, help: string) => `
<section id="graph-section">
  <h2>${title}</h2>
  <p class="help">${help}</p>
  <div id="bg-note" class="note" hidden></div>
  <div class="toolbar">
    <input id="bg-search" type="search" placeholder="Search ID, name or type…" aria-label="Search the graph" autocomplete="off">
    <span id="bg-search-count" class="muted"></span>
    <span class="spacer"></span>
    <button id="bg-zoom-in" type="button" title="Zoom in">+</button>
    <button id="bg-zoom-out" type="button" title="Zoom out">−</button>
    <button id="bg-zoom-reset" type="button" title="Fit the whole graph">Fit</button>
  </div>
  <div class="graph-wrap">
    <div id="bg-graph" role="img" aria-label="${esc(title)}"></div>
    <aside id="bg-panel" aria-live="polite"><p class="muted">Click an entity to see why it is here: its chain back to the target.</p></aside>
  </div>
  <div id="bg-legend" class="legend"></div>
  <noscript><p class="note">The interactive graph needs JavaScript; every table on this page is complete without it.</p></noscript>
</section>`;

const CSS = `
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--soft:#f9fafb;--fail:#b91c1c;--pass:#15803d}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1400px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:20px;margin:0 0 4px;word-break:break-word}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.verdict{display:inline-block;font-weight:700;padding:2px 10px;border-radius:4px;color:#fff;margin-right:8px}
.verdict.fail{background:var(--fail)}.verdict.pass{background:var(--pass)}.verdict.info{background:#374151}
.headline{font-size:15px;margin:6px 0 0}.muted{color:var(--muted)}.help{color:var(--muted);margin:0 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px;background:var(--soft)}
.card .value{font-size:20px;font-weight:700}.card .label{color:var(--muted);font-size:12px}.card.bad .value{color:var(--fail)}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;padding:1px 4px;border-radius:3px;word-break:break-all}
.type{color:var(--muted);font-size:12px}.rel{color:#6d28d9;font-size:12px;font-weight:600}
ol.chain{margin:4px 0 10px;padding-left:22px}ol.chain li{margin:1px 0}
.rule{border-left:4px solid var(--fail);padding:2px 0 2px 12px;margin:14px 0}.rule.ok{border-color:var(--pass)}.rule.warn{border-color:#d97706}
.rule ul{margin:4px 0;padding-left:18px}.rule li{margin:6px 0}
.toolbar{display:flex;gap:6px;align-items:center;margin:6px 0}
.toolbar input{flex:0 1 360px;padding:5px 8px;border:1px solid #d1d5db;border-radius:4px;font:inherit}
.toolbar button{min-width:34px;padding:4px 10px;border:1px solid #d1d5db;background:#fff;border-radius:4px;font:inherit;cursor:pointer}
.toolbar .spacer{flex:1}
.graph-wrap{display:flex;gap:0;border:1px solid var(--line);border-radius:6px;overflow:hidden;height:600px}
#bg-graph{flex:1;min-width:0;height:100%;background:#fff;position:relative}
#bg-panel{width:340px;border-left:1px solid var(--line);padding:10px 14px;overflow:auto;background:var(--soft);font-size:13px}
#bg-panel h3{margin:0 0 4px;font-size:14px;word-break:break-all}#bg-panel dl{margin:6px 0}#bg-panel dt{color:var(--muted);font-size:12px;margin-top:6px}#bg-panel dd{margin:0;word-break:break-all}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:8px 0;font-size:12px;color:#374151}
.legend .sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px;vertical-align:-1px}
.legend .ring{display:inline-block;width:11px;height:11px;border-radius:50%;border:3px solid;margin-right:4px;vertical-align:-1px;background:#fff}
.note{background:#fef3c7;border:1px solid #fcd34d;padding:6px 10px;border-radius:4px;margin:6px 0}
details summary{cursor:pointer;font-weight:600;margin:8px 0}
footer{margin-top:30px;color:var(--muted);font-size:12px}
`;

interface PageParts {
  title: string;
  subtitle?: string;
  verdict: 'pass' | 'fail' | 'info';
  verdictText: string;
  headline: string;
  cards: string;
  beforeGraph?: string;
  graphTitle: string;
  graphHelp: string;
  /** Sections after the graph, one piece each (a page with a 200 MB name is never one string). */
  afterGraph: string[];
  graph: ClientGraph;
}

function* page(p: PageParts, bundle: string): Generator<string> {
  const script = scriptSafe(bundle);
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="blastguard">
<title>${esc(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
  <h1><span class="verdict ${p.verdict}">${esc(p.verdictText)}</span>${esc(p.title)}</h1>
${p.subtitle ? `  <p class="muted">${esc(p.subtitle)}</p>\n` : ''}  <p class="headline">${p.headline}</p>
  <div class="cards">${p.cards}</div>
</header>
${p.beforeGraph ?? ''}
${GRAPH_SECTION(p.graphTitle, p.graphHelp)}
`;
  for (let i = 0; i < p.afterGraph.length; i++) yield i ? `\n${p.afterGraph[i]}` : p.afterGraph[i];
  yield `
<footer>Made by blastguard. This file is self-contained: it loads nothing from the network.</footer>
</main>
<script type="application/json" id="bg-data">`;
  yield* jsonForScriptPieces(p.graph);
  yield `</script>
<script>${script}</script>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------- plan report

export interface HtmlOptions {
  title?: string;
  /** A line under the title (e.g. the manifest's description). */
  subtitle?: string;
  /** The browser bundle (dist/report-client.js, read by the caller: reporters do no I/O). */
  bundle: string;
  maxNodes?: number;
}

export function renderPlanHtml(result: PlanResult, g: GraphIndex, opts: HtmlOptions): string {
  return joinPieces(planHtmlPieces(result, g, opts));
}

/** The page as pieces, for writing as it is produced. */
export function planHtmlPieces(result: PlanResult, g: GraphIndex, opts: HtmlOptions): Pieces {
  const sg = planSubgraph(g, result);
  const detached = new Map(result.detached.map((d) => [d.id, d]));
  const spared = new Map(result.spared.map((s) => [s.id, s]));
  const notes = new Map<string, string[]>();
  const blockLink = new Map<string, [string, string, string]>();
  for (const v of result.violations) {
    if (v.entity === null) continue;
    let list = notes.get(v.entity);
    if (!list) notes.set(v.entity, (list = []));
    if (list.length < 3) list.push(v.message);
    if ((v.rule === 'protected' || v.rule === 'restricted') && v.chain.length >= 2 && !blockLink.has(v.entity)) {
      const last = v.chain[v.chain.length - 1];
      if (last.id === v.entity && last.relation) blockLink.set(v.entity, [v.chain[v.chain.length - 2].id, last.relation, v.message]);
    }
  }
  const graph = clientGraph(
    sg,
    (n) => {
      const d = detached.get(n.id);
      const s = spared.get(n.id);
      if (d && d.links[0])
        n.link = [d.links[0].to, d.links[0].relation, `survives, but loses ${d.links.map((l) => `its ${l.relation} relation to ${l.to}`).join(' and ')}`];
      else if (s && s.deletedOwners[0])
        n.link = [
          s.deletedOwners[0],
          s.relation,
          `survives: kept by ${s.keptBy} (${s.relation}, last-owner), though ${s.deletedOwners.join(', ')} would be deleted`,
        ];
      else if (n.status === 'blocked' && n.via === undefined && blockLink.has(n.id)) n.link = blockLink.get(n.id);
      const m = notes.get(n.id);
      if (m) n.notes = m;
    },
    opts.maxNodes,
  );
  const s = result.summary;
  const pass = result.verdict === 'pass';
  const title = opts.title ?? `deleting ${result.roots.slice(0, 3).join(', ')}${result.roots.length > 3 ? `, … (${result.roots.length} targets)` : ''}`;
  const cards = [
    card('targets', fmt(result.roots.length)),
    card('entities deleted', fmt(s.deleted), s.deleted ? 'bad' : ''),
    card(`reached, of type ${esc(result.boundary)}`, fmt(s.sites.length)),
    card(`deleted, of type ${esc(result.boundary)}`, fmt(s.sites.filter((x) => x.siteDeleted).length), s.sites.some((x) => x.siteDeleted) ? 'bad' : ''),
    card('detached', fmt(s.detached)),
    card('spared', fmt(s.spared)),
    card('violations', fmt(result.violations.length), result.violations.length ? 'bad' : ''),
  ].join('');

  const parts: string[] = [];
  // Violations, with chains.
  parts.push(`<section id="violations"><h2>Violations (${fmt(result.violations.length)})</h2>`);
  if (!result.violations.length) parts.push('<p>None: this deletion stays inside its intent.</p>');
  for (const [rule, list] of groupViolations(result)) {
    parts.push(`<div class="rule"><h3>${esc(rule)} <span class="muted">— ${esc(ruleHelp(rule, result.boundary))} (${fmt(list.length)})</span></h3><ul>`);
    for (const v of list.slice(0, MAX_PER_RULE)) parts.push(`<li>${esc(v.message)}${v.chain.length > 1 ? chainHtml(v.chain, v.chainLength) : ''}</li>`);
    if (list.length > MAX_PER_RULE) parts.push(`<li class="muted">… and ${fmt(list.length - MAX_PER_RULE)} more ${esc(rule)} (the JSON report lists all)</li>`);
    parts.push('</ul></div>');
  }
  parts.push('</section>');
  // Sites and types.
  parts.push('<section id="summary"><h2>What would be deleted</h2>');
  if (s.deleted)
    parts.push(
      `<p>${esc(plural(s.deleted, 'entity', 'entities'))} — ${esc(countsText(s.byType))}.${s.global ? ` ${esc(plural(s.global, 'of them belongs', 'of them belong'))} to no ${esc(result.boundary)}.` : ''}</p>`,
    );
  if (s.sites.length) {
    const rows = s.sites
      .slice(0, MAX_ROWS)
      .map((x) => [`<code>${esc(x.id)}</code>`, esc(x.name ?? ''), fmt(x.deleted), x.siteDeleted ? '<strong>yes</strong>' : 'no']);
    parts.push(table([esc(result.boundary), 'name', 'deleted entities', `${esc(result.boundary)} itself deleted`], rows, [false, false, true, false]));
    if (s.sites.length > MAX_ROWS) parts.push(`<p class="muted">… and ${fmt(s.sites.length - MAX_ROWS)} more.</p>`);
  }
  parts.push('</section>');
  if (result.deleted.length) {
    const rows = result.deleted
      .slice(0, MAX_ROWS)
      .map((d) => [
        `<code>${esc(d.id)}</code>`,
        esc(d.type),
        esc(d.name ?? ''),
        fmt(d.depth),
        d.via ? `${esc(d.via.relation)} → <code>${esc(d.via.principal)}</code>` : 'target',
      ]);
    parts.push(
      `<section id="deleted"><details><summary>Deleted entities (${fmt(result.deleted.length)})</summary>${table(['id', 'type', 'name', 'depth', 'via'], rows, [false, false, false, true, false])}${result.deleted.length > MAX_ROWS ? `<p class="muted">… and ${fmt(result.deleted.length - MAX_ROWS)} more (the JSON report lists all).</p>` : ''}</details></section>`,
    );
  }
  if (result.detached.length || result.spared.length) {
    const rows = [
      ...result.detached
        .slice(0, MAX_ROWS)
        .map((d) => [`<code>${esc(d.id)}</code>`, esc(d.type), 'detached', esc(d.links.map((l) => `${l.relation} → ${l.to}`).join(', '))]),
      ...result.spared.slice(0, MAX_ROWS).map((d) => [`<code>${esc(d.id)}</code>`, esc(d.type), 'spared', esc(`kept by ${d.keptBy} (${d.relation})`)]),
    ];
    parts.push(
      `<section id="survivors"><details><summary>Survivors that change (${fmt(result.detached.length + result.spared.length)})</summary>${table(['id', 'type', 'what happens', 'why'], rows)}</details></section>`,
    );
  }
  return page(
    {
      title,
      subtitle: opts.subtitle,
      verdict: pass ? 'pass' : 'fail',
      verdictText: pass ? 'PASS' : 'FAIL',
      headline: esc(headline(result)),
      cards,
      graphTitle: 'Blast radius',
      graphHelp:
        'Each dot is an entity, coloured by type and ringed by what happens to it, grouped by site. Arrows point the way the deletion travels. Scroll to zoom, drag to pan, click for the chain.',
      afterGraph: parts,
      graph,
    },
    opts.bundle,
  );
}

// ---------------------------------------------------------------------------------------------- audit report

export function renderAuditHtml(result: AuditResult, g: GraphIndex, opts: HtmlOptions): string {
  return joinPieces(auditHtmlPieces(result, g, opts));
}

/** The page as pieces, for writing as it is produced. */
export function auditHtmlPieces(result: AuditResult, g: GraphIndex, opts: HtmlOptions): Pieces {
  const sg = auditSubgraph(g, result);
  const notes = new Map<string, string[]>();
  for (const f of result.findings) {
    for (const e of f.entities) {
      let list = notes.get(e.id);
      if (!list) notes.set(e.id, (list = []));
      if (list.length < 3) list.push(`${f.rule}: ${f.message}`);
    }
  }
  const radius = new Map(result.sites.map((s) => [s.id, s.deleted]));
  const graph = clientGraph(
    sg,
    (n) => {
      const m = notes.get(n.id);
      if (m) n.notes = m;
      const r = radius.get(n.id);
      if (r !== undefined) n.notes = [`deleting this ${result.boundary} alone deletes ${fmt(r)} entities`, ...(n.notes ?? [])];
    },
    opts.maxNodes,
  );
  const gr = result.graph;
  const open = result.findings.filter((f) => !f.accepted).length;
  const verdict = result.gate ? result.gate.verdict : 'info';
  const b = esc(result.boundary);
  const cards = [
    card('entities', fmt(gr.entities)),
    card('relations', fmt(gr.relations)),
    card(`of type ${b}`, fmt(gr.sites)),
    card(`entities in no ${b}`, fmt(gr.global)),
    card('open structural risks', fmt(open), open ? 'bad' : ''),
    ...(result.gate?.accepted ? [card('accepted by the baseline', fmt(result.gate.accepted))] : []),
  ].join('');
  const parts: string[] = [];
  parts.push(`<section id="risks"><h2>Structural risks (${fmt(open)} open)</h2>`);
  for (const [rule, list] of groupFindings(result.findings)) {
    const openList = list.filter((f) => !f.accepted);
    const failing = result.gate?.failOn.includes(rule) ?? false;
    const tone = openList.length === 0 ? 'ok' : failing ? '' : 'warn';
    parts.push(
      `<div class="rule ${tone}"><h3>${esc(rule)} <span class="muted">— ${esc(inBoundaryWords(AUDIT_RULE_HELP[rule], result.boundary))} (${fmt(openList.length)}${list.length > openList.length ? `, ${fmt(list.length - openList.length)} accepted` : ''})</span></h3>`,
    );
    if (openList.length) {
      parts.push('<ul>');
      for (const f of openList.slice(0, MAX_PER_RULE)) {
        const rels = f.relations
          .slice(0, 5)
          .map((r) => `<li><code>${esc(r.from)}</code> <span class="rel">${esc(r.type)} (${esc(r.onDelete)})</span> <code>${esc(r.to)}</code></li>`)
          .join('');
        parts.push(`<li>${esc(f.message)}${rels ? `<ul class="muted">${rels}</ul>` : ''}</li>`);
      }
      if (openList.length > MAX_PER_RULE) parts.push(`<li class="muted">… and ${fmt(openList.length - MAX_PER_RULE)} more (the JSON report lists all)</li>`);
      parts.push('</ul>');
    }
    parts.push('</div>');
  }
  if (result.gate?.stale.length)
    parts.push(`<p class="note">${fmt(result.gate.stale.length)} baseline entries match no finding any more and can be removed.</p>`);
  parts.push('</section>');
  if (result.sites.length) {
    const rows = result.sites
      .slice(0, MAX_ROWS)
      .map((s) => [`<code>${esc(s.id)}</code>`, esc(s.name ?? ''), fmt(s.deleted), fmt(s.otherSites), fmt(s.sitesDeleted), fmt(s.shared)]);
    parts.push(
      `<section id="sites"><h2>Blast radius of each ${b} (deleting it alone)</h2>${table([b, 'name', 'deletes', `other ${b} hit`, `${b} deleted`, 'shared deleted'], rows, [false, false, true, true, true, true])}${result.sites.length > MAX_ROWS ? `<p class="muted">… and ${fmt(result.sites.length - MAX_ROWS)} more.</p>` : ''}</section>`,
    );
  }
  if (result.types.length) {
    const rows = result.types.map((t) => [
      esc(t.type),
      fmt(t.entities) + (t.measured < t.entities ? ` <span class="muted">(${fmt(t.measured)} measured)</span>` : ''),
      fmt(t.largest.deleted),
      fmt(t.median),
      fmt(t.p95),
      fmt(t.largest.sitesDeleted),
      `<code>${esc(t.largest.id)}</code>`,
    ]);
    const big = result.types.find((t) => t.largest.deleted > 1);
    parts.push(
      `<section id="types"><h2>Blast radius by type (one entity deleted alone)</h2>${big ? `<p>${esc(typeSentence(big, result.boundary))}.</p>` : ''}${table(['type', 'entities', 'largest', 'median', 'p95', `${b}s deleted`, 'largest example'], rows, [false, true, true, true, true, true, false])}</section>`,
    );
  }
  const title = opts.title ?? 'architecture audit';
  return page(
    {
      title,
      subtitle: opts.subtitle,
      verdict,
      verdictText: verdict === 'info' ? 'AUDIT' : verdict === 'pass' ? 'PASS' : 'FAIL',
      headline: esc(`${plural(gr.entities, 'entity', 'entities')} (${fmt(gr.sites)} of type ${result.boundary}); ${plural(open, 'open structural risk')}`),
      cards,
      graphTitle: 'Structural risks',
      graphHelp: `Sites and the entities the risks name, coloured by type, grouped by ${result.boundary}. Arrows point the way a deletion travels. Click an entity for its risks.`,
      afterGraph: parts,
      graph,
    },
    opts.bundle,
  );
}
