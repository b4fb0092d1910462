// Hostile binary graph files (.bgraph) through the real CLI: truncated anywhere, a byte flipped in any section, a
// newer format version, a wrong magic number, trailing bytes, and a file whose checksums are right but whose arrays
// point out of range. Each is refused with exit 2 and one line naming the file, never read as some other graph.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { hasStack, run, SAMPLE } from '../helpers/cli.js';
import { problemLines, runHostile, strayTempFiles, treeState, type HostileRun } from '../helpers/hostile-run.js';

const GLOBEX = 'site:globex';
const SECTIONS = [
  'meta',
  'idArena',
  'idMeta',
  'idSlots',
  'typeCodes',
  'protectedFlags',
  'inOffsets',
  'inNodes',
  'inTypes',
  'outOffsets',
  'outNodes',
  'outTypes',
];
const LAZY = ['namesAt', 'namesLen', 'namesArena', 'attrsAt', 'attrsLen', 'attrsArena'];

let root: string;
let good: Buffer;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'blastguard-hostile-bgraph-'));
  const r = run(['ingest', '--graph', SAMPLE, '--out', join(root, 'good.bgraph'), '--quiet']);
  expect(r.code).toBe(0);
  good = readFileSync(join(root, 'good.bgraph'));
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Offset and length of section `k` (0-based) of a .bgraph file, from its section table. */
function section(buf: Buffer, k: number): { offset: number; length: number } {
  const e = 72 + k * 32;
  return { offset: buf.readDoubleLE(e + 8), length: buf.readDoubleLE(e + 16) };
}

/** Recomputes the crc32 of section `k` and of the header, so that only the structural checks can catch a change. */
function reseal(buf: Buffer, k: number): Buffer {
  const { offset, length } = section(buf, k);
  buf.writeUInt32LE(crc32(buf.subarray(offset, offset + length)), 72 + k * 32 + 4);
  const headerLength = buf.readUInt32LE(12);
  buf.writeUInt32LE(0, 20);
  buf.writeUInt32LE(crc32(buf.subarray(0, headerLength)), 20);
  return buf;
}

/** Writes `bytes` as `name` in a fresh folder; runs `plan` on it (or `command`) and asserts a one-line refusal matching `line`. */
function refused(name: string, bytes: Buffer, line: RegExp, command: string[] = ['plan', GLOBEX, '--format', 'json']): HostileRun {
  const dir = mkdtempSync(join(root, 'case-'));
  writeFileSync(join(dir, name), bytes);
  const before = treeState(dir);
  const r = runHostile([...command, '--graph', name], { cwd: dir, timeout: 20 });
  expect({ code: r.code, timedOut: r.timedOut, lines: problemLines(r) }).toEqual({ code: 2, timedOut: false, lines: [expect.stringMatching(line)] });
  expect(hasStack(r.stderr)).toBe(false);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stdout).toBe('');
  expect(r.seconds).toBeLessThan(15);
  expect(r.peakMiB).toBeLessThan(250);
  expect(strayTempFiles(dir)).toEqual([]);
  expect(treeState(dir)).toBe(before);
  return r;
}

const INVALID = (what: string) => new RegExp(`^blastguard: g\\.bgraph: not a valid blastguard graph file: ${what}`);

describe('a truncated .bgraph file is refused', () => {
  test('cut inside the header, inside an eager section, inside a lazy one, one byte short, and empty', () => {
    const cuts = [0, 5, 40, 300, section(good, 7).offset + 3, section(good, 14).offset + 1, good.length - 1];
    for (const cut of cuts) {
      const what = cut < 8 ? 'it does not start with the .bgraph magic number' : 'truncated';
      refused('g.bgraph', good.subarray(0, cut), INVALID(what));
    }
  });
  test('trailing bytes after the graph', () => {
    refused('g.bgraph', Buffer.concat([good, Buffer.from('\n')]), INVALID('1 bytes after the end of the graph'));
  });
});

describe('a corrupt .bgraph file is refused, never misread', () => {
  test('a byte flipped in the header', () => {
    const bad = Buffer.from(good);
    bad[33] ^= 1; // the entity count
    refused('g.bgraph', bad, INVALID('the header is corrupt \\(checksum mismatch\\)'));
  });
  test('a byte flipped in each section the load reads', () => {
    SECTIONS.forEach((name, k) => {
      const { offset, length } = section(good, k);
      if (length === 0) return;
      const bad = Buffer.from(good);
      bad[offset + Math.floor(length / 2)] ^= 0x10;
      refused('g.bgraph', bad, INVALID(`section "${name}" is corrupt \\(checksum mismatch\\)`));
    });
  });
  test('a byte flipped in the names or attributes: refused when they are needed (a report, a conversion), before any output', () => {
    LAZY.forEach((name, j) => {
      const { offset, length } = section(good, SECTIONS.length + j);
      if (length === 0) return;
      const bad = Buffer.from(good);
      bad[offset + Math.floor(length / 2)] ^= 0x10;
      // The plan's report names entities (names); only a conversion reads every attribute.
      const command = name.startsWith('names') ? ['plan', GLOBEX, '--format', 'human'] : ['ingest', '--out', 'back.json'];
      refused('g.bgraph', bad, INVALID(`section "${name}" is corrupt \\(checksum mismatch\\)`), command);
    });
  });
  test('checksums recomputed over arrays that point out of range: the bounds checks refuse them', () => {
    const outNodes = SECTIONS.indexOf('outNodes');
    const nodes = Buffer.from(good);
    nodes.writeInt32LE(1 << 30, section(nodes, outNodes).offset);
    refused('g.bgraph', reseal(nodes, outNodes), INVALID('the outgoing relations name an entity out of range'));
    const inOffsets = SECTIONS.indexOf('inOffsets');
    const offsets = Buffer.from(good);
    offsets.writeInt32LE(5, section(offsets, inOffsets).offset + 4 * 10);
    offsets.writeInt32LE(3, section(offsets, inOffsets).offset + 4 * 11);
    refused('g.bgraph', reseal(offsets, inOffsets), INVALID('the incoming offsets are corrupt'));
    const types = SECTIONS.indexOf('typeCodes');
    const codes = Buffer.from(good);
    codes.writeUInt16LE(999, section(codes, types).offset);
    refused('g.bgraph', reseal(codes, types), INVALID('an entity type code is out of range'));
    const flags = SECTIONS.indexOf('protectedFlags');
    const prot = Buffer.from(good);
    prot.writeUInt8(2, section(prot, flags).offset + 3);
    refused('g.bgraph', reseal(prot, flags), INVALID('a protected flag is neither 0 nor 1'));
  });
  test('resealed ID positions outside the ID section, or not whole numbers: refused', () => {
    const idMeta = SECTIONS.indexOf('idMeta');
    for (const [at, value] of [
      [0, 2 ** 40 * 65536 + 5], // far past the arena
      [7, -65531], // negative
      [3, NaN],
    ] as const) {
      const bad = Buffer.from(good);
      bad.writeDoubleLE(value, section(bad, idMeta).offset + 8 * at);
      refused('g.bgraph', reseal(bad, idMeta), INVALID('an ID points outside the ID section'));
    }
    const half = Buffer.from(good);
    const where = section(half, idMeta).offset + 8 * 4;
    half.writeDoubleLE(half.readDoubleLE(where) + 0.5, where);
    refused('g.bgraph', reseal(half, idMeta), INVALID('an ID points outside the ID section'));
  });
  test('a resealed ID hash table naming an entity twice (so another never), or one out of range: refused', () => {
    const idSlots = SECTIONS.indexOf('idSlots');
    const { offset, length } = section(good, idSlots);
    const filled: number[] = [];
    for (let k = 1; k < length / 4; k += 2) if (good.readInt32LE(offset + 4 * k) !== 0) filled.push(offset + 4 * k);
    const n = good.readUInt32LE(32);
    const twice = Buffer.from(good);
    twice.writeInt32LE(twice.readInt32LE(filled[0]), filled[1]);
    refused('g.bgraph', reseal(twice, idSlots), INVALID('the ID hash table is corrupt'));
    const over = Buffer.from(good);
    over.writeInt32LE(n + 1, filled[2]);
    refused('g.bgraph', reseal(over, idSlots), INVALID('the ID hash table is corrupt'));
    const negative = Buffer.from(good);
    negative.writeInt32LE(-3, filled[2]);
    refused('g.bgraph', reseal(negative, idSlots), INVALID('the ID hash table is corrupt'));
  });
  test('a resealed name position outside the names section: refused when the names are read', () => {
    const k = SECTIONS.length + LAZY.indexOf('namesAt');
    const lens = section(good, SECTIONS.length + LAZY.indexOf('namesLen'));
    let i = 0;
    while (good.readInt32LE(lens.offset + 4 * i) === 0) i++;
    const bad = Buffer.from(good);
    bad.writeDoubleLE(2 ** 45, section(bad, k).offset + 8 * i);
    refused('g.bgraph', reseal(bad, k), INVALID('a names entry points outside its section'), ['plan', GLOBEX, '--format', 'human']);
  });
});

describe('versions and names', () => {
  test('a newer format version says so', () => {
    const newer = Buffer.from(good);
    newer.writeUInt32LE(2, 8);
    refused('g.bgraph', reseal(newer, 0), /^blastguard: g\.bgraph: written by a newer blastguard \(binary graph format version 2; this one reads version 1\)/);
  });
  test('a .bgraph name on a file that is not one', () => {
    refused('g.bgraph', readFileSync(SAMPLE), INVALID('it does not start with the .bgraph magic number'));
  });
  test('a binary graph file under another name is recognised by its magic number', () => {
    const dir = mkdtempSync(join(root, 'case-'));
    copyFileSync(join(root, 'good.bgraph'), join(dir, 'graph.json'));
    const r = run(['plan', GLOBEX, '--graph', 'graph.json', '--format', 'json'], { cwd: dir });
    const j = run(['plan', GLOBEX, '--graph', SAMPLE, '--format', 'json']);
    expect(r.code).toBe(j.code);
    expect(r.stdout).toBe(j.stdout);
  });
});
