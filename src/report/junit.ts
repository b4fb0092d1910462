// JUnit XML for CI systems other than GitHub: one test case per rule (stable names, so CI can track them run to
// run), failing with the violations of that rule. Pure; all text is escaped for XML 1.0, and invisible characters
// from the input are shown escaped (a name cannot add a line to the failure text or reorder it with a bidi control).
import { RULES, type PlanResult, type Violation } from '../engine/result.js';
import type { Anchors } from './anchors.js';
import { fmt, headline, ruleHelp } from './common.js';
import { elideChain, elidedText, isElided, joinPieces, linePieces, type Pieces } from './pieces.js';
import { visible } from './text.js';

/** Characters XML 1.0 cannot carry at all (controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function xmlSafe(s: string): string {
  return s.replace(INVALID_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text content: markup escaped; CR as a character reference so XML's line-end normalisation keeps it. */
export function xmlText(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

export interface JunitOptions {
  anchors?: Anchors;
  title?: string;
}

const LIMIT = 100;

function violationText(v: Violation, anchors?: Anchors): string {
  const line = anchors?.lineOf(v);
  const where = anchors ? `${visible(anchors.file)}${line !== undefined ? `:${line}` : ''}: ` : '';
  const chain =
    v.chain.length > 1
      ? `\n    chain: ${elideChain(v.chain, false, v.chainLength)
          .map((l) => (isElided(l) ? elidedText(l) : visible(l.id)))
          .join(' <- ')}`
      : '';
  return `${where}${visible(v.message)}${chain}`;
}

export function renderJunit(result: PlanResult, opts: JunitOptions = {}): string {
  return joinPieces(junitPieces(result, opts));
}

/** The XML as pieces (one per line or test case). */
export function junitPieces(result: PlanResult, opts: JunitOptions = {}): Pieces {
  const byRule = new Map<string, Violation[]>();
  for (const v of result.violations) {
    let list = byRule.get(v.rule);
    if (!list) byRule.set(v.rule, (list = []));
    list.push(v);
  }
  const suite = `blastguard${opts.title ? `: ${visible(opts.title)}` : ''}`;
  const classname = `blastguard.${visible(opts.anchors?.file ?? 'plan')}`;
  const failures = byRule.size;
  const cases = RULES.map((rule) => {
    const list = byRule.get(rule);
    const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(`${rule}: ${ruleHelp(rule, result.boundary)}`)}"`;
    if (!list) return `${open}/>`;
    const shown = list.slice(0, LIMIT).map((v) => violationText(v, opts.anchors));
    if (list.length > LIMIT) shown.push(`… and ${fmt(list.length - LIMIT)} more`);
    return [
      `${open}>`,
      `      <failure type="${xmlAttr(rule)}" message="${xmlAttr(`${fmt(list.length)} × ${visible(list[0].message)}`)}">${xmlText(shown.join('\n'))}</failure>`,
      '    </testcase>',
    ].join('\n');
  });
  return linePieces([
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="blastguard" tests="${RULES.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xmlAttr(suite)}" tests="${RULES.length}" failures="${failures}" errors="0" skipped="0">`,
    `    <properties><property name="summary" value="${xmlAttr(headline(result))}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ]);
}
