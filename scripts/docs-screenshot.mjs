// Regenerates the report screenshots in docs/: the incident replay with one entity's chain open
// (report-incident-replay.png) and in the first screen at 1366×768 (report-1366x768.png), and a generated plan of
// 9,627 entities as it opens, grouped (report-large-plan.png), and with its largest group open
// (report-large-plan-expanded.png). Needs `npm run build` and Debian's chromium (/usr/bin/chromium).
// Usage: npm run docs:screenshot
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'blastguard-docs-'));

/** Runs the CLI; exit 1 is a failing plan, which these examples are. */
function cli(...args) {
  try {
    execFileSync(process.execPath, [join(root, 'bin/blastguard'), ...args], { cwd: root, stdio: 'pipe' });
  } catch (err) {
    if (err.status !== 1) throw err;
  }
}

const incident = join(tmp, 'incident.html');
cli('report', 'samples/manifests/incident-replay.yaml', '--graph', 'samples/tenant.json', '--out', incident);
// A generated tenant in which deleting one organization reaches 9,503 deleted and 124 spared entities.
const tenant = join(tmp, 'tenant-b.json');
cli('generate', '--sites', '16', '--seed', 'b', '--out', tenant);
const large = join(tmp, 'large.html');
cli('report', 'organization:krusty5', '--graph', tenant, '--allow-boundary-deletion', '--out', large);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});

async function open(file, width, height) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`file://${file}`);
  await page.waitForSelector('#bg-graph[data-ready="true"]', { timeout: 120000 });
  return page;
}
async function click(page, key) {
  await page.waitForTimeout(400);
  const p = await page.evaluate((k) => window.__blastguard.nodeScreenPosition(k), key);
  await page.mouse.click(p.x, p.y);
}
const out = (name) => join(root, 'docs', name);

let page = await open(incident, 1280, 1000);
await click(page, 'attachment:globex/HW-310/thermal-log.csv');
await page.waitForSelector('#bg-chain');
await page.waitForTimeout(300);
await page.screenshot({ path: out('report-incident-replay.png') });
await page.close();

page = await open(incident, 1366, 768);
await page.screenshot({ path: out('report-1366x768.png') });
await page.close();

page = await open(large, 1366, 768);
await page.waitForTimeout(300);
await page.screenshot({ path: out('report-large-plan.png') });
const groups = await page.evaluate(() => window.__blastguard.groups());
await click(
  page,
  groups.find((k) => k.startsWith('site:krusty5-apac\u0000issue\u0000')),
);
await page.waitForSelector('#bg-collapse');
await page.waitForTimeout(500);
await page.screenshot({ path: out('report-large-plan-expanded.png') });
await browser.close();
console.log('wrote docs/report-incident-replay.png, report-1366x768.png, report-large-plan.png, report-large-plan-expanded.png');
