// One string order for everything blastguard sorts: by UTF-16 code units (what `<` compares), never by locale, so
// sorted output is byte-identical on every machine. Shared by engine, store and ingest.

/** Sorts strings by code unit: `ids.sort(byCodeUnit)`, or as the tie-break of another comparator. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
