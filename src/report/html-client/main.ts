// The browser side of the HTML report: draws the graph data embedded in the page with sigma.js (WebGL) on
// graphology, grouped by site, with search, zoom and a side panel. Bundled by esbuild at build time.
// Every string from the data is rendered with textContent (or drawn on the canvas), never parsed as HTML, and
// shown through `visible` (labels.ts): a bidi override or a zero-width character in a name is shown escaped.
import { createNodeBorderProgram } from '@sigma/node-border';
import Graph from 'graphology';
import Sigma from 'sigma';
import type { ChainStep, ClientGraph, ClientNode } from '../html-data.js';
import { nodeMatches, shortLabel, visible } from './labels.js';

interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  color: string;
  borderColor: string;
  borderSize: number;
  label: string;
  zIndex: number;
}
interface EdgeAttrs {
  size: number;
  color: string;
  tree: boolean;
  zIndex: number;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/**
 * Sites as clusters packed in rows; inside a cluster, the deletion tree drawn radially (the site or target in the
 * middle, each entity one ring further out than the entity that pulled it in, subtrees in their own wedge).
 * Entities of several sites sit between their sites; entities of no site get a cluster of their own.
 */
function layout(nodes: ClientNode[]): Map<string, { x: number; y: number }> {
  const groups = new Map<string, ClientNode[]>();
  const between: ClientNode[] = [];
  for (const n of nodes) {
    const key = n.sites.length === 1 ? n.sites[0] : n.sites.length === 0 ? '\u0000global' : null;
    if (key === null) between.push(n);
    else {
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(n);
    }
  }
  const trees = [...groups].map(([key, list]) => ({ key, ...radialTree(key, list) }));
  trees.sort((a, b) => b.radius - a.radius || (a.key < b.key ? -1 : 1));
  const gap = 1.5;
  const totalArea = trees.reduce((s, t) => s + (2 * t.radius + gap) ** 2, 0);
  const rowWidth = Math.max(Math.sqrt(totalArea) * 1.6, 2 * (trees[0]?.radius ?? 1));
  const centers = new Map<string, { x: number; y: number; r: number }>();
  const pos = new Map<string, { x: number; y: number }>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const t of trees) {
    const r = t.radius;
    if (x > 0 && x + 2 * r > rowWidth) {
      x = 0;
      y -= rowHeight + gap * 2;
      rowHeight = 0;
    }
    const cx = x + r;
    const cy = y - r;
    centers.set(t.key, { x: cx, y: cy, r });
    for (const [k, p] of t.pos) pos.set(k, { x: cx + p.x, y: cy + p.y });
    x += 2 * r + gap * 2;
    rowHeight = Math.max(rowHeight, 2 * r);
  }
  const golden = Math.PI * (3 - Math.sqrt(5));
  const crowd = new Map<string, number>();
  const edgeOf = new Map<string, number>();
  for (const n of between) {
    const cs = n.sites.map((s) => centers.get(s)).filter((c): c is { x: number; y: number; r: number } => !!c);
    if (cs.length === 1) {
      // Its other sites are not drawn: a ring just outside the one that is.
      const c = cs[0];
      const i = edgeOf.get(n.sites.join('\u0000')) ?? 0;
      edgeOf.set(n.sites.join('\u0000'), i + 1);
      const k = [...edgeOf.keys()].indexOf(n.sites.join('\u0000'));
      const angle = -Math.PI / 2 + k * 0.9 + i * 0.22;
      pos.set(n.key, { x: c.x + (c.r + 0.6) * Math.cos(angle), y: c.y + (c.r + 0.6) * Math.sin(angle) });
      continue;
    }
    const base = cs.length
      ? { x: cs.reduce((s, c) => s + c.x, 0) / cs.length, y: cs.reduce((s, c) => s + c.y, 0) / cs.length }
      : { x: rowWidth / 2, y: y - rowHeight - gap * 4 };
    const k = `${Math.round(base.x * 10)},${Math.round(base.y * 10)}`;
    const i = crowd.get(k) ?? 0;
    crowd.set(k, i + 1);
    const rr = Math.sqrt(i) * 0.7;
    pos.set(n.key, { x: base.x + rr * Math.cos(i * golden), y: base.y + rr * Math.sin(i * golden) });
  }
  return pos;
}

/** Positions relative to the cluster's centre, and the cluster's radius. */
function radialTree(groupKey: string, list: ClientNode[]): { pos: Map<string, { x: number; y: number }>; radius: number } {
  const keys = new Set(list.map((n) => n.key));
  const centre = list.find((n) => n.key === groupKey) ?? (list.length === 1 ? list[0] : undefined);
  const children = new Map<string, ClientNode[]>();
  const top: ClientNode[] = [];
  const byOrder = (a: ClientNode, b: ClientNode) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  for (const n of list) {
    if (n === centre) continue;
    const p = n.via?.[0] ?? n.link?.[0];
    if (p !== undefined && keys.has(p) && p !== n.key) {
      let c = children.get(p);
      if (!c) children.set(p, (c = []));
      c.push(n);
    } else top.push(n);
  }
  const ROOT = '\u0000centre';
  const kidsOf = (k: string) => (k === ROOT ? [...(centre ? (children.get(centre.key) ?? []) : []), ...top] : (children.get(k) ?? []));
  // Leaf weights, post-order without recursion (deep chains must not overflow the stack).
  const weight = new Map<string, number>();
  const level = new Map<string, number>([[ROOT, 0]]);
  const order: string[] = [];
  const stack = [ROOT];
  const seen = new Set<string>([ROOT]);
  while (stack.length) {
    const k = stack.pop()!;
    order.push(k);
    for (const c of kidsOf(k)) {
      if (seen.has(c.key)) continue;
      seen.add(c.key);
      level.set(c.key, level.get(k)! + 1);
      stack.push(c.key);
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const k = order[i];
    const w = kidsOf(k).reduce((s, c) => s + (weight.get(c.key) ?? 0), 0);
    weight.set(k, Math.max(1, w));
  }
  const maxLevel = Math.max(1, ...level.values());
  // Ring spacing: the outer ring leaves about one unit per leaf.
  const unit = Math.max(1, (weight.get(ROOT)! * 0.9) / (2 * Math.PI * maxLevel));
  const pos = new Map<string, { x: number; y: number }>();
  if (centre) pos.set(centre.key, { x: 0, y: 0 });
  const span = new Map<string, [number, number]>([[ROOT, [0, 2 * Math.PI]]]);
  for (const k of order) {
    const [a0, a1] = span.get(k)!;
    const kids = kidsOf(k)
      .filter((c) => level.get(c.key) === level.get(k)! + 1)
      .sort(byOrder);
    const total = kids.reduce((s, c) => s + weight.get(c.key)!, 0);
    let a = a0;
    for (const c of kids) {
      const w = ((a1 - a0) * weight.get(c.key)!) / total;
      span.set(c.key, [a, a + w]);
      const mid = a + w / 2;
      const r = level.get(c.key)! * unit;
      pos.set(c.key, { x: r * Math.cos(mid), y: r * Math.sin(mid) });
      a += w;
    }
  }
  return { pos, radius: maxLevel * unit + 1 };
}

function main(): void {
  const dataEl = $('bg-data');
  const container = $('bg-graph');
  if (!dataEl || !container) return;
  const data = JSON.parse(dataEl.textContent ?? '{}') as ClientGraph;
  const byKey = new Map(data.nodes.map((n) => [n.key, n]));
  // sigma keeps per-node state in plain objects, so an entity called "__proto__" must not be a sigma key: the
  // graph uses generated keys, mapped to and from the data's keys.
  const internal = new Map(data.nodes.map((n, i) => [n.key, `n${i}`]));
  const dataKey = new Map(data.nodes.map((n, i) => [`n${i}`, n.key]));
  const D = (k: string) => dataKey.get(k) ?? '';

  if (data.note) {
    const note = $('bg-note');
    if (note) {
      note.textContent = visible(data.note);
      note.hidden = false;
    }
  }

  const graph = new Graph<NodeAttrs, EdgeAttrs>({ multi: true, type: 'directed', allowSelfLoops: true });
  const pos = layout(data.nodes);
  for (const n of data.nodes) {
    const p = pos.get(n.key) ?? { x: 0, y: 0 };
    const size = data.aggregated ? 4 + 3 * Math.log10((n.count ?? 1) + 1) : n.status === 'root' || n.status === 'site' ? 9 : n.status === 'blocked' ? 8 : 5;
    graph.addNode(internal.get(n.key)!, {
      x: p.x,
      y: p.y,
      size,
      color: data.typeColors[n.type] ?? '#9ca3af',
      borderColor: data.statusColors[n.status] ?? '#111827',
      // Survivors and blockers get a thicker ring than the plain deleted ones.
      borderSize: n.status === 'deleted' || n.status === 'risk' ? 0.22 : 0.4,
      label: shortLabel(n, data.aggregated),
      zIndex: n.status === 'root' || n.status === 'blocked' ? 2 : 1,
    });
  }
  for (const e of data.edges) {
    // Drawn the way a deletion travels: from what is deleted to what it takes down.
    const from = internal.get(e.from);
    const to = internal.get(e.to);
    if (from === undefined || to === undefined) continue;
    graph.addDirectedEdge(to, from, {
      size: e.tree ? 1.6 : 0.8,
      color: e.tree ? '#6b7280' : '#d1d5db',
      tree: e.tree,
      zIndex: e.tree ? 1 : 0,
    });
  }

  // Selection and search state, applied by the reducers.
  let selected: string | null = null;
  let chainKeys = new Set<string>();
  let matches: Set<string> | null = null;

  const NodeBorder = createNodeBorderProgram({
    borders: [
      { size: { attribute: 'borderSize', defaultValue: 0.25 }, color: { attribute: 'borderColor' } },
      { size: { fill: true }, color: { attribute: 'color' } },
    ],
  });
  const renderer = new Sigma(graph, container, {
    defaultNodeType: 'bordered',
    nodeProgramClasses: { bordered: NodeBorder },
    defaultEdgeType: 'arrow',
    renderEdgeLabels: false,
    labelFont: 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif',
    labelSize: 11,
    labelRenderedSizeThreshold: 6,
    labelDensity: 0.6,
    zIndex: true,
    minCameraRatio: 0.02,
    maxCameraRatio: 4,
    nodeReducer: (gk, attrs) => {
      const key = D(gk);
      const out: Partial<NodeAttrs> & { highlighted?: boolean; forceLabel?: boolean } = { ...attrs };
      if (matches && !matches.has(key)) {
        out.color = '#eef0f3';
        out.borderColor = '#e5e7eb';
        out.label = '';
        out.zIndex = 0;
      } else if (matches) {
        out.highlighted = true;
        out.forceLabel = true;
      }
      const n = byKey.get(key);
      if (n && (n.status === 'root' || n.status === 'blocked' || n.status === 'site') && !(matches && !matches.has(key))) out.forceLabel = true;
      if (chainKeys.has(key)) out.zIndex = 3; // the chain is drawn in purple; only the selection is labelled
      if (key === selected) {
        out.highlighted = true;
        out.forceLabel = true;
        out.size = (attrs.size ?? 5) * 1.5;
      }
      return out;
    },
    edgeReducer: (key, attrs) => {
      const out: Partial<EdgeAttrs> & { hidden?: boolean } = { ...attrs };
      const [s, t] = graph.extremities(key).map(D);
      if (chainKeys.size && chainKeys.has(s) && chainKeys.has(t)) {
        out.color = '#6d28d9';
        out.size = 3;
        out.zIndex = 2;
      } else if (matches && !(matches.has(s) && matches.has(t))) out.color = '#f3f4f6';
      return out;
    },
  });

  // ---- panel
  const panel = $('bg-panel');
  const chainOf = (n: ClientNode): ChainStep[] => {
    if (n.chain) return n.chain;
    if (!n.via && n.link) {
      const target = byKey.get(n.link[0]);
      const base = target ? chainOf(target) : [{ id: n.link[0], type: '', relation: null }];
      return [...base, { id: n.id, type: n.type, name: n.name, relation: n.link[1] }];
    }
    const steps: ChainStep[] = [];
    const seen = new Set<string>();
    for (let c: ClientNode | undefined = n; c && !seen.has(c.key); c = c.via ? byKey.get(c.via[0]) : undefined) {
      seen.add(c.key);
      steps.push({ id: c.id, type: c.type, name: c.name, relation: c.via ? c.via[1] : null });
    }
    return steps.reverse();
  };
  const showPanel = (key: string | null) => {
    selected = key;
    chainKeys = new Set();
    if (!panel) return;
    panel.replaceChildren();
    const n = key ? byKey.get(key) : undefined;
    if (!n) {
      panel.append(el('p', 'Click an entity to see why it is here: its chain back to the target.', 'muted'));
      renderer.refresh();
      return;
    }
    panel.append(el('h3', visible(n.id)));
    if (n.name) panel.append(el('p', visible(n.name)));
    const dl = el('dl');
    const row = (k: string, v: string) => dl.append(el('dt', visible(k)), el('dd', visible(v)));
    row('type', n.type);
    row('status', `${n.status}: ${data.statusHelp[n.status] ?? ''}`);
    if (n.count !== undefined) row('entities', n.count.toLocaleString('en-US'));
    row(`${data.boundary}s`, n.sites.length ? n.sites.join(', ') : 'none');
    if (n.depth !== undefined) row('depth', String(n.depth));
    if (n.rules.length) row('rules', n.rules.join(', '));
    panel.append(dl);
    const chain = chainOf(n);
    if (chain.length > 1 || n.via || n.link || n.chain) {
      panel.append(el('h4', n.count !== undefined ? 'Chain of one of them, from the target' : 'Why: the chain from the target'));
      const ol = el('ol', undefined, 'chain');
      ol.id = 'bg-chain';
      chain.forEach((s, i) => {
        const li = el('li');
        if (i > 0 && s.relation) li.append(el('span', visible(s.relation), 'rel'), document.createTextNode(' '));
        li.append(el('code', visible(s.id)));
        if (s.name) li.append(document.createTextNode(` ${visible(s.name)}`));
        if (s.type) li.append(document.createTextNode(' '), el('span', visible(s.type), 'type'));
        ol.append(li);
        if (byKey.has(s.id)) chainKeys.add(s.id);
      });
      panel.append(ol);
    }
    if (n.link) panel.append(el('p', visible(n.link[2])));
    for (const note of n.notes ?? []) panel.append(el('p', visible(note), 'muted'));
    if (n.sample?.length) {
      panel.append(el('h4', 'Some of them'));
      const ul = el('ul');
      for (const id of n.sample) ul.append(el('li', visible(id)));
      panel.append(ul);
    }
    chainKeys.add(n.key);
    renderer.refresh();
  };
  renderer.on('clickNode', ({ node }) => showPanel(D(node)));
  renderer.on('clickStage', () => showPanel(null));
  renderer.on('enterNode', () => container.style.setProperty('cursor', 'pointer'));
  renderer.on('leaveNode', () => container.style.removeProperty('cursor'));

  // ---- search
  const search = $<HTMLInputElement>('bg-search');
  const count = $('bg-search-count');
  const focusNode = (key: string) => {
    const d = renderer.getNodeDisplayData(internal.get(key));
    if (d) void renderer.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(renderer.getCamera().ratio, 0.35) }, { duration: 400 });
    showPanel(key);
  };
  const runSearch = () => {
    const q = (search?.value ?? '').trim().toLowerCase();
    if (!q) {
      matches = null;
      if (count) count.textContent = '';
    } else {
      matches = new Set(data.nodes.filter((n) => nodeMatches(n, q)).map((n) => n.key));
      if (count) count.textContent = `${matches.size.toLocaleString('en-US')} match${matches.size === 1 ? '' : 'es'}`;
      if (matches.size === 1) focusNode([...matches][0]);
    }
    renderer.refresh();
  };
  search?.addEventListener('input', runSearch);
  search?.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && matches && matches.size) focusNode([...matches][0]);
    if (ev.key === 'Escape' && search) {
      search.value = '';
      runSearch();
    }
  });

  // ---- zoom
  const camera = renderer.getCamera();
  $('bg-zoom-in')?.addEventListener('click', () => void camera.animatedZoom({ duration: 250 }));
  $('bg-zoom-out')?.addEventListener('click', () => void camera.animatedUnzoom({ duration: 250 }));
  $('bg-zoom-reset')?.addEventListener('click', () => void camera.animatedReset({ duration: 250 }));

  // ---- legend: types by fill, statuses by ring
  const legend = $('bg-legend');
  if (legend) {
    const counts = new Map<string, number>();
    for (const n of data.nodes) counts.set(n.type, (counts.get(n.type) ?? 0) + (n.count ?? 1));
    for (const [type, color] of Object.entries(data.typeColors)) {
      const item = el('span');
      const sw = el('span', undefined, 'sw');
      sw.style.background = color;
      item.append(sw, document.createTextNode(`${visible(type)} (${(counts.get(type) ?? 0).toLocaleString('en-US')})`));
      legend.append(item);
    }
    const present = new Set(data.nodes.map((n) => n.status));
    for (const [status, color] of Object.entries(data.statusColors)) {
      if (!present.has(status as ClientNode['status'])) continue;
      const item = el('span');
      const ring = el('span', undefined, 'ring');
      ring.style.borderColor = color;
      item.append(ring, document.createTextNode(`${status}: ${data.statusHelp[status] ?? ''}`));
      legend.append(item);
    }
  }

  // ---- a hook for tests and scripts: where a node is on screen
  (window as unknown as { __blastguard: unknown }).__blastguard = {
    nodes: () => data.nodes.map((n) => n.key),
    nodeScreenPosition: (key: string) => {
      const a = graph.getNodeAttributes(internal.get(key));
      const p = renderer.graphToViewport({ x: a.x, y: a.y });
      const r = container.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    },
    select: (key: string | null) => showPanel(key),
    cameraRatio: () => renderer.getCamera().ratio,
  };
  renderer.once('afterRender', () => container.setAttribute('data-ready', 'true'));
  renderer.refresh();
}

main();
