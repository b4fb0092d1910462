// Writes a CompactGraph as a binary graph file (.bgraph, layout in format.ts): the store's own arrays, byte for byte,
// behind a header with a checksum per section. Returns the file as a list of buffers (views of the graph's arrays,
// not copies), so writing a 10 M-entity graph costs no second copy of it in memory.
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import type { CompactGraph } from '../compact.js';
import type { ByteArena } from '../ids.js';
import { alignUp, FIXED_HEADER, FLAG_LAZY, FORMAT_VERSION, MAGIC, S, SECTION_COUNT, SECTION_ENTRY, type BinaryMeta } from './format.js';

type Bytes = Uint8Array;

const view = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

interface Section {
  id: number;
  parts: Bytes[];
  flags: number;
}

function arenaPages(arena: ByteArena): { pages: Buffer[]; lengths: number[]; ascii: boolean } {
  const { pages, allAscii } = arena.parts();
  return { pages, lengths: pages.map((p) => p.length), ascii: allAscii };
}

/** The sha256 digest of a fingerprint "sha256:<64 hex>", or 32 zero bytes. */
function digestOf(fingerprint: string | undefined): Buffer {
  const m = fingerprint !== undefined ? /^sha256:([0-9a-f]{64})$/.exec(fingerprint) : null;
  return m ? Buffer.from(m[1], 'hex') : Buffer.alloc(32);
}

/** The file's bytes, as buffers in order; `fingerprint` (the engine's, "sha256:…") is recorded in the header. */
export function binaryGraphBuffers(graph: CompactGraph, fingerprint?: string): Bytes[] {
  if (endianness() !== 'LE') throw new Error('binary graph files are written on little-endian machines only');
  const p = graph.parts();
  const ids = p.ids.parts();
  const names = p.names.column().parts();
  const attrs = p.attributes.column().parts();
  const idPages = arenaPages(ids.arena);
  const namePages = arenaPages(names.arena);
  const attrPages = arenaPages(attrs.arena);
  const meta: BinaryMeta = {
    schema: p.schema,
    typeNames: [...p.typeNames],
    relationTypeNames: [...p.relationTypeNames],
    ids: { pages: idPages.lengths, ascii: idPages.ascii, long: ids.longLengths },
    names: { pages: namePages.lengths, ascii: namePages.ascii },
    attributes: { pages: attrPages.lengths, ascii: attrPages.ascii },
  };
  const sections: Section[] = [
    { id: S.meta, parts: [Buffer.from(JSON.stringify(meta), 'utf8')], flags: 0 },
    { id: S.idArena, parts: idPages.pages, flags: 0 },
    { id: S.idMeta, parts: [view(ids.meta)], flags: 0 },
    { id: S.idSlots, parts: [view(ids.slots)], flags: 0 },
    { id: S.typeCodes, parts: [view(p.typeCodes)], flags: 0 },
    { id: S.protectedFlags, parts: [view(p.protectedFlags)], flags: 0 },
    { id: S.inOffsets, parts: [view(p.incoming.offsets)], flags: 0 },
    { id: S.inNodes, parts: [view(p.incoming.nodes)], flags: 0 },
    { id: S.inTypes, parts: [view(p.incoming.types)], flags: 0 },
    { id: S.outOffsets, parts: [view(p.outgoing.offsets)], flags: 0 },
    { id: S.outNodes, parts: [view(p.outgoing.nodes)], flags: 0 },
    { id: S.outTypes, parts: [view(p.outgoing.types)], flags: 0 },
    { id: S.namesAt, parts: [view(names.at)], flags: FLAG_LAZY },
    { id: S.namesLen, parts: [view(names.len)], flags: FLAG_LAZY },
    { id: S.namesArena, parts: namePages.pages, flags: FLAG_LAZY },
    { id: S.attrsAt, parts: [view(attrs.at)], flags: FLAG_LAZY },
    { id: S.attrsLen, parts: [view(attrs.len)], flags: FLAG_LAZY },
    { id: S.attrsArena, parts: attrPages.pages, flags: FLAG_LAZY },
  ];
  if (sections.length !== SECTION_COUNT) throw new Error('binary graph: section list out of step with format.ts');
  const headerLength = alignUp(FIXED_HEADER + SECTION_ENTRY * sections.length);
  const header = Buffer.alloc(headerLength);
  const out: Bytes[] = [header];
  let offset = headerLength;
  sections.forEach((s, k) => {
    const length = s.parts.reduce((a, b) => a + b.length, 0);
    let crc = 0;
    for (const part of s.parts) crc = crc32(part, crc);
    const e = FIXED_HEADER + k * SECTION_ENTRY;
    header.writeUInt32LE(s.id, e);
    header.writeUInt32LE(crc, e + 4);
    header.writeDoubleLE(offset, e + 8);
    header.writeDoubleLE(length, e + 16);
    header.writeUInt32LE(s.flags, e + 24);
    out.push(...s.parts.filter((x) => x.length > 0));
    const pad = alignUp(length) - length;
    if (pad) out.push(Buffer.alloc(pad));
    offset += length + pad;
  });
  MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(headerLength, 12);
  header.writeUInt32LE(sections.length, 16);
  header.writeDoubleLE(offset, 24);
  header.writeUInt32LE(graph.size, 32);
  header.writeUInt32LE(graph.relationCount, 36);
  digestOf(fingerprint).copy(header, 40);
  header.writeUInt32LE(crc32(header), 20);
  return out;
}
