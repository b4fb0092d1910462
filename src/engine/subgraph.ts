// The subgraph a picture draws: for a plan, the blast radius (deleted, detached, spared and blocking entities and
// the relations among them); for an audit, the entities and relations its structural risks name, with their sites.
// Pure: graph and result in, a small node/edge list out.
import type { OnDelete } from '../model/types.js';
import type { GraphIndex } from '../model/graph.js';
import type { AuditResult } from './audit.js';
import type { PlanResult } from './result.js';
import { siteIndex, siteIndexOnDemand } from './sites.js';
import { siteIdLists } from './toolkit/labels.js';

export type NodeStatus = 'root' | 'deleted' | 'detached' | 'spared' | 'blocked' | 'site' | 'risk';

export const NODE_STATUS_HELP: Record<NodeStatus, string> = {
  root: 'target of the deletion',
  deleted: 'deleted by the cascade',
  detached: 'survives, loses a relation',
  spared: 'survives: another owner keeps it',
  blocked: 'blocks the deletion (protected, protect or restrict)',
  site: 'site (boundary entity)',
  risk: 'named by a structural risk',
};

export interface SubgraphNode {
  /** Index in the graph. */
  ix: number;
  id: string;
  type: string;
  name?: string;
  status: NodeStatus;
  /** IDs of the sites the entity belongs to. */
  sites: string[];
  /** Depth in the deletion (0 for roots); deleted entities only. */
  depth?: number;
  /** The deleted entity that pulled this one in, and the relation (deleted entities only). */
  via?: { principal: string; relation: string };
  /** The rules (plan violations or audit risks) that name this entity. */
  rules: string[];
}

export interface SubgraphEdge {
  /** The dependent (the relation's `from`). */
  from: string;
  type: string;
  /** What it depends on. */
  to: string;
  onDelete: OnDelete;
  /** True for the relation through which `from` was pulled into the deletion. */
  tree: boolean;
}

export interface Subgraph {
  kind: 'plan' | 'audit';
  boundary: string;
  /** Most important first: a truncated picture keeps a prefix. */
  nodes: SubgraphNode[];
  edges: SubgraphEdge[];
}

/** The blast radius of a plan: every entity it deletes, detaches, spares or is blocked by, and their relations. */
export function planSubgraph(g: GraphIndex, result: PlanResult): Subgraph {
  const sites = siteIndexOnDemand(g);
  const siteIds = siteIdLists(g, sites);
  const nodes = new Map<number, SubgraphNode>();
  const node = (id: string, status: NodeStatus): SubgraphNode | undefined => {
    const ix = g.indexOf(id);
    if (ix < 0) return undefined;
    let n = nodes.get(ix);
    if (!n) {
      n = { ix, id, type: g.typeOf(ix), status, sites: siteIds(ix), rules: [] };
      const name = g.nameOf(ix);
      if (name !== undefined) n.name = name;
      nodes.set(ix, n);
    }
    return n;
  };
  for (const d of result.deleted) {
    const n = node(d.id, d.depth === 0 ? 'root' : 'deleted');
    if (!n) continue;
    n.depth = d.depth;
    if (d.via) n.via = { principal: d.via.principal, relation: d.via.relation };
  }
  for (const d of result.detached) node(d.id, 'detached');
  for (const s of result.spared) node(s.id, 'spared');
  for (const v of result.violations) {
    if (v.entity === null) continue;
    const n = node(v.entity, 'blocked');
    if (!n) continue;
    if (v.rule === 'protected' || v.rule === 'restricted') n.status = 'blocked';
    if (!n.rules.includes(v.rule)) n.rules.push(v.rule);
  }
  const rank: Record<NodeStatus, number> = { root: 0, blocked: 1, deleted: 2, detached: 3, spared: 4, site: 5, risk: 6 };
  const ordered = [...nodes.values()].sort(
    (a, b) => rank[a.status] - rank[b.status] || (b.rules.length > 0 ? 1 : 0) - (a.rules.length > 0 ? 1 : 0) || (a.depth ?? Infinity) - (b.depth ?? Infinity),
  );
  return { kind: 'plan', boundary: result.boundary, nodes: ordered, edges: inducedEdges(g, nodes) };
}

/** The audit's picture: the entities its relation and entity risks name, the sites they belong to, and all sites when there are few. */
export function auditSubgraph(g: GraphIndex, result: AuditResult, allSitesUpTo = 2000): Subgraph {
  const sites = siteIndex(g);
  const siteIds = siteIdLists(g, sites);
  const nodes = new Map<number, SubgraphNode>();
  const node = (ix: number): SubgraphNode => {
    let n = nodes.get(ix);
    if (!n) {
      const status: NodeStatus = sites.isBoundary(ix) ? 'site' : 'risk';
      n = { ix, id: g.idOf(ix), type: g.typeOf(ix), status, sites: siteIds(ix), rules: [] };
      const name = g.nameOf(ix);
      if (name !== undefined) n.name = name;
      nodes.set(ix, n);
    }
    return n;
  };
  if (result.sites.length <= allSitesUpTo) for (const s of result.sites) node(g.indexOf(s.id));
  for (const f of result.findings) {
    if (f.rule === 'no-site' || f.rule === 'none-structure') continue;
    for (const e of f.entities) {
      const ix = g.indexOf(e.id);
      if (ix < 0) continue;
      const n = node(ix);
      if (!n.rules.includes(f.rule)) n.rules.push(f.rule);
      for (const s of sites.sitesOf(ix)) node(s);
    }
  }
  const ordered = [...nodes.values()].sort((a, b) => (a.status === 'site' ? 0 : 1) - (b.status === 'site' ? 0 : 1));
  return { kind: 'audit', boundary: result.boundary, nodes: ordered, edges: inducedEdges(g, nodes) };
}

/** Every relation between two nodes of the set. */
function inducedEdges(g: GraphIndex, nodes: Map<number, SubgraphNode>): SubgraphEdge[] {
  const edges: SubgraphEdge[] = [];
  const { offsets, nodes: targets, types } = g.outgoing;
  for (const [ix, n] of nodes) {
    for (let e = offsets[ix]; e < offsets[ix + 1]; e++) {
      const to = nodes.get(targets[e]);
      if (!to) continue;
      const type = g.relationTypeNames[types[e]];
      edges.push({ from: n.id, type, to: to.id, onDelete: g.relationSemantics[types[e]], tree: n.via?.principal === to.id && n.via.relation === type });
    }
  }
  return edges;
}

/** The nodes to draw when at most `max` fit, and the relations among them. */
export function truncateSubgraph(sg: Subgraph, max: number): { shown: Subgraph; hidden: number } {
  if (sg.nodes.length <= max) return { shown: sg, hidden: 0 };
  const nodes = sg.nodes.slice(0, max);
  const keep = new Set(nodes.map((n) => n.id));
  return { shown: { ...sg, nodes, edges: sg.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) }, hidden: sg.nodes.length - max };
}
