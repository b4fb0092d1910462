// Hostile outputs and endings, through the real CLI: --out onto an input (by its path, a symbolic link, a hard link)
// is refused with one line and nothing written; /dev/null is written through and stays a device (these tests run as
// root, where a rename would replace it); a directory, FIFO or socket is refused; a signal mid-write leaves no
// temporary file and the old destination; a Neo4j that accepts and never answers (or answers garbage) ends every
// command in one line; a 20,000-link chain and a 200 MB name are written, streamed, not refused.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { BIN, MANIFESTS, ROOT, SAMPLE, workdir } from '../helpers/cli.js';
import { writeCascadeChain } from '../helpers/graphs.js';
import { measureCommand, measureFile, problemLines, readMeasure, runHostile, strayTempFiles, treeState, type HostileRun } from '../helpers/hostile-run.js';

// ------------------------------------------------------------------------------------------------------------------
// A measured run, asynchronous (several at once) and able to send stdout to a file descriptor or a byte counter.

interface Measured extends HostileRun {
  /** Bytes written to stdout (also when they were counted rather than kept). */
  bytes: number;
}

function runMeasured(
  args: string[],
  opts: { cwd?: string; timeout?: number; onStdout?: (b: Buffer) => void; env?: Record<string, string> } = {},
): Promise<Measured> {
  const measure = measureFile();
  const limit = opts.timeout ?? 30;
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', HOSTILE_NO_STDIN: '1', ...opts.env };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const [exe, pre] = measureCommand();
    const child = spawn(exe, [...pre, measure, String(limit), BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    child.stdout.on('data', (b: Buffer) => {
      bytes += b.length;
      if (opts.onStdout) opts.onStdout(b);
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', () => {
      resolve({
        ...readMeasure(measure),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        bytes,
      });
    });
  });
}

// ------------------------------------------------------------------------------------------------------------------
// Fixtures: the sample tenant, manifests (one permanent, naming a rehearsal), the sample exports and their mapping.

let dir = '';
const at = (name: string) => join(dir, name);

beforeAll(() => {
  dir = workdir({
    'perm.yaml':
      'targets: [app-install:globex/jsm/legacy-asset-mgmt]\nmode: permanent\nrehearsal: r.json\nintent: { rootTypes: [app-install], deleteTypes: [app-install, app-data] }\n',
    'r.json': '{"not": "checked here"}\n',
    'b.json': '{"accepted": []}\n',
    'other.json': 'the file a link points at\n',
  });
  cpSync(SAMPLE, at('t.json'));
  cpSync(SAMPLE, at('t2.json'));
  cpSync(join(MANIFESTS, 'legacy-app-cleanup.yaml'), at('m.yaml'));
  cpSync(join(ROOT, 'samples', 'exports'), at('exports'), { recursive: true });
  symlinkSync('t.json', at('link-to-t.json'));
  linkSync(at('t.json'), at('hard-t.json'));
  symlinkSync('other.json', at('link-to-other.json'));
  symlinkSync('missing.json', at('dangling.json'));
  mkdirSync(at('a-directory'));
  expect(spawnSync('mkfifo', [at('a-fifo')]).status).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Exit 2, one problem line matching `message`, nothing on stdout, no file changed, no temporary file left. */
function expectRefused(args: string[], message: RegExp): void {
  const before = treeState(dir);
  const r = runHostile(args, { cwd: dir, timeout: 30 });
  expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
  const lines = problemLines(r);
  expect({ args, lines: lines.length }).toEqual({ args, lines: 1 });
  expect(lines[0]).toMatch(message);
  expect(treeState(dir)).toBe(before);
  expect(strayTempFiles(dir)).toEqual([]);
}

describe('--out and --write-baseline never replace an input of the same command', () => {
  const over = /would overwrite .*an input of this command; write to another file$/;
  const cases: [string, string[]][] = [
    ['plan: the graph, by its own path', ['plan', 'site:globex', '--graph', 't.json', '--out', 't.json']],
    ['plan: the graph, through a symbolic link', ['plan', 'site:globex', '--graph', 't.json', '--out', 'link-to-t.json']],
    ['plan: the graph, through a hard link', ['plan', 'site:globex', '--graph', 't.json', '--out', 'hard-t.json']],
    ['plan: an export file the mapping names', ['plan', 'site:globex', '--mapping', 'exports/mapping.yaml', '--out', 'exports/sites.csv']],
    ['check: the manifest', ['check', 'm.yaml', '--graph', 't.json', '--out', 'm.yaml']],
    ['check: the rehearsal the manifest names', ['check', 'perm.yaml', '--graph', 't.json', '--out', 'r.json']],
    ['check: the graph through a hard link', ['check', 'm.yaml', '--graph', 'hard-t.json', '--out', 't.json']],
    ['ingest: the graph it converts', ['ingest', '--graph', 't.json', '--out', 'hard-t.json']],
    ['ingest: the mapping', ['ingest', '--mapping', 'exports/mapping.yaml', '--out', 'exports/mapping.yaml']],
    ['ingest: a gzipped export the mapping names', ['ingest', '--mapping', 'exports/mapping.yaml', '--out', 'exports/app-installs.ndjson.gz']],
    ['report: the manifest', ['report', 'm.yaml', '--graph', 't.json', '--out', 'm.yaml']],
    ['report: the graph through a symbolic link', ['report', 'site:globex', '--graph', 't.json', '--out', 'link-to-t.json']],
    ['audit --out: the graph', ['audit', '--graph', 't.json', '--out', 't.json']],
    ['audit --write-baseline: the graph', ['audit', '--graph', 't.json', '--write-baseline', 'hard-t.json']],
    ['audit --write-baseline: the baseline it reads', ['audit', '--graph', 't.json', '--baseline', 'b.json', '--write-baseline', 'b.json']],
    ['diff: the --after snapshot', ['diff', '--before', 't.json', '--after', 't2.json', '--out', 't2.json']],
  ];
  test('each refused with one line, exit 2, nothing written (all at once: the same tree before and after)', async () => {
    const before = treeState(dir);
    const runs = await Promise.all(cases.map(([name, args]) => runMeasured(args, { cwd: dir }).then((r) => ({ name, r }))));
    for (const { name, r } of runs) {
      expect({ name, code: r.code, stdout: r.stdout, problems: problemLines(r).length }).toEqual({ name, code: 2, stdout: '', problems: 1 });
      expect({ name, line: problemLines(r)[0] }).toEqual({ name, line: expect.stringMatching(over) });
    }
    expect(treeState(dir)).toBe(before);
    expect(strayTempFiles(dir)).toEqual([]);
  }, 60_000);

  test('the message names the option, the input and the path it was reached by', () => {
    const r = runHostile(['check', 'm.yaml', '--graph', 't.json', '--out', 'link-to-t.json'], { cwd: dir });
    expect(problemLines(r)).toEqual([
      'blastguard: link-to-t.json: --out would overwrite the --graph file (t.json), an input of this command; write to another file',
    ]);
  });

  test('audit: --out and --write-baseline naming one file is refused too', () => {
    expectRefused(['audit', '--graph', 't.json', '--out', 'x.txt', '--write-baseline', 'x.txt'], /--out and --write-baseline name the same file/);
  });
});

describe('--out onto what is not a regular file', () => {
  test('a directory, a FIFO and a socket are refused (a FIFO is never opened: that would block)', async () => {
    expectRefused(['plan', 'site:globex', '--graph', 't.json', '--out', 'a-directory'], /--out: is a directory, not a file; refusing to write into it$/);
    expectRefused(
      ['ingest', '--graph', 't.json', '--out', 'a-fifo'],
      /--out: is a named pipe \(FIFO\), not a file; refusing to write into it \(use --out - for standard output\)$/,
    );
    const sock = join(workdir(), 's.sock');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const r = runHostile(['audit', '--graph', 't.json', '--out', sock], { cwd: dir });
      expect(r.code).toBe(2);
      expect(problemLines(r)).toEqual([`blastguard: ${sock}: --out: is a socket, not a file; refusing to write into it (use --out - for standard output)`]);
    } finally {
      server.close();
    }
  });

  test('a link to a missing file and a missing directory are refused before anything is read', () => {
    expectRefused(['plan', 'site:globex', '--graph', 't.json', '--out', 'dangling.json'], /is a symbolic link to a missing file/);
    expectRefused(['generate', '--sites', '1', '--out', 'no/such/dir/x.json'], /x\.json: cannot write: its directory does not exist \(ENOENT\)$/);
  });

  test('/dev/null is written through, never replaced: it is still a character device afterwards (as root too)', () => {
    const device = statSync('/dev/null');
    const runs: [string[], number][] = [
      [['check', 'm.yaml', '--graph', 't.json', '--out', '/dev/null', '-q'], 0],
      [['ingest', '--graph', 't.json', '--out', '/dev/null', '-q'], 0],
      [['audit', '--graph', 't.json', '--out', '/dev/null'], 0],
      [['report', 'm.yaml', '--graph', 't.json', '--out', '/dev/null'], 0],
    ];
    for (const [args, code] of runs) {
      const r = runHostile(args, { cwd: dir });
      expect({ args, code: r.code, problems: problemLines(r) }).toEqual({
        args,
        code,
        problems: args[0] === 'check' ? [expect.stringContaining('plan written to /dev/null')] : [],
      });
      const after = lstatSync('/dev/null');
      expect(after.isCharacterDevice()).toBe(true);
      expect([after.rdev, after.ino]).toEqual([device.rdev, device.ino]);
    }
    expect(strayTempFiles('/dev')).toEqual([]);
  });

  test('a symbolic link to a file (not an input) stays a link: the file it points at is replaced', () => {
    const r = runHostile(['plan', 'site:globex', '--graph', 't.json', '--out', 'link-to-other.json', '-q', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(lstatSync(at('link-to-other.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(at('link-to-other.json'))).toBe('other.json');
    expect(JSON.parse(readFileSync(at('other.json'), 'utf8')).roots).toEqual(['site:globex']);
    expect(strayTempFiles(dir)).toEqual([]);
    writeFileSync(at('other.json'), 'the file a link points at\n');
  });
});

describe('a signal in the middle of a write', () => {
  /** Spawns the CLI, waits until its temporary file has grown past `bytes`, sends `signal`, resolves to the exit. */
  async function interrupt(
    args: string[],
    cwd: string,
    signal: NodeJS.Signals,
    bytes = 1 << 20,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; sentAfter: number }> {
    const child = spawn(BIN, args, { cwd, stdio: 'ignore' });
    const started = Date.now();
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, sig) => r({ code, signal: sig })));
    for (;;) {
      const tmp = strayTempFiles(cwd)
        .map((n) => join(cwd, n))
        .find((p) => existsSync(p) && statSync(p).size >= bytes);
      if (tmp) break;
      if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error('the write ended before it could be interrupted');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill(signal);
    return { ...(await ended), sentAfter: Date.now() - started };
  }

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'generate, %s: exit %d, no temporary file, the old destination untouched',
    async (signal, code) => {
      const cwd = workdir({ 'big.json': 'OLD CONTENT\n' });
      const r = await interrupt(['generate', '--sites', '2000', '--out', 'big.json'], cwd, signal);
      expect(r).toMatchObject({ code, signal: null });
      expect(strayTempFiles(cwd)).toEqual([]);
      expect(readFileSync(join(cwd, 'big.json'), 'utf8')).toBe('OLD CONTENT\n');
    },
    90_000,
  );

  test('ingest to a gzipped snapshot, SIGTERM while writing: exit 143, no temporary file, no snapshot', async () => {
    const cwd = workdir();
    const made = runHostile(['generate', '--sites', '150', '--out', 'tenant.ndjson'], { cwd, timeout: 60 });
    expect(made.code).toBe(0);
    const r = await interrupt(['ingest', '--graph', 'tenant.ndjson', '--out', 'snap.json.gz', '-q'], cwd, 'SIGTERM', 64 << 10);
    expect(r).toMatchObject({ code: 143, signal: null });
    expect(strayTempFiles(cwd)).toEqual([]);
    expect(existsSync(join(cwd, 'snap.json.gz'))).toBe(false);
  }, 90_000);
});

// ------------------------------------------------------------------------------------------------------------------
// Neo4j servers that never answer, or answer garbage.

type Behaviour = 'silent' | 'http' | 'bytes' | 'half-open';

/** A local TCP server on a free port of 127.0.0.1 that accepts connections and behaves as `how`. */
async function fakeServer(how: Behaviour): Promise<{ uri: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    if (how === 'bytes') s.write(Buffer.alloc(64, 0xff));
    if (how === 'http') s.on('data', () => s.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    if (how === 'half-open') {
      // Bolt 4.4 accepted, HELLO answered with SUCCESS {}, and then silence: the driver waits for ever on a query.
      let stage = 0;
      s.on('data', () => {
        if (stage === 0) s.write(Buffer.from([0, 0, 4, 4]));
        else if (stage === 1) s.write(Buffer.from([0x00, 0x03, 0xb1, 0x70, 0xa0, 0x00, 0x00]));
        stage++;
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: `bolt://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Every command that can take a Neo4j URI. */
function boltCommands(uri: string): string[][] {
  const m = join(MANIFESTS, 'legacy-app-cleanup.yaml');
  return [
    ['plan', 'site:globex', '-g', uri],
    ['plan', 'site:globex', '-g', uri, '--backend', 'neo4j'],
    ['check', m, '-g', uri],
    ['check', m, '-g', uri, '--backend', 'neo4j'],
    ['why', 'x', '--roots', 'y', '-g', uri],
    ['verify', '--plan', 'p.json', '--ids', 'ids.txt', '-g', uri],
    ['audit', '-g', uri],
    ['diff', '--before', uri, '--after', 't.json'],
    ['report', 'site:globex', '-g', uri],
    ['ingest', '-g', uri, '--out', '-'],
    ['ingest', '-g', 't.json', '--to', 'neo4j', '--neo4j-uri', uri],
  ];
}

describe('a Neo4j that accepts the connection and never answers, or answers garbage', () => {
  beforeAll(() => {
    writeFileSync(at('ids.txt'), 'site:globex\n');
    expect(runHostile(['plan', 'site:globex', '--graph', 't.json', '--out', 'p.json', '-q'], { cwd: dir }).code).toBe(1);
  });

  async function expectEnds(how: Behaviour, extra: string[], message: RegExp, seconds: number, only?: number[]): Promise<void> {
    const server = await fakeServer(how);
    try {
      const commands = boltCommands(server.uri).filter((_, i) => !only || only.includes(i));
      const runs = await Promise.all(commands.map((args) => runMeasured([...args, ...extra], { cwd: dir, timeout: 60 }).then((r) => ({ args, r }))));
      for (const { args, r } of runs) {
        const shown = { args, code: r.code, timedOut: r.timedOut, problems: problemLines(r).length, stdout: r.stdout };
        expect(shown).toEqual({ args, code: 2, timedOut: false, problems: 1, stdout: '' });
        expect(problemLines(r)[0]).toMatch(message);
        expect({ args, fast: r.seconds < seconds }).toEqual({ args, fast: true });
      }
    } finally {
      await server.close();
    }
  }

  test('silent (no Bolt handshake): every command exits 2 with one line, in about 10 s', async () => {
    await expectEnds('silent', [], /: cannot reach Neo4j: .*gave no Bolt answer within 10 s\)$/, 25);
  }, 120_000);

  test('garbage (an HTTP answer, or bytes that are not Bolt): exit 2, one line, within seconds', async () => {
    await expectEnds('http', [], /: cannot reach Neo4j: Server responded HTTP/, 25);
    // The same connection code for every command: the reading, the push-down and the writing one suffice here.
    await expectEnds('bytes', [], /: cannot reach Neo4j: Unknown Bolt protocol version/, 25, [0, 3, 10]);
  }, 120_000);

  test('half-open (handshake and login answered, then silence): --neo4j-timeout bounds the wait', async () => {
    await expectEnds('half-open', ['--neo4j-timeout', '2'], /: Neo4j stopped answering while [a-z ]+: nothing received for 2 s$/, 20);
  }, 120_000);
});

// ------------------------------------------------------------------------------------------------------------------
// Large outputs: a 20,000-link chain, a 200 MB name.

describe('outputs too large for one string are streamed; long chains are elided unless --full', () => {
  // 20,000 links: uncapped indentation would already make the deepest line 40,000 characters (the widest-line
  // bound below is 200) and an unelided chain 20,000 lines (the byte bound is 4 kB); 100,000 proved no more and
  // cost five times the reading.
  const LINKS = 20_000;
  const n = (x: number) => x.toLocaleString('en-US');
  let chain = '';

  beforeAll(() => {
    chain = join(workdir(), 'chain.json');
    writeCascadeChain(chain, LINKS);
  });

  test('why on the last link: by default its ends and a count ("… 19,990 more links …"), small and fast', async () => {
    const r = await runMeasured(['why', `e${LINKS - 1}`, '--roots', 'e0', '--graph', chain, '-q']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`e${LINKS - 1} would be deleted, through ${n(LINKS - 1)} relations:`);
    expect(lines.filter((l) => l.trim() === `… ${n(LINKS - 10)} more links …`)).toHaveLength(1);
    expect(lines.filter((l) => /└ e\d+ \[thing\]/.test(l)).map((l) => /e\d+/.exec(l)![0])).toEqual([
      'e1',
      'e2',
      'e3',
      'e4',
      ...[5, 4, 3, 2, 1].map((k) => `e${LINKS - k}`),
    ]);
    expect(r.bytes).toBeLessThan(4096);
    expect(r.seconds).toBeLessThan(20);
    const md = await runMeasured(['why', `e${LINKS - 1}`, '--roots', 'e0', '--graph', chain, '-q', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`- … ${n(LINKS - 10)} more links …`);
    expect(md.bytes).toBeLessThan(4096);
  }, 60_000);

  test('why --full: every link, streamed, the indentation capped (not 10 GB of spaces), in bounded memory', async () => {
    let lines = 0;
    let widest = 0;
    let partial = '';
    const r = await runMeasured(['why', `e${LINKS - 1}`, '--roots', 'e0', '--graph', chain, '-q', '--full', '--width', '1000'], {
      onStdout: (b) => {
        const parts = (partial + b.toString('utf8')).split('\n');
        partial = parts.pop()!;
        lines += parts.length;
        for (const p of parts) widest = Math.max(widest, p.length);
      },
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines).toBe(1 + LINKS + 1); // the head, every link, the closing sentence
    expect(widest).toBeLessThan(200);
    expect(r.peakMiB).toBeLessThan(600);
    const json = await runMeasured(['why', `e${LINKS - 1}`, '--roots', 'e0', '--graph', chain, '-q', '--format', 'json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { chain: unknown[] }).chain).toHaveLength(LINKS);
  }, 90_000);

  test('plan --full on the chain: the whole tree, indentation capped with a count of the levels not drawn', async () => {
    let lines = 0;
    let last = '';
    let partial = '';
    const r = await runMeasured(['plan', 'e0', '--graph', chain, '-q', '--full', '--width', '1000'], {
      onStdout: (b) => {
        const parts = (partial + b.toString('utf8')).split('\n');
        partial = parts.pop()!;
        for (const p of parts) {
          if (!/^\S*.*e\d+ \[thing\]/.test(p)) continue;
          lines++;
          last = p;
        }
      },
    });
    expect(r.code).toBe(1); // boundary-deleted
    expect(lines).toBe(LINKS - 1);
    expect(last).toMatch(new RegExp(`^\\[\\+${n(LINKS - 42)} levels\\] {121}└─ e${LINKS - 1} \\[thing\\] {2}IN$`));
    expect(r.peakMiB).toBeLessThan(600);
  }, 90_000);

  test('a reader that stops early (| head) ends the stream, and a failing plan still exits 1', async () => {
    const child = spawn(BIN, ['plan', 'e0', '--graph', chain, '-q', '--full', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
  }, 60_000);

  test('a plan whose site has a 200 MB name: over 512 MB of JSON, written whole (no "too large" refusal)', async () => {
    const MiB = 1 << 20;
    const graph = join(workdir(), 'big-name.json');
    const fd = openSync(graph, 'w');
    writeSync(
      fd,
      '{"schema":{"boundary":"site","relations":{"HOSTED_ON":{"onDelete":"cascade"},"IN":{"onDelete":"cascade"}}},"entities":[{"id":"site:a","type":"site","name":"',
    );
    const block = 'Z'.repeat(MiB); // a letter no other part of the report uses
    for (let i = 0; i < 200; i++) writeSync(fd, block);
    writeSync(
      fd,
      '"},{"id":"product:p","type":"product"},{"id":"site:b","type":"site"},{"id":"doc:d","type":"doc"}],"relations":[{"from":"product:p","type":"HOSTED_ON","to":"site:a"},{"from":"doc:d","type":"IN","to":"product:p"},{"from":"doc:d","type":"IN","to":"site:b"}]}',
    );
    closeSync(fd);
    let head = '';
    let tail = Buffer.alloc(0);
    let names = 0;
    // Most chunks are all Z (inside a name): compared whole against a block of Z, byte by byte only where they mix.
    const zs = Buffer.alloc(MiB, 0x5a);
    const countZ = (b: Buffer): number => {
      if (b.length <= zs.length && b.equals(zs.subarray(0, b.length))) return b.length;
      let k = 0;
      for (let i = b.indexOf(0x5a); i >= 0 && i < b.length; i++) if (b[i] === 0x5a) k++;
      return k;
    };
    // A 200 MB string is over the readers' default 16 MiB cap on one string (docs/ingest.md): this user raises it.
    const r = await runMeasured(['plan', 'site:b', '--graph', graph, '-q', '--format', 'json'], {
      timeout: 240,
      env: { BLASTGUARD_MAX_STRING_MIB: '256', BLASTGUARD_MAX_RECORD_MIB: '256' },
      onStdout: (b) => {
        if (head.length < 64) head += b.toString('utf8', 0, 64);
        tail = Buffer.concat([tail, b.subarray(-16)]).subarray(-16);
        names += countZ(b);
      },
    });
    rmSync(graph);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: '' });
    expect(r.bytes).toBeGreaterThan(512 * MiB);
    expect(names % (200 * MiB)).toBe(0); // the name written whole, every time
    expect(names / (200 * MiB)).toBeGreaterThanOrEqual(3);
    expect(head.startsWith('{\n  "verdict": "fail",')).toBe(true);
    expect(tail.toString('utf8').endsWith('\n}\n')).toBe(true);
  }, 300_000);
});
