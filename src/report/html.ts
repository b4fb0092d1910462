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
import { groupFindings, typeSentence } from './audit-text.js';
import { clean, countsText, fmt, groupViolations, headline, inBoundaryWords, plural, ruleHelp } from './common.js';
import type { ChainStep, ClientEdge, ClientGraph, ClientGroup, ClientNode } from './html-data.js';
import { STATUS_COLORS, typeColors } from './palette.js';
import { elideChain, elidedText, isElided, joinPieces, jsonPieces, type Pieces } from './pieces.js';
import { jsonInvisible } from './text.js';

/** Above this many entities the page embeds per-type (and per-site) aggregates only, not the entities. */
export const HTML_MAX_NODES = 20000;
/** Above this many entities the picture opens grouped (one node per type, status and few sites); a click expands. */
export const HTML_GROUP_ABOVE = 150;
/** Groups are per site when the entities are in at most this many sites (or groups of sites). */
const FEW_SITES = 8;
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

/** Whether a relation crosses a boundary: both ends are in sites, and in no site together. */
function crosses(a: SubgraphNode | undefined, b: SubgraphNode | undefined): boolean {
  return !!a && !!b && a.sites.length > 0 && b.sites.length > 0 && !a.sites.some((s) => b.sites.includes(s));
}

/** The site an entity is grouped under: its one site, or a stand-in for several or none. */
function siteGroupOf(n: SubgraphNode, boundary: string): string {
  return n.sites.length === 1 ? n.sites[0] : n.sites.length ? `(several ${boundary})` : `(no ${boundary})`;
}

/**
 * The client graph: every node of the subgraph (grouped at first sight when there are more than `groupAbove`), or
 * aggregates only when there are more than `maxNodes`.
 */
export function clientGraph(sg: Subgraph, decorate: (n: ClientNode) => void, maxNodes = HTML_MAX_NODES, groupAbove = HTML_GROUP_ABOVE): ClientGraph {
  const base = {
    boundary: sg.boundary,
    typeColors: Object.fromEntries(typeColors(sg.nodes.map((n) => n.type))),
    statusColors: { ...STATUS_COLORS },
    statusHelp: { ...NODE_STATUS_HELP },
  };
  const byId = new Map(sg.nodes.map((n) => [n.id, n]));
  if (sg.nodes.length > maxNodes) return { ...base, ...aggregates(sg, byId) };
  const nodes = sg.nodes.map(nodeOf);
  nodes.forEach(decorate);
  const index = new Map(sg.nodes.map((n, i) => [n.id, i]));
  const relationTypes: string[] = [];
  const typeIndex = new Map<string, number>();
  const links: number[] = [];
  for (const e of sg.edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined) continue;
    let t = typeIndex.get(e.type);
    if (t === undefined) typeIndex.set(e.type, (t = relationTypes.push(e.type) - 1));
    links.push(from, to, t, (e.tree ? 1 : 0) | (crosses(sg.nodes[from], sg.nodes[to]) ? 2 : 0));
  }
  const entities = { ...base, aggregated: false, nodes, edges: [], links, relationTypes };
  if (sg.nodes.length <= groupAbove) return entities;
  // Grouped: the panel keeps the sentences of the targets and survivors only; a deleted entity shows its rules and
  // chain (the Violations section has the sentences), so thousands of entities keep the page a few MB.
  for (const n of nodes) if (n.notes && n.status === 'deleted') delete n.notes;
  const { groups, perSite } = groupsOf(sg, nodes);
  const what = perSite ? `type, status and ${sg.boundary}` : 'type and status';
  const note = `${fmt(sg.nodes.length)} entities, drawn as one node per ${what}. Click a node to show its entities.`;
  return { ...entities, note, groups };
}

/** The groups of the opening picture, and each entity's group (set on the client nodes). */
function groupsOf(sg: Subgraph, nodes: ClientNode[]): { groups: ClientGroup[]; perSite: boolean } {
  const perSite = new Set(sg.nodes.map((n) => siteGroupOf(n, sg.boundary))).size <= FEW_SITES;
  const keyOf = (n: SubgraphNode) => (perSite ? `${siteGroupOf(n, sg.boundary)}\u0000${n.type}\u0000${n.status}` : `${n.type}\u0000${n.status}`);
  const depthOf = new Map<string, number>();
  for (const n of sg.nodes) if (n.depth !== undefined) depthOf.set(n.id, n.depth);
  // Survivors have no depth: one column past the deepest deleted entity they relate to.
  const maxDepth = Math.max(0, ...depthOf.values());
  const near = new Map<string, number>();
  for (const e of sg.edges)
    for (const [a, b] of [
      [e.from, e.to],
      [e.to, e.from],
    ]) {
      const d = depthOf.get(b);
      if (!depthOf.has(a) && d !== undefined) near.set(a, Math.max(near.get(a) ?? 0, d + 1));
    }
  const groups = new Map<string, ClientGroup>();
  const order = new Map<string, number>();
  sg.nodes.forEach((n, i) => {
    const key = keyOf(n);
    const level = depthOf.get(n.id) ?? near.get(n.id) ?? maxDepth + 1;
    let gr = groups.get(key);
    if (!gr) {
      groups.set(key, (gr = { key, type: n.type, status: n.status, site: perSite ? siteGroupOf(n, sg.boundary) : '', count: 0, level }));
      order.set(key, order.size);
    }
    gr.count++;
    gr.level = Math.min(gr.level, level);
    nodes[i].group = order.get(key)!;
  });
  return { groups: [...groups.values()], perSite };
}

/** Too many entities to embed: aggregates per site, type and status (per type and status when still too many). */
function aggregates(sg: Subgraph, byId: Map<string, SubgraphNode>): Pick<ClientGraph, 'aggregated' | 'note' | 'nodes' | 'edges'> {
  const perSite = new Set(sg.nodes.map((n) => `${siteGroupOf(n, sg.boundary)}\u0000${n.type}\u0000${n.status}`)).size <= MAX_AGGREGATES;
  const keyOf = (n: SubgraphNode) => (perSite ? `${siteGroupOf(n, sg.boundary)}\u0000${n.type}\u0000${n.status}` : `${n.type}\u0000${n.status}`);
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
  const aggs = new Map<string, ClientNode>();
  const aggOf = new Map<string, string>();
  for (const n of sg.nodes) {
    const key = keyOf(n);
    aggOf.set(n.id, key);
    let a = aggs.get(key);
    if (!a) {
      const sites = perSite && n.sites.length === 1 ? n.sites : [];
      a = { key, id: '', type: n.type, status: n.status, sites, rules: [], count: 0, sample: [], chain: chainOf(n) };
      if (perSite) a.name = siteGroupOf(n, sg.boundary);
      if (n.depth !== undefined) a.depth = n.depth;
      aggs.set(key, a);
    }
    a.count!++;
    if (a.sample!.length < 10) a.sample!.push(n.id);
    for (const r of n.rules) if (!a.rules.includes(r)) a.rules.push(r);
    if (n.depth !== undefined && (a.depth === undefined || n.depth < a.depth)) a.depth = n.depth;
  }
  for (const a of aggs.values()) a.id = `${a.type} × ${fmt(a.count!)}`;
  const edgeMap = new Map<string, ClientEdge>();
  for (const e of sg.edges) {
    const from = aggOf.get(e.from)!;
    const to = aggOf.get(e.to)!;
    if (from === to) continue;
    const k = `${from}\u0001${to}\u0001${e.type}`;
    const cross = crosses(byId.get(e.from), byId.get(e.to)) ? 1 : 0;
    const x = edgeMap.get(k);
    if (x) {
      x.count!++;
      x.tree ||= e.tree;
      x.cross = (x.cross as number) + cross;
    } else edgeMap.set(k, { from, to, type: e.type, tree: e.tree, count: 1, cross });
  }
  const note = `${fmt(sg.nodes.length)} entities are too many to draw one by one: each node is ${perSite ? `the entities of one type, status and ${sg.boundary}` : 'the entities of one type and status'} (size grows with the count). Click a node for examples and a chain.`;
  return { aggregated: true, note, nodes: [...aggs.values()], edges: [...edgeMap.values()] };
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

// The legend sits between the toolbar and the graph, and the graph is as tall as the window leaves room for, so the
// colours are explained in the first screen at 1366×768 as at 1920×1080.
const GRAPH_SECTION = (title: string, help: string) => `
<section id="graph-section">
  <h2>${title}</h2>
  <p class="help">${help}</p>
  <div id="bg-note" class="note" hidden></div>
  <div class="toolbar">
    <input id="bg-search" type="search" placeholder="Search ID, name or type…" aria-label="Search the graph" autocomplete="off">
    <span id="bg-search-count" class="muted"></span>
    <span class="spacer"></span>
    <button id="bg-toggle" type="button" hidden>Show every entity</button>
    <button id="bg-zoom-in" type="button" title="Zoom in">+</button>
    <button id="bg-zoom-out" type="button" title="Zoom out">−</button>
    <button id="bg-zoom-reset" type="button" title="Fit the whole graph">Fit</button>
  </div>
  <div id="bg-legend" class="legend" aria-label="Legend"></div>
  <div class="graph-wrap">
    <div id="bg-graph" role="img" aria-label="${esc(title)}"></div>
    <aside id="bg-panel" aria-live="polite"><p class="muted">Click an entity to see why it is here: its chain back to the target.</p></aside>
  </div>
  <noscript><p class="note">The interactive graph needs JavaScript; every table on this page is complete without it.</p></noscript>
</section>`;

const CSS = `
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--soft:#f9fafb;--fail:#b91c1c;--pass:#15803d}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1400px;margin:0 auto;padding:14px 24px 40px}
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
.graph-wrap{display:flex;gap:0;border:1px solid var(--line);border-radius:6px;overflow:hidden;height:clamp(340px,calc(100vh - 150px),720px)}
#bg-graph{flex:1;min-width:0;height:100%;background:#fff;position:relative}
#bg-panel{width:340px;border-left:1px solid var(--line);padding:10px 14px;overflow:auto;background:var(--soft);font-size:13px}
#bg-panel h3{margin:0 0 4px;font-size:14px;word-break:break-all}#bg-panel dl{margin:6px 0}#bg-panel dt{color:var(--muted);font-size:12px;margin-top:6px}#bg-panel dd{margin:0;word-break:break-all}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:8px 0;font-size:12px;color:#374151}
.legend .sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px;vertical-align:-1px}
.legend .line{display:inline-block;width:18px;height:3px;margin-right:4px;vertical-align:3px}
.legend .ring{display:inline-block;width:11px;height:11px;border-radius:50%;border:3px solid;margin-right:4px;vertical-align:-1px;background:#fff}
.note{background:#fef3c7;border:1px solid #fcd34d;padding:6px 10px;border-radius:4px;margin:6px 0}
details summary{cursor:pointer;font-weight:600;margin:8px 0}
details.rule>summary{margin:0}details.rule>summary h3{display:inline;margin:0}
details.chain>summary{font-weight:400;color:var(--muted);margin:2px 0;font-size:13px}
.rule-counts{display:flex;flex-wrap:wrap;gap:6px 10px;margin:4px 0 10px;padding:0;list-style:none}
.rule-counts li{border:1px solid var(--line);border-radius:12px;padding:1px 10px;background:var(--soft)}
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
    card(`${esc(result.boundary)} reached`, fmt(s.sites.length)),
    card(`${esc(result.boundary)} deleted`, fmt(s.sites.filter((x) => x.siteDeleted).length), s.sites.some((x) => x.siteDeleted) ? 'bad' : ''),
    card('detached', fmt(s.detached)),
    card('spared', fmt(s.spared)),
    card('violations', fmt(result.violations.length), result.violations.length ? 'bad' : ''),
  ].join('');

  const parts: string[] = [];
  // Violations, grouped by rule with their counts; each chain folds away (the first of a rule is open).
  const byRule = groupViolations(result);
  parts.push(`<section id="violations"><h2>Violations (${fmt(result.violations.length)})</h2>`);
  if (!result.violations.length) parts.push('<p>None: this deletion stays inside its intent.</p>');
  else
    parts.push(
      `<ul class="rule-counts">${[...byRule].map(([rule, list]) => `<li><a href="#rule-${esc(rule)}">${esc(rule)}</a>: ${fmt(list.length)}</li>`).join('')}</ul>`,
    );
  for (const [rule, list] of byRule) {
    parts.push(
      `<details class="rule" id="rule-${esc(rule)}" open><summary><h3>${esc(rule)} <span class="muted">— ${esc(ruleHelp(rule, result.boundary))} (${fmt(list.length)})</span></h3></summary><ul>`,
    );
    let opened = false;
    for (const v of list.slice(0, MAX_PER_RULE)) {
      const first: boolean = v.chain.length > 1 && !opened;
      opened ||= first;
      const chain =
        v.chain.length > 1
          ? `<details class="chain"${first ? ' open' : ''}><summary>chain from the target (${fmt(v.chainLength ?? v.chain.length)} entities)</summary>${chainHtml(v.chain, v.chainLength)}</details>`
          : '';
      parts.push(`<li>${esc(v.message)}${chain}</li>`);
    }
    if (list.length > MAX_PER_RULE) parts.push(`<li class="muted">… and ${fmt(list.length - MAX_PER_RULE)} more ${esc(rule)} (the JSON report lists all)</li>`);
    parts.push('</ul></details>');
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
      graphHelp: `Each dot is an entity, coloured by type and ringed by what happens to it, grouped by ${esc(result.boundary)}. Arrows point the way the deletion travels. Scroll to zoom, drag to pan, click for the chain.`,
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
    card(`${b} (boundary)`, fmt(gr.sites)),
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
      `<details class="rule ${tone}" id="rule-${esc(rule)}"${openList.length ? ' open' : ''}><summary><h3>${esc(rule)} <span class="muted">— ${esc(inBoundaryWords(AUDIT_RULE_HELP[rule], result.boundary))} (${fmt(openList.length)}${list.length > openList.length ? `, ${fmt(list.length - openList.length)} accepted` : ''})</span></h3></summary>`,
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
    parts.push('</details>');
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
      `<section id="types"><h2>Blast radius by type (one entity deleted alone)</h2>${big ? `<p>${esc(typeSentence(big, result.boundary))}.</p>` : ''}${table(['type', 'entities', 'largest', 'median', 'p95', `${b} deleted`, 'largest example'], rows, [false, true, true, true, true, true, false])}</section>`,
    );
  }
  const title = opts.title ?? 'architecture audit';
  return page(
    {
      title,
      subtitle: opts.subtitle,
      verdict,
      verdictText: verdict === 'info' ? 'AUDIT' : verdict === 'pass' ? 'PASS' : 'FAIL',
      headline: esc(`${plural(gr.entities, 'entity', 'entities')}, ${result.boundary} (boundary): ${fmt(gr.sites)}; ${plural(open, 'open structural risk')}`),
      cards,
      graphTitle: 'Structural risks',
      graphHelp: `Sites and the entities the risks name, coloured by type, grouped by ${result.boundary}. Arrows point the way a deletion travels. Click an entity for its risks.`,
      afterGraph: parts,
      graph,
    },
    opts.bundle,
  );
}
