// Output formats: each is one pure function from a plan result to text. A new format is one new file here.
import type { PlanResult } from '../engine/result.js';
import { renderHuman } from './human.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

export const PLAN_FORMATS = ['human', 'json', 'markdown'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface ReportOptions {
  color?: boolean;
  full?: boolean;
  title?: string;
}

export function renderPlan(result: PlanResult, format: PlanFormat, opts: ReportOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'markdown':
      return renderMarkdown(result, opts);
    case 'human':
      return renderHuman(result, opts);
  }
}
