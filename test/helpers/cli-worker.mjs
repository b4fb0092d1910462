// The in-process CLI: a worker thread that imports the built CLI once and runs `cli(argv, io)` for each request,
// capturing stdout and stderr. test/helpers/cli.ts waits for it synchronously (Atomics.wait), so `run()` keeps its
// synchronous signature while a run costs milliseconds instead of a Node start-up. Only runs that need nothing
// process-wide come here (no cwd, no stdin, no colour); the rest are spawned.
import { parentPort, workerData } from 'node:worker_threads';

const { port, flag, cliUrl } = workerData;
const { cli } = await import(cliUrl);
const baseEnv = { ...process.env };

port.on('message', async ({ args, env }) => {
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
  port.postMessage({ code, stdout, stderr });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
// An error thrown outside the command's promise would have crashed the bin: answer with the crash, so the waiting
// test fails at once instead of at the timeout (the helper then replaces this worker).
const crash = (err) => {
  port.postMessage({ code: null, stdout: '', stderr: `${err?.stack ?? err}\n` });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
parentPort.postMessage('ready');
