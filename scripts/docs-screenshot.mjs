// Regenerates docs/report-incident-replay.png: the HTML report of the incident replay, one entity's chain open.
// Needs `npm run build` and Debian's chromium (/usr/bin/chromium). Usage: npm run docs:screenshot
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('../', import.meta.url).pathname;
const html = join(mkdtempSync(join(tmpdir(), 'blastguard-docs-')), 'incident.html');
try {
  execFileSync(
    process.execPath,
    [join(root, 'bin/blastguard'), 'report', 'samples/manifests/incident-replay.yaml', '--graph', 'samples/tenant.json', '--out', html],
    { cwd: root, stdio: 'pipe' },
  );
} catch (err) {
  if (err.status !== 1) throw err; // 1: the plan fails, as the incident replay must
}
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
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
await page.goto(`file://${html}`);
await page.waitForSelector('#bg-graph[data-ready="true"]');
const id = 'attachment:globex/HW-310/thermal-log.csv';
const p = await page.evaluate((k) => window.__blastguard.nodeScreenPosition(k), id);
await page.mouse.click(p.x, p.y);
await page.waitForSelector('#bg-chain');
await page.waitForTimeout(300);
const out = join(root, 'docs/report-incident-replay.png');
await page.screenshot({ path: out });
await browser.close();
console.log(`wrote ${out}`);
