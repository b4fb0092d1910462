// Regenerates docs/terminal/: the incident replay and the help as a terminal of 80 and of 160 columns shows them, run
// in a real pseudo-terminal (scripts/pty-run.py), kept as text (.txt, colour codes removed) and as a picture of the
// window's last rows (.png, drawn in Debian's chromium with playwright-core). Needs `npm run build` and python3.
// Usage: npm run docs:terminal
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('../', import.meta.url).pathname;
const outDir = join(root, 'docs/terminal');
/** name, columns, rows, arguments of bin/blastguard */
export const CAPTURES = [
  ['incident-replay-80', 80, 50, ['check', 'samples/manifests/incident-replay.yaml', '--graph', 'samples/tenant.json']],
  ['incident-replay-160', 160, 50, ['check', 'samples/manifests/incident-replay.yaml', '--graph', 'samples/tenant.json']],
  ['audit-80', 80, 50, ['audit', '--graph', 'samples/tenant.json']],
  ['help-160', 160, 50, ['--help']],
  ['why-help-80', 80, 50, ['why', '--help']],
];

/** What the terminal received (colour codes kept), LF line ends. */
export function capture(cols, rows, args) {
  const env = { ...process.env, FORCE_COLOR: '1' };
  delete env.NO_COLOR;
  delete env.COLUMNS;
  let out;
  try {
    out = execFileSync('python3', [join(root, 'scripts/pty-run.py'), String(cols), String(rows), join(root, 'bin/blastguard'), ...args], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
  } catch (err) {
    if (err.status !== 1) throw err; // the incident replay fails, as it must
    out = err.stdout;
  }
  return out.replace(/\r\n/g, '\n');
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLOURS = { 31: '#e06c75', 32: '#98c379', 33: '#e5c07b' };

/** Text with SGR colour codes as HTML spans. */
function ansiHtml(text) {
  const state = { bold: false, dim: false, fg: undefined };
  let html = '';
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    const m = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!m) {
      if (!part) continue;
      const style = [state.bold ? 'font-weight:bold' : '', state.dim ? 'opacity:.6' : '', state.fg ? `color:${state.fg}` : ''].filter(Boolean).join(';');
      html += style ? `<span style="${style}">${esc(part)}</span>` : esc(part);
      continue;
    }
    for (const code of (m[1] || '0').split(';').map(Number)) {
      if (code === 0) Object.assign(state, { bold: false, dim: false, fg: undefined });
      else if (code === 1) state.bold = true;
      else if (code === 2) state.dim = true;
      else if (code === 22) Object.assign(state, { bold: false, dim: false });
      else if (code === 39) state.fg = undefined;
      else if (COLOURS[code]) state.fg = COLOURS[code];
    }
  }
  return html;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  for (const [name, cols, rows, args] of CAPTURES) {
    const screen = capture(cols, rows, args);
    writeFileSync(join(outDir, `${name}.txt`), `$ blastguard ${args.join(' ')}   # in a ${cols}×${rows} terminal\n${screen.replace(/\x1b\[[0-9;]*m/g, '')}`);
    // The window after the command: its last rows, the prompt line included.
    const lines = `$ blastguard ${args.join(' ')}\n${screen}$ `.split('\n');
    const visible = lines.slice(Math.max(0, lines.length - rows)).join('\n');
    const page = await browser.newPage({ viewport: { width: 100, height: 100 }, deviceScaleFactor: 1 });
    await page.setContent(
      `<body style="margin:0;background:#1e1e1e"><pre id="t" style="margin:0;padding:8px;display:inline-block;font:14px/1.25 'DejaVu Sans Mono',monospace;color:#d4d4d4;width:${cols}ch;height:${rows * 1.25 * 14}px;overflow:hidden">${ansiHtml(visible)}</pre></body>`,
    );
    await page.locator('#t').screenshot({ path: join(outDir, `${name}.png`) });
    await page.close();
    console.log(`wrote docs/terminal/${name}.txt and .png`);
  }
  await browser.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
