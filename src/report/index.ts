// Output formats: each is one pure function from a plan result to text. A new format is one new file here.
import type { PlanResult } from '../engine/result.js';
import type { Anchors } from './anchors.js';
import { renderGithub } from './github.js';
import { renderHuman } from './human.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';

export const PLAN_FORMATS = ['human', 'json', 'markdown', 'github', 'sarif', 'junit'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface ReportOptions {
  color?: boolean;
  full?: boolean;
  title?: string;
  /** Where each violation belongs in the manifest (CI formats point at that line). */
  anchors?: Anchors;
  toolVersion?: string;
}

export function renderPlan(result: PlanResult, format: PlanFormat, opts: ReportOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'markdown':
      return renderMarkdown(result, opts);
    case 'human':
      return renderHuman(result, opts);
    case 'github':
      return renderGithub(result, opts);
    case 'sarif':
      return renderSarif(result, opts);
    case 'junit':
      return renderJunit(result, opts);
  }
}
