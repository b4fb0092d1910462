// The data an HTML report hands its browser script (types only: shared by html.ts and html-client/).
import type { NodeStatus } from '../engine/subgraph.js';

/** One step of a chain: an entity, and the relation by which it points at the previous step (null at the root). */
export interface ChainStep {
  id: string;
  type: string;
  name?: string;
  relation: string | null;
}

export interface ClientNode {
  key: string;
  /** The entity ID (for an aggregate: a description such as "issue × 1,204"). */
  id: string;
  name?: string;
  type: string;
  status: NodeStatus;
  /** Site IDs the entity belongs to. */
  sites: string[];
  depth?: number;
  rules: string[];
  /** Deleted entities: the key of the entity that pulled this one in, and the relation. */
  via?: [string, string];
  /** Survivors (detached, spared, blocking): the key of the deleted entity they relate to, the relation, and a sentence. */
  link?: [string, string, string];
  /** Sentences about this entity from the result (violation or risk messages), at most a few. */
  notes?: string[];
  /** Aggregates: how many entities, a few of their IDs, and the chain of one of them. */
  count?: number;
  sample?: string[];
  chain?: ChainStep[];
  /** Entities of a grouped picture: the index (in `groups`) of the group the entity is drawn in until expanded. */
  group?: number;
}

/** A node of the grouped picture: the entities of one type and status (and one site, when there are few sites). */
export interface ClientGroup {
  key: string;
  type: string;
  status: NodeStatus;
  /** The site, when the picture is per site; '' otherwise. */
  site: string;
  count: number;
  /** The column the group is drawn in: how far from the targets the deletion reaches it. */
  level: number;
}

export interface ClientEdge {
  /** The dependent and what it depends on (the picture draws to → from: the way a deletion travels). */
  from: string;
  to: string;
  type: string;
  tree: boolean;
  count?: number;
  /** Entity edges: the two ends are in different sites. Aggregated edges: how many of `count` are. */
  cross?: boolean | number;
}

export interface ClientGraph {
  boundary: string;
  /** True when the nodes are per-type (and per-site) aggregates rather than entities (too many to embed). */
  aggregated: boolean;
  /**
   * Entities, grouped: the page opens on one node per group, and a click on a group shows its entities. Present
   * when there are too many entities to draw one by one at first sight, but few enough to embed.
   */
  groups?: ClientGroup[];
  /** Shown above the graph, e.g. why it is aggregated. */
  note?: string;
  nodes: ClientNode[];
  /** Aggregated pictures: the edges between aggregates. Entity pictures use `links` instead (much smaller). */
  edges: ClientEdge[];
  /**
   * Entity pictures: the relations, four numbers each: the index in `nodes` of the dependent and of what it
   * depends on, the index in `relationTypes` of the type, and flags (1: the deletion tree, 2: across a boundary).
   */
  links?: number[];
  relationTypes?: string[];
  typeColors: Record<string, string>;
  statusColors: Record<string, string>;
  statusHelp: Record<string, string>;
}
