// The data contract of blastguard: entities, relations, schema, snapshots, manifests.

/** What happens to `from` when `to` is deleted. */
export type OnDelete = 'cascade' | 'last-owner' | 'detach' | 'restrict' | 'protect' | 'none';

export const ON_DELETE_VALUES: readonly OnDelete[] = ['cascade', 'last-owner', 'detach', 'restrict', 'protect', 'none'];

export interface RelationTypeSpec {
  onDelete: OnDelete;
  description?: string;
}

export interface EntityTypeSpec {
  description?: string;
  /** A permanent deletion may never reach an entity of this type. */
  critical?: boolean;
}

export interface Schema {
  /** The entity type that marks a tenant boundary (default `site`). */
  boundary: string;
  relations: Record<string, RelationTypeSpec>;
  /** Optional list of known entity types; when present, any other type is an input error. */
  types?: Record<string, EntityTypeSpec>;
  /**
   * The deepest nesting of cascaded actions the database carries out (InnoDB: 14); a deletion that needs deeper
   * nesting is refused whole. Set by the MySQL reader; plans report it as a `cascade-depth` violation.
   */
  maxCascadeDepth?: number;
}

export interface Entity {
  id: string;
  type: string;
  name?: string;
  protected?: boolean;
  attributes?: Record<string, unknown>;
}

/** `from` depends on `to` (the direction of a foreign key). */
export interface Relation {
  from: string;
  type: string;
  to: string;
}

export interface Snapshot {
  schema: Schema;
  entities: Entity[];
  relations: Relation[];
}

export interface Intent {
  /** Types a root may have; absent = any. */
  rootTypes?: string[];
  /** Types the closure may delete; absent = any type but the boundary type. */
  deleteTypes?: string[];
  /** Lift the boundary rule without listing every type (the CLI's --allow-boundary-deletion). */
  allowBoundaryDeletion?: boolean;
}

export interface Limits {
  maxDeleted?: number;
  maxSites?: number;
}

/** A scalar an entity attribute is compared with. */
export type SelectorValue = string | number | boolean | null;

/**
 * Picks entities by type and attributes. An entity matches when its type equals `type` and, for every key of
 * `where`, it has that attribute (own property) and the attribute's value is a scalar that is strictly equal
 * (`===`, no coercion: 1 ≠ "1") to the given value, or to one of them when an array is given (any-of). An attribute
 * whose value is an object or an array never matches. No `where` (or `{}`) matches every entity of the type.
 */
export interface Selector {
  type: string;
  where?: Record<string, SelectorValue | SelectorValue[]>;
}

/** `soft`: the deleted entities can be restored (the default). `permanent`: they cannot. */
export type DeletionMode = 'soft' | 'permanent';

export interface Manifest {
  description?: string;
  /** The IDs the script will delete. At least one of `targets` and `select` is present. */
  targets?: string[];
  /** The targets stated as intent; when `targets` is also given, both must name the same IDs. */
  select?: Selector[];
  mode?: DeletionMode;
  /** For `mode: permanent`: the approved soft-mode plan (a file, relative to the manifest) this deletion follows. */
  rehearsal?: string;
  intent?: Intent;
  limits?: Limits;
}
