/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The HTML report in a real browser: Debian's chromium, driven by playwright-core (no browser download). Runs when
// /usr/bin/chromium exists; otherwise skips with one line, unless BLASTGUARD_REQUIRE_BROWSER=1 (CI), which fails.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chainFromResult, type PlanResult } from '../../src/engine/result.js';
import type { ClientGraph } from '../../src/report/html-data.js';
import { run } from '../helpers/cli.js';
import { hostileSnapshot, XSS } from '../helpers/hostile.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const root = new URL('../../', import.meta.url).pathname;
const artifacts = join(root, 'test/artifacts');
const tenant = join(root, 'samples/tenant.json');
const incident = join(root, 'samples/manifests/incident-replay.yaml');
const have = existsSync(CHROMIUM);
const required = process.env.BLASTGUARD_REQUIRE_BROWSER === '1';

/** The CLI through the shared runner: in-process (no Node start-up per call; the reports are the same files). */
function cli(...args: string[]) {
  const r = run(args);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

interface Hook {
  nodes(): string[];
  groups(): string[];
  edgeLabels(): string[];
  nodeScreenPosition(k: string): { x: number; y: number };
}
const hook = (page: Page) => ({
  nodes: () => page.evaluate(() => (window as unknown as { __blastguard: Hook }).__blastguard.nodes()),
  groups: () => page.evaluate(() => (window as unknown as { __blastguard: Hook }).__blastguard.groups()),
  edgeLabels: () => page.evaluate(() => (window as unknown as { __blastguard: Hook }).__blastguard.edgeLabels()),
});

/** The legend and the graph in the first screen: the whole legend, and at least `graph` pixels of the graph's height. */
async function firstScreen(page: Page): Promise<{ legendInView: boolean; graphVisible: number; legendText: string }> {
  return page.evaluate(() => {
    const lg = document.getElementById('bg-legend')!.getBoundingClientRect();
    const gr = document.getElementById('bg-graph')!.getBoundingClientRect();
    return {
      legendInView: lg.top >= 0 && lg.bottom <= window.innerHeight && lg.height > 0,
      graphVisible: Math.min(gr.bottom, window.innerHeight) - Math.max(gr.top, 0),
      legendText: document.getElementById('bg-legend')!.textContent ?? '',
    };
  });
}

interface Loaded {
  page: Page;
  errors: string[];
  dialogs: string[];
}

/** Opens a report over file:// and waits until the graph has drawn; collects console errors and dialogs. */
async function open(browser: Browser, file: string, viewport = { width: 1400, height: 1000 }): Promise<Loaded> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector('#bg-graph[data-ready="true"]', { timeout: 20000 });
  return { page, errors, dialogs };
}

/** Distinct colours and non-white pixels in a screenshot of the graph (decoded in the page itself). */
async function pixels(page: Page): Promise<{ colors: number; inked: number; total: number }> {
  const png = await page.locator('#bg-graph').screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const colors = new Set<number>();
    let inked = 0;
    for (let i = 0; i < d.length; i += 4) {
      colors.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) inked++;
    }
    return { colors: colors.size, inked, total: d.length / 4 };
  }, png.toString('base64'));
}

/**
 * Clicks an empty spot of the graph: the grid point farthest from every node, after sigma's double-click timeout
 * (a click soon after another is a double click, which zooms and emits no clickStage).
 */
async function clickBackground(page: Page): Promise<void> {
  await page.waitForTimeout(400);
  const box = (await page.locator('#bg-graph').boundingBox())!;
  const spots = await page.evaluate((b) => {
    const bg = (window as unknown as { __blastguard: { nodes(): string[]; nodeScreenPosition(k: string): { x: number; y: number } } }).__blastguard;
    const at = bg.nodes().map((k) => bg.nodeScreenPosition(k));
    let best = { x: b.x + 10, y: b.y + 10, d: -1 };
    // Only spots on screen: the graph may reach below the window.
    const bottom = Math.min(b.y + b.height, window.innerHeight);
    for (let x = b.x + 10; x < b.x + b.width - 10; x += 20)
      for (let y = b.y + 10; y < bottom - 10; y += 20) {
        const d = Math.min(...at.map((p) => Math.hypot(p.x - x, p.y - y)));
        if (d > best.d) best = { x, y, d };
      }
    return best;
  }, box);
  expect(spots.d).toBeGreaterThan(30);
  await page.mouse.click(spots.x, spots.y);
}

async function clickNode(page: Page, key: string): Promise<void> {
  // Two clicks within sigma's double-click timeout would zoom instead.
  await page.waitForTimeout(400);
  const p = await page.evaluate(
    (k) => (window as unknown as { __blastguard: { nodeScreenPosition(k: string): { x: number; y: number } } }).__blastguard.nodeScreenPosition(k),
    key,
  );
  await page.mouse.click(p.x, p.y);
}

if (!have) {
  if (required) {
    test('chromium is installed (BLASTGUARD_REQUIRE_BROWSER=1)', () => {
      throw new Error(`${CHROMIUM} not found: install it (apt-get install chromium) to run the browser tests`);
    });
  } else {
    process.stderr.write(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium to run them)\n`);
    // Skipped on purpose: no browser on this machine (the line above says so); CI sets BLASTGUARD_REQUIRE_BROWSER=1.
    test.skip(`browser tests: ${CHROMIUM} not found`, () => {});
  }
} else {
  describe('the HTML report in Chromium', () => {
    let browser: Browser;
    let dir: string;
    let incidentHtml: string;
    let incidentPlan: PlanResult;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'blastguard-browser-'));
      mkdirSync(artifacts, { recursive: true });
      incidentHtml = join(dir, 'incident.html');
      expect(cli('report', incident, '--graph', tenant, '--out', incidentHtml).status).toBe(1);
      incidentPlan = JSON.parse(cli('check', incident, '--graph', tenant, '--format', 'json').stdout) as PlanResult;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    }, 60000);
    afterAll(async () => {
      await browser?.close();
    });

    test('the incident replay loads offline with no console errors, and the canvas is drawn', async () => {
      const { page, errors } = await open(browser, incidentHtml);
      expect(errors).toEqual([]);
      const px = await pixels(page);
      expect(px.colors).toBeGreaterThan(20);
      expect(px.inked / px.total).toBeGreaterThan(0.01);
      const nodes = await page.evaluate(() => (window as unknown as { __blastguard: { nodes(): string[] } }).__blastguard.nodes().length);
      expect(nodes).toBe(incidentPlan.deleted.length + incidentPlan.detached.length + incidentPlan.spared.length + 1); // + the retention policy that blocks
      await page.screenshot({ path: join(artifacts, 'report-incident-replay.png') });
      await page.close();
    }, 60000);

    test('clicking a node shows its chain back to the target', async () => {
      const { page, errors } = await open(browser, incidentHtml);
      const id = 'attachment:globex/HW-310/thermal-log.csv';
      const expected = chainFromResult(incidentPlan, id).map((l) => l.id);
      await clickNode(page, id);
      // The panel fills after sigma's click event: wait for the whole chain, not just the list element.
      await page.waitForFunction((n) => document.querySelectorAll('#bg-chain li code').length === n, expected.length);
      const shown = await page.locator('#bg-chain li code').allTextContents();
      expect(shown).toEqual(expected);
      expect(await page.locator('#bg-panel h3').textContent()).toBe(id);
      await page.screenshot({ path: join(artifacts, 'report-incident-replay-chain.png') });
      // Clicking the background clears the panel.
      await clickBackground(page);
      await page.waitForSelector('#bg-chain', { state: 'detached' });
      expect(errors).toEqual([]);
      await page.close();
    }, 60000);

    test('search finds an entity and opens it; zoom buttons move the camera', async () => {
      const { page, errors } = await open(browser, incidentHtml);
      await page.fill('#bg-search', 'billing-admin');
      await expect(page.locator('#bg-search-count').textContent()).resolves.toBe('1 match');
      await page.waitForFunction(() => document.querySelector('#bg-panel h3')?.textContent === 'user:billing-admin@initech.com');
      await page.fill('#bg-search', '');
      const ratio = () => page.evaluate(() => (window as unknown as { __blastguard: { cameraRatio(): number } }).__blastguard.cameraRatio());
      await page.click('#bg-zoom-reset');
      await page.waitForTimeout(400);
      const before = await ratio();
      await page.click('#bg-zoom-in');
      await page.waitForTimeout(400);
      expect(await ratio()).toBeLessThan(before);
      expect(errors).toEqual([]);
      await page.close();
    }, 60000);

    test('a name like <img src=x onerror=alert(1)> stays text everywhere', async () => {
      const snap = join(dir, 'hostile.json');
      writeFileSync(snap, JSON.stringify(hostileSnapshot()));
      const html = join(dir, 'hostile.html');
      cli('report', 'site:s1', '--graph', snap, '--title', XSS, '--out', html);
      expect(readFileSync(html, 'utf8')).not.toContain('<img');
      const { page, errors, dialogs } = await open(browser, html);
      expect(await page.title()).toBe(XSS);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => document.body.textContent ?? '')).toContain(XSS);
      await clickNode(page, 'site:s1');
      await page.waitForFunction(() => document.querySelector('#bg-panel h3')?.textContent === 'site:s1');
      expect(await page.locator('#bg-panel p').first().textContent()).toBe(XSS);
      await clickNode(page, 'doc:<b>bold</b>');
      await page.waitForFunction(() => document.querySelector('#bg-panel h3')?.textContent === 'doc:<b>bold</b>');
      expect(await page.locator('#bg-panel b').count()).toBe(0);
      await page.waitForTimeout(300);
      expect(dialogs).toEqual([]);
      expect(await page.locator('img').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    }, 60000);

    test('grouped: a type named <img src=x onerror=alert(1)> stays text in the labels, the legend and the panel', async () => {
      const snap = hostileSnapshot();
      // 200 entities of a hostile type under __proto__: the page opens grouped, one group of that type.
      for (let i = 0; i < 200; i++) {
        snap.entities.push({ id: `x:${i}`, type: XSS, name: XSS });
        snap.relations.push({ from: `x:${i}`, type: 'IN', to: '__proto__' });
      }
      const file = join(dir, 'hostile-grouped.json');
      writeFileSync(file, JSON.stringify(snap));
      const html = join(dir, 'hostile-grouped.html');
      cli('report', 'site:s1', '--graph', file, '--title', XSS, '--out', html);
      expect(readFileSync(html, 'utf8')).not.toContain('<img');
      const { page, errors, dialogs } = await open(browser, html);
      const bg = hook(page);
      const groups = await bg.groups();
      const key = groups.find((k) => k.includes(`\u0000${XSS}\u0000`))!;
      expect(key).toBeDefined();
      expect(await page.locator('#bg-legend').textContent()).toContain(`${XSS}: 200`);
      await clickNode(page, key);
      await page.waitForSelector('#bg-collapse');
      expect(await page.locator('#bg-panel h3').textContent()).toBe(`${XSS} × 200`);
      expect((await bg.nodes()).filter((k) => k.startsWith('x:')).length).toBe(200);
      await page.waitForTimeout(300);
      expect(await page.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }, 60000);

    test('Mermaid output is rendered by Mermaid itself: every node drawn, hostile names stay text', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><html><body></body></html>');
      await page.addScriptTag({ path: join(root, 'node_modules/mermaid/dist/mermaid.min.js') });
      const hostile = join(dir, 'hostile-mermaid.json');
      writeFileSync(hostile, JSON.stringify(hostileSnapshot()));
      const cases: [string, string[]][] = [
        ['incident replay (check)', ['check', incident, '--graph', tenant, '-f', 'mermaid']],
        ['a site (plan)', ['plan', 'site:acme-eu', '--graph', tenant, '-f', 'mermaid', '--allow-boundary-deletion']],
        ['the audit', ['audit', '--graph', tenant, '-f', 'mermaid']],
        ['hostile names', ['plan', 'site:s1', 'link:both', '--graph', hostile, '-f', 'mermaid']],
      ];
      for (const [what, args] of cases) {
        const text = cli(...args).stdout;
        const declared = new Set([...text.matchAll(/^\s+(n\d+)[[{(]/gm)].map((m) => m[1]));
        expect({ what, nodes: declared.size > 0 }).toEqual({ what, nodes: true });
        const drawn = await page.evaluate(async (src) => {
          const m = (window as unknown as { mermaid: { initialize(o: object): void; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
          m.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 10_000_000, maxEdges: 100_000 });
          try {
            const { svg } = await m.render(`g${Math.random().toString(36).slice(2)}`, src);
            // Labels are HTML in foreignObject (with <br>, not XHTML): parse it as HTML.
            const doc = new DOMParser().parseFromString(svg, 'text/html');
            const ids = [...doc.querySelectorAll('g.node')].map((g) => /flowchart-(n\d+)-/.exec(g.id)?.[1]).filter(Boolean);
            return { ok: true, ids, images: doc.querySelectorAll('img, script, foreignObject img').length, text: doc.body.textContent ?? '' };
          } catch (e) {
            return { ok: false, error: String((e as Error).message ?? e) };
          }
        }, text);
        expect({ what, ok: drawn.ok, error: drawn.error }).toEqual({ what, ok: true, error: undefined });
        expect({ what, drawn: new Set(drawn.ids) }).toEqual({ what, drawn: declared });
        expect({ what, images: drawn.images }).toEqual({ what, images: 0 });
        if (what === 'hostile names') expect(drawn.text).toContain('<img src=x onerror=alert(1)>');
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 90000);

    test('the legend is on screen together with the graph at 1366×768 and 1920×1080', async () => {
      for (const [width, height] of [
        [1366, 768],
        [1920, 1080],
      ]) {
        const { page, errors } = await open(browser, incidentHtml, { width, height });
        const seen = await firstScreen(page);
        expect({ width, legend: seen.legendInView }).toEqual({ width, legend: true });
        expect(seen.graphVisible).toBeGreaterThan(300);
        // Every type and every status drawn is explained.
        for (const type of new Set(incidentPlan.deleted.map((d) => d.type))) expect(seen.legendText).toContain(`${type}: `);
        for (const status of ['root: target of the deletion', 'deleted: deleted by the cascade', 'spared: ', 'blocked: '])
          expect(seen.legendText).toContain(status);
        await page.screenshot({ path: join(artifacts, `report-incident-${width}x${height}.png`) });
        expect(errors).toEqual([]);
        await page.close();
      }
    }, 60000);

    test('violations are grouped by rule with their counts, and each chain folds', async () => {
      const { page, errors } = await open(browser, incidentHtml);
      const counts = new Map<string, number>();
      for (const v of incidentPlan.violations) counts.set(v.rule, (counts.get(v.rule) ?? 0) + 1);
      const rules = await page
        .locator('#violations details.rule')
        .evaluateAll((ds) => ds.map((d) => ({ id: d.id, open: (d as HTMLDetailsElement).open, summary: d.querySelector('summary')?.textContent ?? '' })));
      expect(rules.map((r) => r.id)).toEqual([...counts.keys()].map((r) => `rule-${r}`));
      for (const r of rules) {
        const n = counts.get(r.id.slice(5))!;
        expect(r.summary).toContain(`(${n.toLocaleString('en-US')})`);
        expect(r.open).toBe(true);
      }
      expect(await page.locator('#violations .rule-counts li').allTextContents()).toEqual([...counts].map(([r, n]) => `${r}: ${n.toLocaleString('en-US')}`));
      // The first chain of each rule is open, the others folded; a click unfolds one.
      const chains = page.locator('#violations details.chain');
      const unfolded = await chains.evaluateAll((ds) => ds.map((d) => (d as HTMLDetailsElement).open));
      const chained = [...counts.keys()].filter((r) =>
        incidentPlan.violations
          .filter((v) => v.rule === r)
          .slice(0, 50)
          .some((v) => v.chain.length > 1),
      );
      expect(unfolded.filter(Boolean).length).toBe(chained.length);
      const folded = unfolded.indexOf(false);
      expect(folded).toBeGreaterThan(0);
      expect(await chains.nth(folded).locator('ol.chain').isVisible()).toBe(false);
      await chains.nth(folded).locator('summary').click();
      expect(await chains.nth(folded).locator('ol.chain').isVisible()).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    }, 60000);

    test('a generated plan of 9,627 entities opens grouped by type, status and site, and a click shows a group’s entities', async () => {
      // A generated tenant (16 sites, seed b): deleting organization:krusty5 reaches 9,503 deleted and 124 spared.
      const tenantB = join(dir, 'tenant-b.json');
      expect(cli('generate', '--sites', '16', '--seed', 'b', '--out', tenantB).status).toBe(0);
      const html = join(dir, 'krusty5.html');
      const made = cli('report', 'organization:krusty5', '--graph', tenantB, '--allow-boundary-deletion', '--out', html);
      expect(made.status).toBe(1);
      const plan = JSON.parse(cli('plan', 'organization:krusty5', '--graph', tenantB, '--allow-boundary-deletion', '-f', 'json').stdout) as PlanResult;
      const entities = plan.deleted.length + plan.detached.length + plan.spared.length;
      expect(entities).toBeGreaterThanOrEqual(5000);
      const bytes = statSync(html).size;
      expect(bytes).toBeLessThan(6 * 1024 * 1024);
      const started = Date.now();
      const { page, errors } = await open(browser, html, { width: 1366, height: 768 });
      const firstPaint = Date.now() - started;
      expect(firstPaint).toBeLessThan(15000);
      const bg = hook(page);
      const groups = await bg.groups();
      expect((await bg.nodes()).length).toBe(groups.length);
      expect(groups.length).toBeLessThan(80);
      // Arrows per relation type with counts: every arrow between groups says which relations and how many.
      const labels = await bg.edgeLabels();
      expect(labels.length).toBeGreaterThan(0);
      for (const l of labels) expect(l).toMatch(/^[A-Z_]+ × [\d,]+(, [A-Z_]+ × [\d,]+)*( \([\d,]+ cross-site\))?$/);
      const seen = await firstScreen(page);
      expect(seen.legendInView).toBe(true);
      expect(seen.legendText).toContain('node size: how many entities');
      expect(await page.locator('#bg-note').textContent()).toContain(`${entities.toLocaleString('en-US')} entities`);
      await page.screenshot({ path: join(artifacts, 'report-large-plan.png') });

      // The biggest group opens into its entities; "Group them again" closes it.
      const biggest = groups.find((k) => k.includes('\u0000issue\u0000deleted') && k.startsWith('site:krusty5-apac'))!;
      expect(biggest).toBeDefined();
      const data = JSON.parse(/<script type="application\/json" id="bg-data">([\s\S]*?)<\/script>/.exec(readFileSync(html, 'utf8'))![1]) as ClientGraph;
      const issues = data.groups!.find((g) => g.key === biggest)!.count;
      expect(data.nodes.filter((n) => data.groups![n.group!].key === biggest).length).toBe(issues);
      let t = Date.now();
      await clickNode(page, biggest);
      await page.waitForSelector('#bg-collapse');
      const expandMs = Date.now() - t - 400;
      expect((await bg.nodes()).length).toBe(groups.length - 1 + issues);
      expect(await page.locator('#bg-panel dd').allTextContents()).toContain(issues.toLocaleString('en-US'));
      await page.screenshot({ path: join(artifacts, 'report-large-plan-expanded.png') });
      const one = (await bg.nodes()).find((k) => k.startsWith('issue:'))!;
      // Entities of an open group sit close together: select one through the hook rather than by a click.
      await page.evaluate((k) => (window as unknown as { __blastguard: { select(k: string): void } }).__blastguard.select(k), one);
      await page.waitForFunction((id) => document.querySelector('#bg-panel h3')?.textContent === id, one);
      const expected = chainFromResult(plan, one).map((l) => l.id);
      await page.waitForFunction((n) => document.querySelectorAll('#bg-chain li code').length === n, expected.length);
      expect(await page.locator('#bg-chain li code').allTextContents()).toEqual(expected);
      await page.click('#bg-collapse');
      await page.waitForFunction((n) => (window as unknown as { __blastguard: Hook }).__blastguard.nodes().length === n, groups.length);

      // Every entity at once, and back.
      t = Date.now();
      await page.click('#bg-toggle');
      await page.waitForFunction((n) => (window as unknown as { __blastguard: Hook }).__blastguard.nodes().length === n, entities);
      const allMs = Date.now() - t;
      expect(await page.locator('#bg-toggle').textContent()).toBe('Group by type');
      await page.click('#bg-toggle');
      await page.waitForFunction((n) => (window as unknown as { __blastguard: Hook }).__blastguard.nodes().length === n, groups.length);
      expect(errors).toEqual([]);
      writeFileSync(
        join(artifacts, 'report-large-plan.json'),
        JSON.stringify({ entities, bytes, firstPaintMs: firstPaint, groups: groups.length, expandMs, showAllMs: allMs }, null, 2),
      );
      await page.close();
    }, 180000);

    test('the audit page, and a 4,001-entity plan opens grouped', async () => {
      const auditHtml = join(dir, 'audit.html');
      cli('audit', '--graph', tenant, '--out', auditHtml);
      const a = await open(browser, auditHtml);
      expect(a.errors).toEqual([]);
      expect((await pixels(a.page)).colors).toBeGreaterThan(10);
      await a.page.screenshot({ path: join(artifacts, 'audit-tenant.png') });
      await a.page.close();

      const n = 4000;
      const big = {
        schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } },
        entities: [{ id: 'site:big', type: 'site' }, ...Array.from({ length: n }, (_, i) => ({ id: `doc:${i}`, type: i % 3 ? 'doc' : 'page' }))],
        relations: Array.from({ length: n }, (_, i) => ({ from: `doc:${i}`, type: 'IN', to: i < 10 ? 'site:big' : `doc:${i % 10}` })),
      };
      writeFileSync(join(dir, 'big.json'), JSON.stringify(big));
      const bigHtml = join(dir, 'big.html');
      cli('report', 'site:big', '--graph', join(dir, 'big.json'), '--allow-boundary-deletion', '--out', bigHtml);
      const b = await open(browser, bigHtml);
      expect(b.errors).toEqual([]);
      expect(await b.page.locator('#bg-note').isVisible()).toBe(true);
      const keys = await b.page.evaluate(() => (window as unknown as { __blastguard: { nodes(): string[] } }).__blastguard.nodes());
      expect(keys.length).toBeLessThan(20);
      const pageKey = keys.find((k) => k.includes('\u0000page\u0000'))!;
      await clickNode(b.page, pageKey);
      await b.page.waitForSelector('#bg-panel ul li');
      expect(await b.page.locator('#bg-panel dd').allTextContents()).toContain(Math.ceil(n / 3).toLocaleString('en-US'));
      await b.page.close();
    }, 90000);
  });
}
