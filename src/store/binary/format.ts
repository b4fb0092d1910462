// The layout of a binary graph file (.bgraph): a header, a section table, then the compact store's arrays as they lie
// in memory, each section 8-byte aligned so that a typed array can be laid over the bytes read, without parsing.
//
//   0  magic "\x89BGRAPH\n" (8 bytes: the high byte and the newline catch text-mode transfers and a text file)
//   8  u32 format version          12 u32 header length (incl. the section table)   16 u32 section count
//  20  u32 crc32 of the header (this field as zero)   24 f64 file length   32 u32 entities   36 u32 relations
//  40  32 bytes: the snapshot fingerprint's sha256 digest (zeros: none recorded)
//  72  the section table: per section u32 id, u32 crc32, f64 offset, f64 length, u32 flags, u32 reserved (32 bytes)
// All numbers little-endian. Sections the loader needs at once come first; names and attributes (flag LAZY) last,
// read only when a report asks for a name or an attribute.

export const MAGIC = Buffer.from([0x89, 0x42, 0x47, 0x52, 0x41, 0x50, 0x48, 0x0a]);
export const FORMAT_VERSION = 1;
export const FIXED_HEADER = 72;
export const SECTION_ENTRY = 32;
export const ALIGN = 8;
export const FLAG_LAZY = 1;

/** Section ids, in file order. */
export const S = {
  meta: 1,
  idArena: 2,
  idMeta: 3,
  idSlots: 4,
  typeCodes: 5,
  protectedFlags: 6,
  inOffsets: 7,
  inNodes: 8,
  inTypes: 9,
  outOffsets: 10,
  outNodes: 11,
  outTypes: 12,
  namesAt: 13,
  namesLen: 14,
  namesArena: 15,
  attrsAt: 16,
  attrsLen: 17,
  attrsArena: 18,
} as const;

export const SECTION_COUNT = 18;

export interface SectionEntry {
  id: number;
  crc: number;
  offset: number;
  length: number;
  flags: number;
}

/** The meta section (JSON): what is not an array. Page lengths say how each arena's bytes split into its pages. */
export interface BinaryMeta {
  schema: unknown;
  typeNames: string[];
  relationTypeNames: string[];
  ids: { pages: number[]; ascii: boolean; long: [number, number][] };
  names: { pages: number[]; ascii: boolean };
  attributes: { pages: number[]; ascii: boolean };
}

export const alignUp = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** Whether the first bytes of a file are a binary graph file's magic number. */
export function hasMagic(head: Uint8Array): boolean {
  if (head.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (head[i] !== MAGIC[i]) return false;
  return true;
}

/** Whether a file name asks for the binary graph format. */
export function isBinaryGraphName(file: string): boolean {
  return /\.bgraph$/i.test(file);
}
