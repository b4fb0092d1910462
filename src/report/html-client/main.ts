// The browser side of the HTML report: draws the graph data embedded in the page with sigma.js (WebGL) on
// graphology, grouped by site, with search, zoom and a side panel. A large plan opens on one node per type (and
// site, when there are few), which a click opens into its entities. Bundled by esbuild at build time.
// Every string from the data is rendered with textContent (or drawn on the canvas), never parsed as HTML, and
// shown through `visible` (labels.ts): a bidi override or a zero-width character in a name is shown escaped.
import { createNodeBorderProgram } from '@sigma/node-border';
import Graph from 'graphology';
import Sigma from 'sigma';
import type { ChainStep, ClientGraph, ClientGroup, ClientNode } from '../html-data.js';
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
  label?: string;
  forceLabel?: boolean;
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

/** A node as drawn: one entity, or a group of entities (the grouped picture). */
interface Drawn {
  /** The key the data gives it (an entity's key, or a group's key). */
  key: string;
  node: ClientNode;
  group?: ClientGroup;
  /** A group's index in the data's `groups`. */
  index?: number;
}

const GROUP_STEP = 3.2;
/** The grouped picture is stretched to about the shape of the graph's box (wider than tall). */
const ASPECT = 1.7;

/**
 * The grouped picture: a band per site (when groups are per site), and in it a column per step of the deletion
 * (targets on the left, what the deletion reaches last on the right); an expanded group is a disc of its entities
 * (the shallowest in the middle) in its place.
 */
function groupedLayout(groups: ClientGroup[], members: ClientNode[][], expanded: Set<number>): Map<string, { x: number; y: number }> {
  const pos = new Map<string, { x: number; y: number }>();
  const levels = [...new Set(groups.map((g) => g.level))].sort((a, b) => a - b);
  const bands = [...new Set(groups.map((g) => g.site))].sort((a, b) => {
    const first = (s: string) => (s.startsWith('(') ? 0 : 1);
    return first(a) - first(b) || (a < b ? -1 : a > b ? 1 : 0);
  });
  const radius = (i: number) => (expanded.has(i) ? Math.max(1, 0.45 * Math.sqrt(groups[i].count)) : 1);
  const cell = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const k = `${g.site}\u0000${g.level}`;
    let list = cell.get(k);
    if (!list) cell.set(k, (list = []));
    list.push(i);
  });
  const byName = (a: number, b: number) => {
    const p = groups[a];
    const q = groups[b];
    return p.type < q.type ? -1 : p.type > q.type ? 1 : p.status < q.status ? -1 : p.status > q.status ? 1 : 0;
  };
  for (const list of cell.values()) list.sort(byName);
  const cellHeight = (list: number[] | undefined) => (list ?? []).reduce((s, i) => s + 2 * radius(i) + GROUP_STEP, 0);
  const colWidth = levels.map((l) => Math.max(1, ...groups.map((g, i) => (g.level === l ? radius(i) : 0))));
  const colX: number[] = [];
  let x = 0;
  for (const w of colWidth) {
    colX.push(x + w);
    x += 2 * w + 7;
  }
  const width = Math.max(1, x - 7);
  let y = 0;
  const placed: { i: number; x: number; y: number }[] = [];
  for (const band of bands) {
    const h = Math.max(...levels.map((l) => cellHeight(cell.get(`${band}\u0000${l}`))));
    levels.forEach((l, c) => {
      const list = cell.get(`${band}\u0000${l}`) ?? [];
      // Centred in the band, so a band's few groups line up with each other.
      let top = y - (h - cellHeight(list)) / 2;
      for (const i of list) {
        const r = radius(i);
        placed.push({ i, x: colX[c], y: top - GROUP_STEP / 2 - r });
        top -= 2 * r + GROUP_STEP;
      }
    });
    y -= h + GROUP_STEP;
  }
  const height = Math.max(1, -y);
  // Stretched sideways when the picture is taller than the box (many groups per column), never squeezed.
  const sx = Math.max(1, (height * ASPECT) / width);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (const p of placed) {
    const c = { x: p.x * sx, y: p.y };
    pos.set(`g${p.i}`, c);
    if (!expanded.has(p.i)) continue;
    const r = radius(p.i);
    const list = members[p.i];
    list.forEach((n, k) => {
      const rr = r * Math.sqrt((k + 0.5) / list.length);
      pos.set(n.key, { x: c.x + rr * Math.cos(k * golden), y: c.y + rr * Math.sin(k * golden) });
    });
  }
  return pos;
}

function main(): void {
  const dataEl = $('bg-data');
  const container = $('bg-graph');
  if (!dataEl || !container) return;
  const data = JSON.parse(dataEl.textContent ?? '{}') as ClientGraph;
  const groups = data.groups ?? [];
  const grouped = groups.length > 0;
  const byKey = new Map(data.nodes.map((n) => [n.key, n]));
  const members: ClientNode[][] = groups.map(() => []);
  for (const n of data.nodes) if (n.group !== undefined) members[n.group]?.push(n);
  const byDepth = (a: ClientNode, b: ClientNode) => (a.depth ?? 1e9) - (b.depth ?? 1e9) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  for (const list of members) list.sort(byDepth);
  // The relations: decoded from the compact `links`, or the aggregates' edges.
  const edges: { a: ClientNode; b: ClientNode; type: string; tree: boolean; cross: boolean }[] = [];
  const links = data.links ?? [];
  for (let i = 0; i + 3 < links.length; i += 4) {
    const a = data.nodes[links[i]];
    const b = data.nodes[links[i + 1]];
    if (a && b) edges.push({ a, b, type: data.relationTypes?.[links[i + 2]] ?? '', tree: (links[i + 3] & 1) !== 0, cross: (links[i + 3] & 2) !== 0 });
  }
  for (const e of data.edges) {
    const a = byKey.get(e.from);
    const b = byKey.get(e.to);
    if (a && b) edges.push({ a, b, type: e.type, tree: e.tree, cross: e.cross === true || (typeof e.cross === 'number' && e.cross > 0) });
  }
  // sigma keeps per-node state in plain objects, so an entity called "__proto__" must not be a sigma key: the
  // graph uses generated keys (n… for entities, g… for groups), mapped to and from the data's keys.
  const entityKey = new Map(data.nodes.map((n, i) => [n.key, `n${i}`]));
  const drawnOf = new Map<string, Drawn>();
  data.nodes.forEach((n, i) => drawnOf.set(`n${i}`, { key: n.key, node: n }));

  if (data.note) {
    const note = $('bg-note');
    if (note) {
      note.textContent = visible(data.note);
      note.hidden = false;
    }
  }

  // What is drawn: every entity, or the groups with some of them expanded.
  const expanded = new Set<number>();
  let showAll = !grouped;
  /** The sigma key an entity is drawn under now: its own, or its group's. */
  const shownAs = (n: ClientNode): string => (!showAll && n.group !== undefined && !expanded.has(n.group) ? `g${n.group}` : entityKey.get(n.key)!);

  /** A group as a node, for the panel and the search: its entities counted, a few of them, one chain. */
  const groupNode = (g: ClientGroup, i: number): ClientNode => {
    const list = members[i];
    const rules = [...new Set(list.flatMap((n) => n.rules))];
    const node: ClientNode = {
      key: g.key,
      id: `${g.type} × ${g.count.toLocaleString('en-US')}`,
      type: g.type,
      status: g.status,
      sites: [...new Set(list.flatMap((n) => n.sites))].slice(0, 20),
      rules,
      count: g.count,
      sample: list.slice(0, 10).map((n) => n.id),
    };
    if (g.site) node.name = g.site;
    if (list[0]) node.chain = chainOf(list[0]);
    return node;
  };
  groups.forEach((g, i) => drawnOf.set(`g${i}`, { key: g.key, node: groupNode(g, i), group: g, index: i }));

  const newGraph = () => new Graph<NodeAttrs, EdgeAttrs>({ multi: true, type: 'directed', allowSelfLoops: true });
  let graph = newGraph();
  // Each entity's look is worked out once (labels escape and cut text): a redraw only moves it.
  const looks = new Map<ClientNode, Omit<NodeAttrs, 'x' | 'y'>>();
  const entityAttrs = (n: ClientNode, p: { x: number; y: number }): NodeAttrs => {
    let look = looks.get(n);
    if (!look) looks.set(n, (look = entityLook(n)));
    return { ...look, x: p.x, y: p.y };
  };
  const entityLook = (n: ClientNode): Omit<NodeAttrs, 'x' | 'y'> => ({
    size: data.aggregated ? 4 + 3 * Math.log10((n.count ?? 1) + 1) : n.status === 'root' || n.status === 'site' ? 9 : n.status === 'blocked' ? 8 : 5,
    color: data.typeColors[n.type] ?? '#9ca3af',
    borderColor: data.statusColors[n.status] ?? '#111827',
    // Survivors and blockers get a thicker ring than the plain deleted ones.
    borderSize: n.status === 'deleted' || n.status === 'risk' ? 0.22 : 0.4,
    label: shortLabel(n, data.aggregated),
    zIndex: n.status === 'root' || n.status === 'blocked' ? 2 : 1,
  });
  const edgeStyle = (tree: boolean, cross: boolean) => ({
    size: cross ? 2.2 : tree ? 1.6 : 0.8,
    color: cross ? '#dc2626' : tree ? '#6b7280' : '#d1d5db',
    zIndex: cross ? 2 : tree ? 1 : 0,
  });

  /** (Re)draws the graph for the current expansion. */
  const build = () => {
    // A new graph handed to sigma in one go: clearing and refilling the drawn one costs an event per node and edge.
    graph = newGraph();
    if (showAll) {
      const pos = layout(data.nodes);
      data.nodes.forEach((n, i) => graph.addNode(`n${i}`, entityAttrs(n, pos.get(n.key) ?? { x: 0, y: 0 })));
    } else {
      const pos = groupedLayout(groups, members, expanded);
      groups.forEach((g, i) => {
        if (expanded.has(i)) {
          for (const n of members[i]) graph.addNode(entityKey.get(n.key)!, { ...entityAttrs(n, pos.get(n.key)!), size: 3.5 });
          return;
        }
        const p = pos.get(`g${i}`)!;
        const node = drawnOf.get(`g${i}`)!.node;
        graph.addNode(`g${i}`, {
          x: p.x,
          y: p.y,
          size: 4 + 4 * Math.log10(g.count + 1),
          color: data.typeColors[g.type] ?? '#9ca3af',
          borderColor: data.statusColors[g.status] ?? '#111827',
          borderSize: g.status === 'deleted' || g.status === 'risk' ? 0.18 : 0.32,
          // A group of one is labelled as its entity.
          label: g.count === 1 && members[i][0] ? shortLabel(members[i][0], false) : shortLabel(node, true),
          zIndex: 2,
        });
      });
    }
    // Drawn the way a deletion travels: from what is deleted to what it takes down. Between groups, one arrow
    // per pair labelled with each relation type and its count.
    const between = new Map<string, { from: string; to: string; tree: boolean; cross: number; types: Map<string, number> }>();
    for (const e of edges) {
      const from = shownAs(e.a);
      const to = shownAs(e.b);
      const cross = e.cross;
      if (from.startsWith('n') && to.startsWith('n')) {
        graph.addDirectedEdge(to, from, { ...edgeStyle(e.tree, cross), tree: e.tree });
        continue;
      }
      if (from === to) continue;
      const k = `${to}>${from}`;
      let x = between.get(k);
      if (!x) between.set(k, (x = { from: to, to: from, tree: false, cross: 0, types: new Map() }));
      x.tree ||= e.tree;
      if (cross) x.cross++;
      x.types.set(e.type, (x.types.get(e.type) ?? 0) + 1);
    }
    for (const x of between.values()) {
      const label = [...x.types]
        .sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1))
        .map(([t, c]) => `${visible(t)} × ${c.toLocaleString('en-US')}`)
        .join(', ');
      const total = [...x.types.values()].reduce((s, c) => s + c, 0);
      const style = edgeStyle(x.tree, x.cross > 0);
      if (x.from.startsWith('n') || x.to.startsWith('n')) {
        // An entity of an open group and a closed group: thin and unlabelled, or thousands would hide the picture.
        graph.addDirectedEdge(x.from, x.to, { size: 0.5, color: x.cross ? '#dc2626' : '#cbd5e1', zIndex: 0, tree: x.tree });
        continue;
      }
      graph.addDirectedEdge(x.from, x.to, {
        ...style,
        size: style.size + Math.min(4, Math.log10(total + 1) * 1.5),
        tree: x.tree,
        label: x.cross ? `${label} (${x.cross.toLocaleString('en-US')} cross-${visible(data.boundary)})` : label,
        forceLabel: true,
      } as EdgeAttrs);
    }
  };
  const timings: { nodes: number; build: number; sigma: number; drawn: number }[] = [];
  build();

  // Selection and search state (sigma keys), applied by the reducers.
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
    renderEdgeLabels: grouped,
    edgeLabelSize: 11,
    edgeLabelColor: { color: '#374151' },
    labelFont: 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif',
    edgeLabelFont: 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif',
    labelSize: 11,
    labelRenderedSizeThreshold: 6,
    labelDensity: 0.6,
    zIndex: true,
    // Room for the labels of the last column of groups.
    stagePadding: grouped ? 70 : 30,
    minCameraRatio: 0.02,
    maxCameraRatio: 4,
    nodeReducer: (key, attrs) => {
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
      const d = drawnOf.get(key);
      const important = d && (d.group !== undefined || d.node.status === 'root' || d.node.status === 'blocked' || d.node.status === 'site');
      if (important && !(matches && !matches.has(key))) out.forceLabel = true;
      if (chainKeys.has(key)) out.zIndex = 3; // the chain is drawn in purple; only the selection is labelled
      if (key === selected) {
        out.highlighted = true;
        out.forceLabel = true;
        out.size = (attrs.size ?? 5) * 1.5;
      }
      return out;
    },
    edgeReducer: (key, attrs) => {
      const out: Partial<EdgeAttrs> & { hidden?: boolean; label?: string } = { ...attrs };
      const [s, t] = graph.extremities(key);
      if (chainKeys.size && chainKeys.has(s) && chainKeys.has(t)) {
        out.color = '#6d28d9';
        out.size = 3;
        out.zIndex = 2;
      } else if (matches && !(matches.has(s) && matches.has(t))) {
        out.color = '#f3f4f6';
        out.label = '';
      }
      return out;
    },
  });

  // ---- panel
  const panel = $('bg-panel');
  function chainOf(n: ClientNode): ChainStep[] {
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
  }
  const button = (text: string, id: string, onClick: () => void) => {
    const b = el('button', text);
    b.type = 'button';
    b.id = id;
    b.addEventListener('click', onClick);
    return b;
  };
  const showPanel = (sk: string | null) => {
    selected = sk;
    chainKeys = new Set();
    if (!panel) return;
    panel.replaceChildren();
    const d = sk ? drawnOf.get(sk) : undefined;
    if (!d) {
      panel.append(
        el(
          'p',
          grouped
            ? 'Click a group to show its entities; click an entity to see why it is here: its chain back to the target.'
            : 'Click an entity to see why it is here: its chain back to the target.',
          'muted',
        ),
      );
      renderer.refresh();
      return;
    }
    const n = d.node;
    panel.append(el('h3', visible(n.id)));
    if (n.name) panel.append(el('p', visible(n.name)));
    const gi = d.index ?? n.group;
    if (!showAll && gi !== undefined && expanded.has(gi)) {
      if (d.group) panel.append(el('p', `Shown as its ${d.group.count.toLocaleString('en-US')} entities: click one for its chain.`, 'muted'));
      panel.append(
        button('Group them again', 'bg-collapse', () => {
          expanded.delete(gi);
          redraw(`g${gi}`);
        }),
      );
    }
    const dl = el('dl');
    const row = (k: string, v: string) => dl.append(el('dt', visible(k)), el('dd', visible(v)));
    row('type', n.type);
    row('status', `${n.status}: ${data.statusHelp[n.status] ?? ''}`);
    if (n.count !== undefined) row('entities', n.count.toLocaleString('en-US'));
    row(data.boundary, n.sites.length ? n.sites.join(', ') : 'none');
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
        const c = byKey.get(s.id);
        if (c) chainKeys.add(shownAs(c));
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
    chainKeys.add(sk!);
    renderer.refresh();
  };
  /** Rebuilds the picture after an expansion, fits it, and shows `sk` in the panel. */
  const redraw = (sk: string | null) => {
    const t0 = performance.now();
    build();
    const t1 = performance.now();
    renderer.setGraph(graph);
    const t2 = performance.now();
    renderer.once('afterRender', () => timings.push({ nodes: graph.order, build: t1 - t0, sigma: t2 - t1, drawn: performance.now() - t0 }));
    if (matches) runSearch();
    updateToggle();
    renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    showPanel(sk);
  };
  renderer.on('clickNode', ({ node }) => {
    const d = drawnOf.get(node);
    // A group opens into its entities, and the panel says what it was.
    if (d?.index !== undefined && !showAll) {
      expanded.add(d.index);
      redraw(node);
      return;
    }
    showPanel(node);
  });
  renderer.on('clickStage', () => showPanel(null));
  renderer.on('enterNode', () => container.style.setProperty('cursor', 'pointer'));
  renderer.on('leaveNode', () => container.style.removeProperty('cursor'));

  // ---- show every entity / group them
  const toggle = $<HTMLButtonElement>('bg-toggle');
  function updateToggle() {
    if (!toggle) return;
    toggle.hidden = !grouped;
    toggle.textContent = showAll || expanded.size === groups.length ? 'Group by type' : 'Show every entity';
  }
  toggle?.addEventListener('click', () => {
    const wasAll = showAll || expanded.size === groups.length;
    expanded.clear();
    showAll = !wasAll;
    redraw(null);
  });
  updateToggle();

  // ---- search
  const search = $<HTMLInputElement>('bg-search');
  const count = $('bg-search-count');
  const focusNode = (sk: string) => {
    const d = renderer.getNodeDisplayData(sk);
    if (d) void renderer.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(renderer.getCamera().ratio, 0.35) }, { duration: 400 });
    showPanel(sk);
  };
  function runSearch() {
    const q = (search?.value ?? '').trim().toLowerCase();
    if (!q) {
      matches = null;
      if (count) count.textContent = '';
    } else {
      const found = data.nodes.filter((n) => nodeMatches(n, q));
      matches = new Set(found.map(shownAs));
      if (count) count.textContent = `${found.length.toLocaleString('en-US')} match${found.length === 1 ? '' : 'es'}`;
      if (found.length === 1) {
        // One entity: open its group so the entity itself is shown.
        const n = found[0];
        if (!showAll && n.group !== undefined && !expanded.has(n.group)) {
          expanded.add(n.group);
          build();
          renderer.setGraph(graph);
          updateToggle();
          matches = new Set([shownAs(n)]);
        }
        focusNode(shownAs(n));
      }
    }
    renderer.refresh();
  }
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

  // ---- legend: types by fill, statuses by ring, and how to read a grouped picture
  const legend = $('bg-legend');
  if (legend) {
    const counts = new Map<string, number>();
    for (const n of data.nodes) counts.set(n.type, (counts.get(n.type) ?? 0) + (n.count ?? 1));
    for (const [type, color] of Object.entries(data.typeColors)) {
      const item = el('span');
      const sw = el('span', undefined, 'sw');
      sw.style.background = color;
      item.append(sw, document.createTextNode(`${visible(type)}: ${(counts.get(type) ?? 0).toLocaleString('en-US')}`));
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
    const line = (color: string, text: string) => {
      const item = el('span');
      const sw = el('span', undefined, 'line');
      sw.style.background = color;
      item.append(sw, document.createTextNode(text));
      legend.append(item);
    };
    line('#6b7280', 'arrow: the way the deletion travels');
    if (edges.some((e) => e.cross)) line('#dc2626', `red: a relation across a ${visible(data.boundary)} boundary`);
    if (grouped || data.aggregated) legend.append(el('span', 'node size: how many entities; arrow label: relation type × count'));
  }

  // ---- a hook for tests and scripts: what is drawn, and where a node is on screen
  const groupKey = new Map(groups.map((g, i) => [g.key, `g${i}`]));
  const sigmaKey = (key: string) => (graph.hasNode(entityKey.get(key) ?? '') ? entityKey.get(key)! : (groupKey.get(key) ?? key));
  (window as unknown as { __blastguard: unknown }).__blastguard = {
    nodes: () => graph.nodes().map((k) => drawnOf.get(k)?.key ?? k),
    groups: () =>
      graph
        .nodes()
        .filter((k) => drawnOf.get(k)?.group)
        .map((k) => drawnOf.get(k)!.key),
    edgeLabels: () => graph.edges().map((e) => (graph.getEdgeAttributes(e) as EdgeAttrs & { label?: string }).label ?? ''),
    nodeScreenPosition: (key: string) => {
      const a = graph.getNodeAttributes(sigmaKey(key));
      const p = renderer.graphToViewport({ x: a.x, y: a.y });
      const r = container.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    },
    select: (key: string | null) => showPanel(key === null ? null : sigmaKey(key)),
    cameraRatio: () => renderer.getCamera().ratio,
    /** Milliseconds of each redraw after a click: building the graph, handing it to sigma, until drawn. */
    timings: () => timings,
  };
  renderer.once('afterRender', () => container.setAttribute('data-ready', 'true'));
  renderer.refresh();
}

main();
