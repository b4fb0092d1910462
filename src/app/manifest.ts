// A manifest and its rehearsal: `check`, `report` and the library's check() and approve() read the rehearsal plan a
// permanent manifest names the same way (relative to the manifest's folder, and confined to it).
import type { RehearsalInput } from '../engine/check.js';
import { readRehearsal, type RehearsalRef } from '../ingest/approved-plan.js';
import type { Manifest } from '../model/types.js';

export { loadManifestFile, type LoadedManifest } from '../ingest/manifest.js';
/** What an approved plan of a checked manifest records, so that verify can compute it again. */
export { manifestRequest } from '../engine/approved.js';
export type { RehearsalRef };

/** The rehearsal plan a permanent manifest names, judged; undefined when the manifest names none (or is not permanent). */
export function manifestRehearsal(manifest: Manifest, ref: RehearsalRef): RehearsalInput | undefined {
  return manifest.mode === 'permanent' && manifest.rehearsal !== undefined ? readRehearsal(ref, manifest.rehearsal) : undefined;
}
