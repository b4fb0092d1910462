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

export interface Manifest {
  description?: string;
  targets: string[];
  intent?: Intent;
  limits?: Limits;
}
