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
}

export interface ClientEdge {
  /** The dependent and what it depends on (the picture draws to → from: the way a deletion travels). */
  from: string;
  to: string;
  type: string;
  tree: boolean;
  count?: number;
}

export interface ClientGraph {
  boundary: string;
  /** True when the nodes are per-type (and per-site) aggregates rather than entities. */
  aggregated: boolean;
  /** Shown above the graph, e.g. why it is aggregated. */
  note?: string;
  nodes: ClientNode[];
  edges: ClientEdge[];
  typeColors: Record<string, string>;
  statusColors: Record<string, string>;
  statusHelp: Record<string, string>;
}
