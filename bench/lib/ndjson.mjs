// A minimal NDJSON snapshot reader for the benchmark only (the product's reader is src/ingest's, once merged):
// reads the file in large chunks, hands each line to the store's fast path (src/ingest/ndjson-fast.ts), and
// parses the few lines that path declines with JSON.parse. No validation messages: the benchmark's input is
// generated, and a line that fails here fails loudly.
import { closeSync, openSync, readSync } from 'node:fs';
import { GraphBuilder } from '../../dist/store/compact.js';
import { normalizeSchema } from '../../dist/ingest/snapshot.js';
import { addRecordFast } from '../../dist/ingest/ndjson-fast.js';

export function readNdjson(file) {
  const fd = openSync(file, 'r');
  let buf = Buffer.allocUnsafe(4 << 20);
  let builder;
  let slow = 0;
  let records = 0;
  let line = 0;
  const general = (s, e) => {
    const text = buf.toString('utf8', s, e).trim();
    if (text === '') return;
    const r = JSON.parse(text);
    if (builder === undefined) {
      builder = new GraphBuilder(normalizeSchema(r.schema));
      return;
    }
    slow++;
    if (r.from !== undefined) {
      if (!builder.addRelation(r.from, r.type, r.to, line)) throw new Error(`${file}:${line}: unknown relation type`);
    } else if (builder.addEntity(r) < 0) throw new Error(`${file}:${line}: duplicate ID ${r.id}`);
  };
  try {
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      const end = filled + n;
      let s = 0;
      for (let nl = buf.indexOf(10, s); nl >= 0 && nl < end; nl = buf.indexOf(10, s)) {
        line++;
        if (builder === undefined || !addRecordFast(builder, buf, s, nl, line)) general(s, nl);
        else records++;
        s = nl + 1;
      }
      if (n === 0) {
        if (s < end) {
          line++;
          if (!addRecordFast(builder, buf, s, end, line)) general(s, end);
          else records++;
        }
        break;
      }
      // Move the partial last line to the front (and grow the buffer for a line longer than it).
      buf.copy(buf, 0, s, end);
      filled = end - s;
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
    }
  } finally {
    closeSync(fd);
  }
  const d = builder.dangling(5);
  if (d.count) throw new Error(`${file}: ${d.count} relations name missing entities, e.g. line ${d.items[0].tag}`);
  return { graph: builder.build(), entities: builder.entityCount, relations: builder.relationCount, slow, records };
}
