// CI formats: GitHub Actions annotations (escaped per GitHub's rules, at the manifest line of each offending
// target), SARIF 2.1.0 validated against the official schema, and JUnit XML checked by an XML parser.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createRequire } from 'node:module';
import { RULES } from '../../src/engine/result.js';
import { CLEANUP, INCIDENT, ROOT, run, TENANT, tmp, write } from './helpers.js';

const require_ = createRequire(import.meta.url);
const dir = tmp();

/** The line (1-based) of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

/** Parses a workflow command back, undoing GitHub's escaping (the inverse of @actions/core's toCommandValue rules). */
function parseCommand(line: string): { kind: string; props: Record<string, string>; message: string } | null {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) return null;
  const unData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unProp = (s: string) => unData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = kv.indexOf('=');
    props[kv.slice(0, eq)] = unProp(kv.slice(eq + 1));
  }
  return { kind: m[1], props, message: unData(m[3]) };
}

// A small hostile tenant: names and IDs with the characters GitHub, XML and SARIF must escape.
const hostile = {
  schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } },
  entities: [
    { id: 'site:a', type: 'site', name: '50% <b>"A"</b> & co' },
    { id: 'site:b', type: 'site' },
    { id: 'p:1,2', type: 'product', name: 'line1\nline2\r::warning::injected' },
    { id: 'x:shared', type: 'thing', name: "it's <x>" },
  ],
  relations: [
    { from: 'p:1,2', type: 'IN', to: 'site:a' },
    { from: 'x:shared', type: 'IN', to: 'p:1,2' },
    { from: 'x:shared', type: 'IN', to: 'site:b' },
  ],
};
const hostileGraph = write(dir, 'hostile.json', JSON.stringify(hostile));
const hostileManifest = write(dir, 'odd, name: v1.yaml', 'description: x\ntargets:\n  - "p:1,2"\nintent:\n  rootTypes: [thing]\n');

describe('--format github', () => {
  test('one annotation per offending target line, at that line, with every rule broken from it', () => {
    const r = run(['check', INCIDENT, '--graph', TENANT, '--format', 'github'], { cwd: ROOT });
    expect(r.code).toBe(1);
    const cmds = r.stdout
      .trim()
      .split('\n')
      .map(parseCommand)
      .filter((c) => c !== null);
    const rel = 'samples/manifests/incident-replay.yaml';
    const file = INCIDENT;
    const expectedLines = ['site:acme-prod', 'site:acme-sandbox', 'site:globex', 'site:initech'].map((t) => lineOf(file, `- ${t}`));
    expectedLines.push(lineOf(file, 'maxDeleted'));
    expect(cmds.map((c) => Number(c!.props.line))).toEqual(expectedLines);
    for (const c of cmds) {
      expect(c!.kind).toBe('error');
      expect(c!.props.file).toBe(INCIDENT.startsWith(ROOT) ? INCIDENT : rel);
    }
    const prod = cmds[0]!;
    expect(prod.props.title).toBe('blastguard: root-type, delete-type (30), cross-boundary, boundary-deleted');
    expect(prod.message.split('\n')[0]).toBe('root-type: site:acme-prod (acme.atlassian.net) is a site; the intent allows roots of type app-install');
    expect(cmds[4]!.message).toBe('max-deleted: 122 entities would be deleted; the limit is 100');
    expect(r.stdout.trim().split('\n').pop()).toMatch(
      /^blastguard FAIL .*incident-replay\.yaml: 4 targets would delete 122 entities in 5 entities of type site — 104 violations$/,
    );
  });

  test('a select entry and a rehearsal are annotated on their own lines', () => {
    const m = write(
      dir,
      'annotated.yaml',
      `targets:\n  - site:globex\nselect:\n  - type: app-install\n    where: { app: legacy-asset-mgmt }\nmode: permanent\nrehearsal: none.json\n`,
    );
    const r = run(['check', m, '--graph', TENANT, '--format', 'github']);
    const cmds = r.stdout
      .trim()
      .split('\n')
      .map(parseCommand)
      .filter((c) => c !== null);
    const at = (line: number) => cmds.find((c) => Number(c!.props.line) === line)!;
    expect(at(2).props.title).toMatch(/^blastguard: target-mismatch, /);
    expect(at(4).props.title).toBe('blastguard: target-mismatch (5)');
    expect(at(7).props.title).toBe('blastguard: permanent-unrehearsed');
    expect(at(7).message).toBe('permanent-unrehearsed: rehearsal none.json is not a usable approved plan: file not found');
  });

  test('escaping: %, CR, LF in messages; also : and , in properties; nothing can start a new command', () => {
    const r = run(['check', hostileManifest, '--graph', hostileGraph, '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    // Every output line is either a command or the summary: no injected "::warning::" line.
    expect(lines.filter((l) => l.startsWith('::')).length).toBe(lines.length - 1);
    expect(lines.some((l) => l.startsWith('::warning'))).toBe(false);
    const c = parseCommand(lines[0])!;
    expect(c.props.file).toBe(hostileManifest);
    expect(lines[0]).toContain(`file=${hostileManifest.replace(/,/g, '%2C').replace(/:/g, '%3A')},`);
    expect(Number(c.props.line)).toBe(3);
    expect(c.props.title).toBe('blastguard: root-type, cross-boundary');
    // Control characters from the data are shown escaped; '%' survives the round trip.
    expect(c.message).toContain('root-type: p:1,2 (line1\\u000aline2\\u000d::warning::injected) is a product');
    expect(c.message).toContain('50% <b>"A"</b> & co');
  });

  test('a passing check is a notice and the summary', () => {
    const r = run(['check', CLEANUP, '--graph', TENANT, '--format', 'github']);
    expect(r.code).toBe(0);
    const [notice, summary] = r.stdout.trim().split('\n');
    expect(parseCommand(notice)).toEqual({
      kind: 'notice',
      props: { file: CLEANUP, title: 'blastguard: pass' },
      message: '5 targets would delete 14 entities in 4 entities of type site',
    });
    expect(summary).toMatch(/^blastguard pass /);
  });

  test('plan (no manifest) annotates without a file', () => {
    const r = run(['plan', 'site:acme-sandbox', '--graph', TENANT, '--format', 'github']);
    const c = parseCommand(r.stdout.split('\n')[0])!;
    expect(c.props).toEqual({ title: 'blastguard: boundary-deleted' });
  });
});

describe('--format sarif', () => {
  const Ajv4 = require_('ajv-draft-04');
  const addFormats = require_('ajv-formats');
  // unicodeRegExp: false — the official schema's `language` pattern has a stray `]` that only non-unicode RegExps accept.
  const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  const validate = ajv.compile(schema);
  const valid = (log: unknown) => {
    const ok = validate(log);
    return ok ? true : validate.errors;
  };

  test('the schema validator rejects a broken log (so passing means something)', () => {
    expect(valid({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).not.toBe(true);
    expect(valid({ version: '2.0.0', runs: [] })).not.toBe(true);
  });

  test('the incident replay: valid SARIF 2.1.0, one result per violation, located at the target lines', () => {
    const r = run(['check', INCIDENT, '--graph', TENANT, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(valid(log)).toBe(true);
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules.map((x: any) => x.id)).toEqual([...RULES]);
    const json = JSON.parse(run(['check', INCIDENT, '--graph', TENANT, '--format', 'json']).stdout);
    expect(run0.results).toHaveLength(json.violations.length);
    expect(run0.results.map((x: any) => x.ruleId)).toEqual(json.violations.map((v: any) => v.rule));
    for (const res of run0.results) expect(run0.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    const globex = run0.results.find((x: any) => x.ruleId === 'boundary-deleted' && x.locations[0].logicalLocations[0].fullyQualifiedName === 'site:globex');
    expect(globex.locations[0].physicalLocation.region.startLine).toBe(lineOf(INCIDENT, '- site:globex'));
  });

  test('a pass, a plan without a manifest, and hostile data are all valid SARIF', () => {
    const pass = JSON.parse(run(['check', CLEANUP, '--graph', TENANT, '--format', 'sarif']).stdout);
    expect(valid(pass)).toBe(true);
    expect(pass.runs[0].results).toEqual([]);
    const planLog = JSON.parse(run(['plan', 'site:globex', '--graph', TENANT, '--format', 'sarif']).stdout);
    expect(valid(planLog)).toBe(true);
    expect(planLog.runs[0].results[0].locations[0].physicalLocation).toBeUndefined();
    const odd = JSON.parse(run(['check', hostileManifest, '--graph', hostileGraph, '--format', 'sarif']).stdout);
    expect(valid(odd)).toBe(true);
    const loc = odd.runs[0].results[0].locations[0].physicalLocation;
    expect(decodeURIComponent(loc.artifactLocation.uri.split('/').pop())).toBe('odd, name: v1.yaml');
    expect(loc.region.startLine).toBe(3);
    // The message is for people: a newline in a name is shown escaped (it could fake a line); the data keeps it.
    expect(odd.runs[0].results[0].message.text).toContain('line1\\u000aline2\\u000d::warning::injected');
    expect(odd.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe('p:1,2');
  });
});

describe('--format junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

  test('one test case per rule; the failing ones carry their violations', () => {
    const r = run(['check', INCIDENT, '--graph', TENANT, '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = parser.parse(r.stdout);
    const suite = doc.testsuites.testsuite;
    const cases = suite.testcase as any[];
    expect(cases).toHaveLength(RULES.length);
    const failing = cases.filter((c) => c.failure).map((c) => c.failure.type);
    expect(failing).toEqual(['root-type', 'delete-type', 'cross-boundary', 'boundary-deleted', 'protected', 'max-deleted']);
    expect(Number(suite.failures)).toBe(6);
    expect(Number(doc.testsuites.tests)).toBe(RULES.length);
    const boundary = cases.find((c) => c.failure?.type === 'boundary-deleted');
    expect(boundary.failure.message).toBe('4 × site site:acme-prod (acme.atlassian.net) would be deleted');
    expect(boundary.failure['#text']).toContain(`${INCIDENT}:${lineOf(INCIDENT, '- site:globex')}: site site:globex (globex.atlassian.net) would be deleted`);
  });

  test('a pass has no failures', () => {
    const r = run(['check', CLEANUP, '--graph', TENANT, '--format', 'junit']);
    expect(r.code).toBe(0);
    const doc = parser.parse(r.stdout);
    expect(Number(doc.testsuites.failures)).toBe(0);
    expect(doc.testsuites.testsuite.testcase.every((c: any) => c.failure === undefined)).toBe(true);
  });

  test('markup, quotes and control characters in the data are escaped and survive parsing', () => {
    const r = run(['check', hostileManifest, '--graph', hostileGraph, '--format', 'junit']);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, htmlEntities: true }).parse(r.stdout);
    const failures = (doc.testsuites.testsuite.testcase as any[]).filter((c) => c.failure).map((c) => c.failure);
    expect(failures.map((f) => f.type)).toEqual(['root-type', 'cross-boundary']);
    // Control characters from the data are shown escaped: a name cannot add a line to the failure text.
    expect(failures[0]['#text']).toContain('p:1,2 (line1\\u000aline2\\u000d::warning::injected) is a product');
    expect(failures[1].message).toContain('50% <b>"A"</b> & co');
    expect(failures[1]['#text']).toContain("x:shared (it's <x>)");
    expect(r.stdout).not.toContain('<b>');
  });
});
