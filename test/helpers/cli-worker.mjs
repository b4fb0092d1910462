// The in-process CLI: a worker thread that imports the built CLI once and runs `cli(argv, io)` for each request,
// capturing stdout and stderr. test/helpers/cli.ts waits for it synchronously (Atomics.wait), so `run()` keeps its
// synchronous signature while a run costs milliseconds instead of a Node start-up. Only runs that need nothing
// process-wide come here (no stdin, no colour); the rest are spawned. A run in a working directory of its own is
// passed on to a warm child process (cli-host.mjs), since a thread cannot change directory.
import { fork } from 'node:child_process';
import { parentPort, workerData } from 'node:worker_threads';

const { port, flag, cliUrl } = workerData;
const { cli } = await import(cliUrl);
const baseEnv = { ...process.env };

/** Answers the waiting test. */
const reply = (message) => {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};

let host;
/** Sends one run to the host process (started on first use, and again after one ended) and replies with its answer. */
function viaHost(request) {
  if (!host) {
    // Plain node, as bin/blastguard runs (not the test runner's flags); its own stdio goes nowhere (runs are captured).
    const child = fork(new URL('./cli-host.mjs', import.meta.url), [cliUrl], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    // Neither keeps the test process alive (the host ends with it: it exits when its channel closes).
    child.unref();
    child.channel?.unref();
    const self = { child, waiting: undefined };
    child.on('message', (m) => {
      if (m === 'ready') return;
      const w = self.waiting;
      self.waiting = undefined;
      w?.(m);
    });
    child.on('exit', (code, signal) => {
      if (host === self) host = undefined;
      const w = self.waiting;
      self.waiting = undefined;
      w?.({ code: null, stdout: '', stderr: `the in-process CLI host ended (${signal ?? `exit ${code}`}) before it answered\n` });
    });
    host = self;
  }
  host.waiting = reply;
  host.child.send(request);
}

port.on('message', async ({ args, env, cwd }) => {
  if (cwd !== undefined) return viaHost({ args, env, cwd });
  // The child's environment, as spawn would give it: the base one with the test's additions and removals.
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  let code;
  try {
    // Output captured as a pipe would be: no colour, human formats fitted to 80 columns (src/cli/io.ts terminalColumns).
    code = await cli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), color: false, width: 80 });
  } catch (err) {
    // The bin would have crashed with a stack: report it as the crash it is.
    code = null;
    stderr += `${err?.stack ?? err}\n`;
  }
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, baseEnv);
  reply({ code, stdout, stderr });
});
// An error thrown outside the command's promise would have crashed the bin: answer with the crash, so the waiting
// test fails at once instead of at the timeout (the helper then replaces this worker).
const crash = (err) => reply({ code: null, stdout: '', stderr: `${err?.stack ?? err}\n` });
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
parentPort.postMessage('ready');
