// DOT, Mermaid, graphology and the HTML page: what they draw, where they cut, and that hostile input stays text.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { MultiDirectedGraph } from 'graphology';
import { audit } from '../../src/engine/audit.js';
import { plan } from '../../src/engine/plan.js';
import { auditSubgraph, planSubgraph } from '../../src/engine/subgraph.js';
import { loadManifestFile } from '../../src/ingest/manifest.js';
import type { Snapshot } from '../../src/model/types.js';
import { renderDot } from '../../src/report/dot.js';
import { renderGraphology } from '../../src/report/graphology.js';
import { clientGraph, jsonForScript, renderAuditHtml, renderPlanHtml } from '../../src/report/html.js';
import type { ClientGraph } from '../../src/report/html-data.js';
import { renderMermaid } from '../../src/report/mermaid.js';
import { graphOf } from '../helpers/graphs.js';
import { hostileSnapshot, NASTY_NAMES, XSS } from '../helpers/hostile.js';

const sample = JSON.parse(readFileSync(new URL('../../samples/tenant.json', import.meta.url), 'utf8')) as Snapshot;
const incidentManifest = loadManifestFile(new URL('../../samples/manifests/incident-replay.yaml', import.meta.url).pathname).manifest;
// This manifest names literal targets (issue 7 made `targets` optional when `select` is given).
const incident = { ...incidentManifest, targets: incidentManifest.targets ?? [] };
const DOT = existsSync('/usr/bin/dot') ? '/usr/bin/dot' : undefined;
const BUNDLE = 'console.log("bundle")';

function incidentPlan() {
  const g = graphOf(sample);
  return { g, result: plan(g, incident.targets, { intent: incident.intent, limits: incident.limits }) };
}

function hostilePlan() {
  const g = graphOf(hostileSnapshot());
  return { g, result: plan(g, ['site:s1']) };
}

/** A site with `n` documents: a blast radius of n + 1. */
function bigSnapshot(n: number): Snapshot {
  return {
    schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } },
    entities: [{ id: 'site:big', type: 'site' }, ...Array.from({ length: n }, (_, i) => ({ id: `doc:${i}`, type: i % 2 ? 'doc' : 'page' }))],
    relations: Array.from({ length: n }, (_, i) => ({ from: `doc:${i}`, type: 'IN', to: 'site:big' })),
  };
}

/** Mermaid entity codes (#60;) back to characters. */
const decodeMermaid = (s: string) => s.replace(/#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)));

describe('the blast-radius subgraph', () => {
  test('holds every deleted, detached, spared and blocking entity of the plan, and only relations among them', () => {
    const { g, result } = incidentPlan();
    const sg = planSubgraph(g, result);
    const ids = new Set(sg.nodes.map((n) => n.id));
    for (const d of [...result.deleted, ...result.detached, ...result.spared]) expect(ids.has(d.id)).toBe(true);
    // The retention policy protects a deleted site: it blocks and is drawn, though it survives.
    expect(sg.nodes.find((n) => n.id === 'retention-policy:sox-7y')?.status).toBe('blocked');
    expect(sg.nodes.find((n) => n.id === 'user:billing-admin@initech.com')?.status).toBe('blocked');
    expect(
      sg.nodes
        .filter((n) => n.status === 'root')
        .map((n) => n.id)
        .sort(),
    ).toEqual([...incident.targets].sort());
    for (const e of sg.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    // Every deleted entity but the roots has exactly one tree edge: the relation that pulled it in.
    const treeEdges = sg.edges.filter((e) => e.tree);
    expect(treeEdges).toHaveLength(result.deleted.filter((d) => d.via).length);
    for (const d of result.deleted)
      if (d.via) expect(treeEdges.some((e) => e.from === d.id && e.to === d.via!.principal && e.type === d.via!.relation)).toBe(true);
  });

  test('for an audit: the entities its risks name, with their sites', () => {
    const g = graphOf(sample);
    const sg = auditSubgraph(g, audit(g));
    const conn = sg.nodes.find((n) => n.id === 'connection:acme-prod/jira-software~acme-eu/confluence')!;
    expect(conn.rules.sort()).toEqual(['cross-boundary-relation', 'shared-entity']);
    for (const s of conn.sites) expect(sg.nodes.some((n) => n.id === s && n.status === 'site')).toBe(true);
  });
});

describe('DOT', () => {
  test('the incident replay: clusters per site, every entity, the tree edges solid', () => {
    const { g, result } = incidentPlan();
    const sg = planSubgraph(g, result);
    const dot = renderDot(sg);
    expect(dot).toMatch(/^\/\/ blastguard/);
    expect((dot.match(/^\s+n\d+ \[label=/gm) ?? []).length).toBe(sg.nodes.length);
    expect((dot.match(/ -> /g) ?? []).length).toBe(sg.edges.length);
    expect(dot).toContain('label="site site:acme-prod"');
    expect(dot).not.toContain('truncated');
  });

  test('hostile names and IDs are quoted DOT strings', () => {
    const { g, result } = hostilePlan();
    const dot = renderDot(planSubgraph(g, result));
    // Every double quote inside a label is escaped: the quoted strings pair up on each line.
    for (const line of dot.split('\n')) expect((line.replace(/\\\\/g, '').replace(/\\"/g, '').match(/"/g) ?? []).length % 2).toBe(0);
    expect(dot).toContain('quote \\" and back\\\\slash \\\\N \\\\G');
    expect(dot).toContain('new\\\\u000aline'); // a newline in a name is shown, not a line break
    expect(dot).not.toMatch(/^\s*__proto__/m); // node names are generated
  });

  test.each([
    ['the incident replay', () => incidentPlan()],
    ['the hostile graph', () => hostilePlan()],
  ])('graphviz parses %s, and markup in names stays text in its SVG', (_name, make) => {
    if (!DOT) {
      console.log('graphviz (/usr/bin/dot) is not installed: DOT output checked without it');
      return;
    }
    const { g, result } = make();
    const svg = execFileSync(DOT, ['-Tsvg'], { input: renderDot(planSubgraph(g, result)) }).toString();
    expect(svg).toContain('<svg');
    expect(svg).not.toContain('<img');
    if (result.deleted.some((d) => d.name === XSS)) expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('past the limit: a visible note says how many are not drawn', () => {
    const g = graphOf(bigSnapshot(700));
    const sg = planSubgraph(g, plan(g, ['site:big']));
    const dot = renderDot(sg);
    expect((dot.match(/^\s+n\d+ \[label=/gm) ?? []).length).toBe(500);
    expect(dot).toContain('Showing 500 of 701 entities: 201 more not drawn.');
    expect(dot).toContain('n0 [label="site:big'); // the root is kept
    if (DOT) expect(() => execFileSync(DOT, ['-Tsvg'], { input: dot })).not.toThrow();
  });
});

describe('Mermaid', () => {
  test('labels hold no raw markup, quotes or brackets from the input, and decode back to it', () => {
    const { g, result } = hostilePlan();
    const mm = renderMermaid(planSubgraph(g, result));
    expect(mm).not.toContain('<img');
    expect(mm).not.toContain('</script');
    const labels = [...mm.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    // Apart from our own line breaks and italics, and entity codes, nothing Mermaid could read as syntax.
    for (const l of labels) expect(l.replace(/<br\/>|<\/?i>/g, '').replace(/#\d+;/g, '')).not.toMatch(/[<>[\]{}|`;#]/);
    const decoded = labels.map(decodeMermaid).join('\n');
    for (const name of NASTY_NAMES) expect(decoded).toContain(name.replace(/\n/g, '\\u000a'));
  });

  test('past the limit: a visible note', () => {
    const g = graphOf(bigSnapshot(200));
    const mm = renderMermaid(planSubgraph(g, plan(g, ['site:big'])));
    expect((mm.match(/^\s+n\d+[[{(/]/gm) ?? []).length).toBe(150);
    expect(decodeMermaid(mm)).toContain('Showing 150 of 201 entities: 51 more not drawn.');
  });
});

describe('graphology JSON', () => {
  test('imports into graphology with the statuses and the model direction', () => {
    const { g, result } = incidentPlan();
    const sg = planSubgraph(g, result);
    const data = JSON.parse(renderGraphology(g, sg, { verdict: result.verdict }));
    const graph = new MultiDirectedGraph();
    graph.import(data);
    expect(graph.order).toBe(sg.nodes.length);
    expect(graph.size).toBe(sg.edges.length);
    expect(graph.getAttribute('verdict')).toBe('fail');
    expect(graph.getNodeAttribute('site:globex', 'status')).toBe('root');
    const e = graph.edges('product:globex/jira-software', 'site:globex');
    expect(e).toHaveLength(1);
    expect(graph.getEdgeAttributes(e[0])).toMatchObject({ type: 'HOSTED_ON', onDelete: 'cascade', tree: true });
  });
});

describe('HTML (without a browser)', () => {
  test('the data block cannot be broken out of, and parses back to the same data', () => {
    const tricky = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'a\u2028b', d: '&amp;' };
    const text = jsonForScript(tricky);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(tricky);
  });

  test('hostile names appear only escaped; the CSP allows exactly the inlined script', () => {
    const { g, result } = hostilePlan();
    const html = renderPlanHtml(result, g, { bundle: BUNDLE, title: XSS });
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect((html.match(/<script/g) ?? []).length).toBe(2);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    expect(script).toBe(BUNDLE);
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    const data = JSON.parse(/<script type="application\/json" id="bg-data">([\s\S]*?)<\/script>/.exec(html)![1]) as ClientGraph;
    expect(data.nodes.find((n) => n.id === 'site:s1')!.name).toBe(XSS);
  });

  test('the built bundle cannot end its script element early', () => {
    const bundle = readFileSync(new URL('../../dist/report-client.js', import.meta.url), 'utf8');
    const html = renderPlanHtml(incidentPlan().result, incidentPlan().g, { bundle });
    const script = html.slice(html.lastIndexOf('<script>') + 8, html.lastIndexOf('</script>'));
    expect(script).not.toMatch(/<\/script|<!--/i);
  });

  test('large plans are drawn as per-type, per-site aggregates', () => {
    const g = graphOf(bigSnapshot(3000));
    const sg = planSubgraph(g, plan(g, ['site:big']));
    const cg = clientGraph(sg, () => {}, 2000);
    expect(cg.aggregated).toBe(true);
    expect(cg.nodes.reduce((s, n) => s + (n.count ?? 0), 0)).toBe(3001);
    const pages = cg.nodes.find((n) => n.type === 'page')!;
    expect(pages.count).toBe(1500);
    expect(pages.chain!.map((c) => c.id)).toEqual(['site:big', pages.sample![0]]);
    expect(cg.note).toContain('3,001 entities');
  });

  test('plans above 150 entities open grouped: each entity in one group of its type, status and site; relations as numbers', () => {
    // Two sites of 120 documents; deleting site:a takes its documents, and 30 of site:b's lose a REF (detach) to them.
    const docs = (site: string) => Array.from({ length: 120 }, (_, i) => ({ id: `doc:${site}${i}`, type: i % 2 ? 'doc' : 'page' }));
    const snap: Snapshot = {
      schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' }, REF: { onDelete: 'detach' } } },
      entities: [{ id: 'site:a', type: 'site' }, { id: 'site:b', type: 'site' }, ...docs('a'), ...docs('b')],
      relations: [
        ...docs('a').map((d) => ({ from: d.id, type: 'IN', to: 'site:a' })),
        ...docs('b').map((d) => ({ from: d.id, type: 'IN', to: 'site:b' })),
        ...docs('b')
          .slice(0, 30)
          .map((d, i) => ({ from: d.id, type: 'REF', to: `doc:a${i}` })),
      ],
    };
    const g = graphOf(snap);
    const sg = planSubgraph(g, plan(g, ['site:a']));
    expect(sg.nodes.length).toBeGreaterThan(150);
    const cg = clientGraph(sg, () => {});
    expect(cg.aggregated).toBe(false);
    expect(cg.nodes.map((n) => n.id)).toEqual(sg.nodes.map((n) => n.id));
    const groups = cg.groups!;
    // Every entity is in exactly one group, which has its type, status and site; the counts add up.
    for (const n of cg.nodes) {
      const gr = groups[n.group!];
      expect([gr.type, gr.status, gr.site]).toEqual([n.type, n.status, n.sites.length === 1 ? n.sites[0] : n.sites.length ? '(several site)' : '(no site)']);
    }
    expect(groups.map((gr) => gr.count)).toEqual(groups.map((_, i) => cg.nodes.filter((n) => n.group === i).length));
    expect(new Set(groups.map((gr) => `${gr.site} ${gr.type} ${gr.status}`)).size).toBe(groups.length);
    // Columns: the target first, then what it pulls in, one step at a time.
    expect(groups.find((gr) => gr.type === 'site' && gr.site === 'site:a')!.level).toBe(0);
    expect(groups.find((gr) => gr.type === 'page' && gr.site === 'site:a')!.level).toBe(1);
    // Survivors: one column past the deleted entity they relate to.
    expect(groups.find((gr) => gr.type === 'page' && gr.site === 'site:b')).toMatchObject({ status: 'detached', level: 2, count: 15 });
    // The relations, decoded: the same as the subgraph's, with the tree and the boundary crossings flagged.
    const links = cg.links!;
    const decoded = [];
    for (let i = 0; i < links.length; i += 4)
      decoded.push({
        from: cg.nodes[links[i]].id,
        to: cg.nodes[links[i + 1]].id,
        type: cg.relationTypes![links[i + 2]],
        tree: (links[i + 3] & 1) === 1,
        cross: (links[i + 3] & 2) === 2,
      });
    const byId = new Map(sg.nodes.map((n) => [n.id, n]));
    expect(decoded).toEqual(
      sg.edges.map((e) => {
        const a = byId.get(e.from)!.sites;
        const b = byId.get(e.to)!.sites;
        return { from: e.from, to: e.to, type: e.type, tree: e.tree, cross: a.length > 0 && b.length > 0 && !a.some((x) => b.includes(x)) };
      }),
    );
    expect(decoded.filter((e) => e.cross).map((e) => e.type)).toEqual(Array(30).fill('REF'));
    expect(cg.edges).toEqual([]);
    expect(cg.note).toContain(`${sg.nodes.length} entities, drawn as one node per type, status and site`);
    // At or below the threshold: entities only, no groups.
    expect(clientGraph(sg, () => {}, 20000, sg.nodes.length).groups).toBeUndefined();
  });

  test('the audit page lists every risk rule', () => {
    const g = graphOf(sample);
    const html = renderAuditHtml(audit(g), g, { bundle: BUNDLE });
    for (const rule of ['cross-boundary-relation', 'shared-entity', 'boundary-deletable', 'cascade-cycle', 'no-site', 'none-structure'])
      expect(html).toContain(`<h3>${rule} `);
  });
});
