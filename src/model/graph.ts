// The contract between the store and the engine: what any graph backend must offer for the engine to run on it.
import type { OnDelete, Schema } from './types.js';

/** Adjacency in compressed-sparse-row form: the relations of entity i are positions offsets[i] .. offsets[i+1]-1. */
export interface Csr {
  readonly offsets: Int32Array;
  /** The entity at the other end of each relation. */
  readonly nodes: Int32Array;
  /** The relation-type code of each relation. */
  readonly types: Uint16Array;
}

/**
 * What the engine needs from a graph: look an entity up, read its attributes, and walk the relations that point
 * at it (or leave it) with their relation-type codes. Any backend that can produce this runs the in-memory engine.
 */
export interface GraphIndex {
  readonly schema: Schema;
  readonly size: number;
  readonly relationCount: number;
  /** Entity-type code → type name. */
  readonly typeNames: readonly string[];
  /** Relation-type code → relation-type name. */
  readonly relationTypeNames: readonly string[];
  /** Relation-type code → onDelete semantics. */
  readonly relationSemantics: readonly OnDelete[];
  readonly typeCodes: Uint16Array;
  /** Relations pointing at each entity (`nodes` are the `from` ends). */
  readonly incoming: Csr;
  /** Relations leaving each entity (`nodes` are the `to` ends). */
  readonly outgoing: Csr;
  indexOf(id: string): number;
  idOf(ix: number): string;
  typeOf(ix: number): string;
  nameOf(ix: number): string | undefined;
  isProtected(ix: number): boolean;
  attributesOf(ix: number): Record<string, unknown> | undefined;
}
