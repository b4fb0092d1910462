// The command line: parses arguments (yargs), runs one command, maps errors to exit codes. Thin by design.
import chalk from 'chalk';
import yargs from 'yargs';
import { InputError, UsageError, formatProblem } from '../model/errors.js';
import { CAP_ENV, DEFAULT_MAX_INPUT_MIB, setMaxInputMiB } from '../app/index.js';
import { EXIT, terminalColumns, warnThrough, type Io } from './io.js';
import { visible } from '../report/text.js';
import { toolVersion } from './version.js';
import { auditCommand } from './commands/audit.js';
import { checkCommand } from './commands/check.js';
import { generateCommand } from './commands/generate.js';
import { ingestCommand } from './commands/ingest.js';
import { keygenCommand } from './commands/keygen.js';
import { diffCommand } from './commands/diff.js';
import { planCommand } from './commands/plan.js';
import { reportCommand } from './commands/report.js';
import { verifyCommand } from './commands/verify.js';
import { whyCommand } from './commands/why.js';
import { ex } from './commands/shared.js';

const MAX_LISTED = 20;
/** The commands whose IDs may follow `--`. */
const TAKES_DASHED = ['plan', 'why', 'report'];

export function defaultIo(): Io {
  const io: Io = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    color: chalk.level > 0,
    stdoutStream: process.stdout,
    width: terminalColumns(),
  };
  // A reader that stops early (`| head`) closes the pipe: that is not an error, just stop writing — with the exit
  // code the command has decided (a failing plan stays a failure).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(io.exitCode ?? process.exitCode ?? 0);
    });
  }
  return io;
}

/** Resolves once everything written to `stream` has been handed to the system (or the stream is gone). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (stream.destroyed || stream.writableLength === 0 ? resolve() : setTimeout(check, 5));
    check();
  });
}

/**
 * Ends the process with `code` once stdout and stderr are flushed. Called by bin/blastguard when a command has
 * finished: every error path closes its drivers and sockets, but a socket or timer a library still holds open
 * must not keep a finished command (and the CI job waiting on it) alive.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** --width N (or --width=N) when given as a number, else the terminal's columns. */
function helpWidth(argv: string[]): number {
  const i = argv.findIndex((a) => a === '--width' || a.startsWith('--width='));
  const given = i < 0 ? NaN : Number(argv[i].includes('=') ? argv[i].slice(8) : argv[i + 1]);
  return Number.isSafeInteger(given) && given >= 20 ? given : terminalColumns();
}

/** Runs the CLI and resolves to the exit code. */
export async function cli(argv: string[], io: Io = defaultIo()): Promise<number> {
  let exitCode: number = EXIT.pass;
  const setExit = (code: number) => {
    exitCode = code;
    io.exitCode = code;
  };
  const debug = argv.includes('--debug');
  const parser = yargs(argv)
    .scriptName('blastguard')
    .usage('$0 <command> [options]\n\nTells you what a deletion will take down before it runs.')
    .command(planCommand(io, setExit))
    .command(checkCommand(io, setExit))
    .command(whyCommand(io, setExit))
    .command(verifyCommand(io, setExit))
    .command(generateCommand(io, setExit))
    .command(ingestCommand(io, setExit))
    .command(auditCommand(io, setExit))
    .command(diffCommand(io, setExit))
    .command(reportCommand(io, setExit))
    .command(keygenCommand(io, setExit))
    // Arguments after `--` are never options: an ID that begins with "-" is planned with `plan --graph g.json -- -id`.
    .parserConfiguration({ 'populate--': true })
    .middleware((argv) => {
      if (argv.maxInputMib !== undefined) setMaxInputMiB(argv.maxInputMib as number);
      if (argv.width !== undefined) {
        const w = argv.width as number;
        if (!Number.isSafeInteger(w) || w < 20) throw new UsageError(`--width must be a whole number of columns, at least 20 (got ${String(w)})`);
        io.width = w;
      }
      const rest = (argv['--'] as unknown[] | undefined) ?? [];
      if (rest.length && !TAKES_DASHED.includes(String(argv._[0])))
        throw new UsageError(
          `Unexpected arguments after "--": ${rest.map((r) => JSON.stringify(String(r))).join(' ')} (only plan, why and report take IDs there).`,
        );
    })
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces for errors' })
    .option('max-input-mib', {
      type: 'number',
      requiresArg: true,
      describe: `Largest manifest, mapping, plan, baseline or ID list to read, in MiB after decompression (default ${DEFAULT_MAX_INPUT_MIB}, or ${CAP_ENV}; graphs have no cap)`,
    })
    .option('color', { type: 'boolean', describe: 'Force colour on or off (--no-color)' })
    .option('width', {
      type: 'number',
      requiresArg: true,
      describe: "Columns to fit human output to (default: the terminal's width, or 80 when stdout is not a terminal)",
    })
    .example(ex('$0 check samples/manifests/incident-replay.yaml -g samples/tenant.json', 'the pre-merge gate: replays the 2022 incident (FAIL, exit 1)'))
    .example(ex('$0 plan site:globex --graph samples/tenant.json', 'what would deleting this site take down?'))
    .example(ex('$0 why user:raj.patel@acme.com -r site:acme-prod -g samples/tenant.json', 'the chain that deletes one entity'))
    .example(ex('$0 audit --graph samples/tenant.json', "every site's blast radius and the structural risks"))
    .example(ex('$0 <command> --help', 'the options and examples of one command'))
    .demandCommand(1, 'Name a command: plan, check, why, verify, ingest, audit, diff, report, generate or keygen (see --help).')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(toolVersion()) // this package's version: yargs would guess from the nearest package.json, which in an installed project is the user's
    // Help at the terminal's width (80 when not a terminal), or --width: example commands stay on one line to copy.
    .wrap(helpWidth(argv))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  setMaxInputMiB(undefined);
  warnThrough(io);
  if (argv.includes('--no-color')) io.color = false;
  else if (argv.includes('--color')) io.color = true;
  try {
    // Help and version text come back through the callback, so they go where the rest of the output goes (io), not
    // to the console: the CLI run in-process (tests, a host program) sees them too.
    await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      if (output) io.stdout(`${output}\n`);
    });
    return exitCode;
  } catch (err) {
    if (err instanceof InputError) {
      // A problem quotes the input: shown through visible(), so a newline or a bidi control in it cannot fake a line.
      for (const p of err.problems.slice(0, MAX_LISTED)) io.stderr(`blastguard: ${visible(formatProblem(p))}\n`);
      if (err.total > MAX_LISTED) io.stderr(`blastguard: … and ${err.total - MAX_LISTED} more\n`);
      else if (err.total > err.problems.length) io.stderr(`blastguard: … and ${err.total - err.problems.length} more\n`);
      if (debug) io.stderr(`${err.stack}\n`);
      return EXIT.input;
    }
    if (err instanceof UsageError || (err as Error)?.name === 'YError') {
      io.stderr(`blastguard: ${visible((err as Error).message)}\nRun "blastguard --help" for usage.\n`);
      if (debug) io.stderr(`${(err as Error).stack}\n`);
      return EXIT.input;
    }
    if (err instanceof RangeError && /Invalid string length/.test(err.message)) {
      // V8 cannot hold a string over ~512 MB: a listing of every entity with every one of its sites can pass that
      // when entities are shared by thousands of sites. Not a bug to report; a format choice to change.
      io.stderr(
        "blastguard: the output is too large to build as one text (over V8's 512 MB string limit); --format human cuts long lists, or plan fewer targets\n",
      );
      if (debug) io.stderr(`${err.stack}\n`);
      return EXIT.input;
    }
    io.stderr(`blastguard: internal error: ${visible((err as Error)?.message ?? String(err))}\n`);
    io.stderr(debug ? `${(err as Error)?.stack}\n` : 'This is a bug in blastguard; run again with --debug for the stack trace and report it.\n');
    return EXIT.internal;
  }
}
