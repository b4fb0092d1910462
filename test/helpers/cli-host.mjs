// The in-process CLI for runs in a working directory of their own: a warm Node process (forked once per test file by
// cli-worker.mjs, because a worker thread cannot change directory) that imports the built CLI once and, for each
// run, changes to its directory, takes its environment and calls `cli(argv, io)`, capturing stdout and stderr, also
// what a library writes to process.stdout or process.stderr itself. Its stdin is /dev/null, as a spawned run's
// empty input would be. Runs come one at a time (the test waits for each).
import { appendFileSync } from 'node:fs';
import module from 'node:module';

module.enableCompileCache?.();
const { cli } = await import(process.argv[2]);
const baseEnv = { ...process.env };
const baseCwd = process.cwd();
const realWrite = { stdout: process.stdout.write, stderr: process.stderr.write };
let current;

process.on('message', async ({ args, env, cwd }) => {
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
  const run = (current = { stdout: '', stderr: '' });
  const capture = (key) =>
    function write(chunk, encoding, cb) {
      run[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  let code;
  try {
    process.chdir(cwd);
    // Output captured as a pipe would be: no colour, human formats fitted to 80 columns (src/cli/io.ts terminalColumns).
    code = await cli(args, { stdout: (s) => void (run.stdout += s), stderr: (s) => void (run.stderr += s), color: false, width: 80 });
  } catch (err) {
    // The bin would have crashed with a stack: report it as the crash it is.
    code = null;
    run.stderr += `${err?.stack ?? err}\n`;
  }
  process.stdout.write = realWrite.stdout;
  process.stderr.write = realWrite.stderr;
  process.chdir(baseCwd);
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, baseEnv);
  current = undefined;
  process.send({ code, stdout: run.stdout, stderr: run.stderr });
});

// An error thrown outside the command's promise would have crashed the bin: answer with the crash and end, so that
// the next run gets a fresh process.
const crash = (err) => {
  const run = current ?? { stdout: '', stderr: '' };
  process.send({ code: null, stdout: run.stdout, stderr: `${run.stderr}${err?.stack ?? err}\n` }, () => process.exit(70));
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
// The test file has ended (its process is gone): so does this one. Nobody waits for it, so `time` around a test run
// does not count its CPU: BLASTGUARD_TEST_HOST_CPU names a file to add it to (seconds, one line per host).
process.on('disconnect', () => {
  if (baseEnv.BLASTGUARD_TEST_HOST_CPU) {
    const { user, system } = process.cpuUsage();
    appendFileSync(baseEnv.BLASTGUARD_TEST_HOST_CPU, `${(user + system) / 1e6}\n`);
  }
  process.exit(0);
});
process.send('ready');
