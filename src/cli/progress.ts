// A one-line progress display on stderr for long loads: only on a terminal, never in CI or with --quiet, and only
// once a load has taken more than a second (records, bytes, rate). Drawn with `\r`; erased when done.
// BLASTGUARD_PROGRESS_DELAY_MS changes the one-second delay (the tests use it to see the bar on a pseudo-terminal).
import type { Progress } from '../app/index.js';

export interface ProgressOptions {
  quiet?: boolean;
  /** Defaults to process.stderr. */
  stream?: NodeJS.WriteStream;
  delayMs?: number;
}

export function progressWanted(stream: NodeJS.WriteStream, quiet?: boolean): boolean {
  const ci = process.env.CI;
  return !quiet && stream.isTTY === true && !(ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0');
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function progressLine(p: Progress, seconds: number, width: number): string {
  const rate = seconds > 0 ? Math.round(p.records / seconds) : 0;
  const unit = p.unit ?? 'records';
  const frac = p.totalRecords ? Math.min(1, p.records / p.totalRecords) : p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 0;
  const amount = p.totalRecords
    ? `${count(p.records)} of ${count(p.totalRecords)} ${unit}`
    : `${count(p.records)} ${unit}  ${size(p.bytes)}${p.totalBytes ? ` of ${size(p.totalBytes)}` : ''}`;
  const text = ` ${Math.floor(frac * 100)}%  ${amount}  ${count(rate)} ${unit}/s`;
  const barWidth = Math.max(10, Math.min(30, width - text.length - 3));
  const full = Math.round(frac * barWidth);
  return `[${'#'.repeat(full)}${'-'.repeat(barWidth - full)}]${text}`.slice(0, Math.max(20, width - 1));
}

function envDelay(): number {
  const v = Number(process.env.BLASTGUARD_PROGRESS_DELAY_MS ?? '');
  return process.env.BLASTGUARD_PROGRESS_DELAY_MS && Number.isFinite(v) && v >= 0 ? v : 1000;
}

/** Starts drawing; returns the function that stops and erases it. */
export function showProgress(p: Progress, opts: ProgressOptions = {}): () => void {
  const stream = opts.stream ?? process.stderr;
  if (!progressWanted(stream, opts.quiet)) return () => {};
  const started = Date.now();
  let drawn = false;
  const draw = () => {
    const seconds = (Date.now() - started) / 1000;
    stream.write(`\r${progressLine(p, seconds, stream.columns || 80)}\u001b[K`);
    drawn = true;
  };
  let timer: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    draw();
    timer = setInterval(draw, 200);
    timer.unref();
  }, opts.delayMs ?? envDelay());
  delay.unref();
  return () => {
    clearTimeout(delay);
    if (timer) clearInterval(timer);
    if (drawn) stream.write('\r\u001b[K');
  };
}
