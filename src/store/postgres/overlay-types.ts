// The overlay for a graph read from a database (schemas/overlay.schema.json): what the catalog cannot say.
import type { OnDelete } from '../../model/types.js';
import type { Locator } from '../../model/locate.js';

export interface OverlayTable {
  name?: string;
  /** A boolean column, or the entity IDs of protected rows. */
  protected?: string | string[];
  attributes?: string[];
  critical?: boolean;
  skip?: boolean;
}

export interface OverlayRelation {
  name?: string;
  from: string;
  column?: string;
  array?: string;
  polymorphic?: { type: string; id: string };
  to: string | Record<string, string>;
  toColumn?: string;
  onDelete: OnDelete;
}

export interface Overlay {
  boundary?: string;
  tables?: Record<string, OverlayTable>;
  relations?: OverlayRelation[];
  onDelete?: Record<string, OnDelete>;
}

/** An overlay with where it came from, so that a problem found against the catalog names its file and line. */
export interface LoadedOverlay {
  file: string;
  overlay: Overlay;
  lineOf: Locator;
}
