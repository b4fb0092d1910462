// SARIF 2.1.0 for code-scanning uploads: one result per violation, located at the manifest line of the target
// that causes it (when a manifest was checked), with every rule described in the driver. Pure. The message is
// for people (invisible characters shown escaped); locations, fingerprints and the chain property are data and
// keep the exact IDs (written as JSON escapes).
import { RULES, type PlanResult } from '../engine/result.js';
import type { Anchors } from './anchors.js';
import { ruleHelp } from './common.js';
import { joinPieces, jsonLinePieces, mapPieces, type Pieces } from './pieces.js';
import { jsonInvisible, visible } from './text.js';

export interface SarifOptions {
  anchors?: Anchors;
  toolVersion?: string;
}

/** A relative path as a SARIF `uri-reference`: forward slashes, each segment percent-encoded. */
export function fileUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

export function renderSarif(result: PlanResult, opts: SarifOptions = {}): string {
  return joinPieces(sarifPieces(result, opts));
}

/** The SARIF log as pieces of its JSON text (the same text as JSON.stringify, never one string). */
export function sarifPieces(result: PlanResult, opts: SarifOptions = {}): Pieces {
  const ruleIndex = new Map<string, number>(RULES.map((r, i) => [r, i]));
  const anchors = opts.anchors;
  const results = result.violations.map((v) => {
    const out: Record<string, unknown> = {
      ruleId: v.rule,
      ruleIndex: ruleIndex.get(v.rule),
      level: 'error',
      message: { text: visible(v.message) },
    };
    const location: Record<string, unknown> = {};
    if (anchors) {
      const line = anchors.lineOf(v);
      location.physicalLocation = {
        artifactLocation: { uri: fileUri(anchors.file) },
        ...(line !== undefined ? { region: { startLine: line } } : {}),
      };
    }
    if (v.entity !== null) location.logicalLocations = [{ fullyQualifiedName: v.entity, kind: 'resource' }];
    if (Object.keys(location).length) out.locations = [location];
    out.partialFingerprints = { 'blastguardViolation/v1': `${v.rule}|${v.entity ?? ''}` };
    // A long chain is elided as in the result: its ends, and chainLength (the links left out follow the first five).
    if (v.chain.length)
      out.properties = {
        chain: v.chain.map((l) => ({ id: l.id, type: l.type, relation: l.relation })),
        ...(v.chainLength !== undefined ? { chainLength: v.chainLength } : {}),
      };
    return out;
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'blastguard',
            ...(opts.toolVersion ? { version: opts.toolVersion } : {}),
            informationUri: 'https://github.com/blastguard/blastguard',
            rules: RULES.map((r) => ({
              id: r,
              name: r.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()),
              shortDescription: { text: ruleHelp(r, result.boundary) },
              defaultConfiguration: { level: 'error' },
            })),
          },
        },
        ...(anchors ? { artifacts: [{ location: { uri: fileUri(anchors.file) } }] } : {}),
        results,
        properties: {
          verdict: result.verdict,
          roots: result.roots.length,
          deleted: result.summary.deleted,
          sites: result.summary.sites.length,
        },
      },
    ],
  };
  // Data fields keep the exact IDs, as JSON escapes: no bidi control is in the file raw.
  return mapPieces(jsonLinePieces(log), jsonInvisible);
}
