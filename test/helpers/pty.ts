// Runs a command in a real pseudo-terminal of a given size (python3's os.openpty and TIOCSWINSZ; no tmux needed):
// the child sees a TTY on stdin, stdout and stderr with that many columns, as it would in a terminal window.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The runner (scripts/pty-run.py), shared with scripts/terminal-capture.mjs. */
export const PTY_RUNNER = fileURLToPath(new URL('../../scripts/pty-run.py', import.meta.url));
export interface PtyRun {
  code: number | null;
  /** What the terminal received, its CR LF line ends turned back into LF. */
  screen: string;
}

export function hasPython(): boolean {
  return spawnSync('python3', ['-c', 'import pty, termios'], { encoding: 'utf8' }).status === 0;
}

/** `argv` in a `cols`×`rows` terminal; `env` is added to this process's environment (colour off unless it says). */
export function runInPty(argv: string[], cols: number, rows = 50, env: Record<string, string> = {}, cwd?: string): PtyRun {
  const full: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete full.FORCE_COLOR; // this process's own setting must not leak in; the caller's (below) does
  delete full.COLUMNS; // the width must come from the terminal, not the environment
  Object.assign(full, env);
  // Asked for colour: a terminal under CI=true (as in .ci/run) would otherwise get none from chalk.
  if (env.FORCE_COLOR) delete full.NO_COLOR;
  const r = spawnSync('python3', [PTY_RUNNER, String(cols), String(rows), ...argv], { encoding: 'utf8', env: full, cwd, timeout: 120_000, maxBuffer: 1 << 26 });
  return { code: r.status, screen: r.stdout.replace(/\r\n/g, '\n') };
}
