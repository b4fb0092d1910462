// The snapshot fingerprint of a graph kept in Neo4j, computed from the database in the canonical order of
// src/engine/fingerprint.ts, streamed: equal to fingerprint() of the same graph read into memory (and so of the
// snapshot file it was loaded from, when that file lists no relation twice), without holding the graph.
//
// Neo4j has no SHA-256 in Cypher (APOC is not assumed), so the hashing is done here, but the ORDER is Neo4j's: the
// entity nodes come in pages sorted on the unique `id` (keyset, `n.id > $after ORDER BY n.id`, served by the
// constraint's index), the client hashes each line as it arrives and keeps one page at a time. Two passes in one
// read transaction: the `E` lines of every entity, then the `R` lines of each entity's outgoing relations (sorted
// and de-duplicated per entity, as the canonical text wants). Memory: one page plus one entity's relations.
//
// Neo4j orders strings by Unicode code point; the fingerprint orders IDs by UTF-16 code unit. The two differ only
// between characters U+E000–U+FFFF and characters beyond U+FFFF. The stream checks that every ID follows the
// previous one in code-unit order; if one does not (or two nodes share an ID), it says so and the caller reads the
// graph into memory instead — never a wrong fingerprint.
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { canonicalJson, fingerprint, fingerprintField } from '../engine/fingerprint.js';
import { ProblemList } from '../model/errors.js';
import { CanonicalGraphBuilder } from '../store/neo4j/canonical.js';
import type { Neo4jConnection } from '../store/neo4j/connect.js';
import { ENTITY_LABEL } from '../store/neo4j/names.js';
import { readGraph, toNodeRecord } from '../store/neo4j/read.js';
import { requireCompleteSchema } from '../store/neo4j/schema.js';
import { createHash } from 'node:crypto';

export interface SnapshotStamp {
  fingerprint: string;
  entities: number;
  relations: number;
}

/** Entity nodes per page. */
const PAGE = 5000;

const E = ENTITY_LABEL;
const ENTITY_PAGE =
  `MATCH (n:${E}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page ` +
  `RETURN n.id AS id, n.type AS type, n.name AS name, n.protected AS protected, n.attributes AS attributes, elementId(n) AS eid`;
const RELATION_PAGE =
  `MATCH (n:${E}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page ` +
  `RETURN n.id AS id, [(n)-[r]->(m:${E}) WHERE type(r) IN $types | [type(r), m.id]] AS out`;

/** Thrown inside the stream when Neo4j's order is not the canonical one: the caller falls back to reading. */
class NotCanonical extends Error {}

/** The hash of the canonical text, fed in ~1 MiB chunks. */
function hasher() {
  const hash = createHash('sha256');
  let chunk: string[] = [];
  let size = 0;
  return {
    line(s: string) {
      chunk.push(s);
      size += s.length;
      if (size > 1 << 20) {
        hash.update(chunk.join(''), 'utf8');
        chunk = [];
        size = 0;
      }
    },
    digest() {
      if (chunk.length) hash.update(chunk.join(''), 'utf8');
      return `sha256:${hash.digest('hex')}`;
    },
  };
}

/**
 * The fingerprint, entity count and relation count of the blastguard graph in Neo4j, streamed in canonical order;
 * null when the database's order is not the canonical one (see the top of this file).
 */
export async function streamFingerprint(conn: Neo4jConnection, pageSize = PAGE): Promise<SnapshotStamp | null> {
  const session = conn.session('READ');
  try {
    return await session.executeRead(async (tx) => {
      try {
        return await stream(tx, conn.where, Math.max(1, pageSize));
      } catch (err) {
        if (err instanceof NotCanonical) return null;
        throw err;
      }
    });
  } finally {
    await session.close();
  }
}

async function* pages(tx: ManagedTransaction, query: string, page: number, params: Record<string, unknown>) {
  let after = '';
  let prev: string | undefined;
  for (;;) {
    const { records } = await tx.run(query, { ...params, after, page: neo4j.int(page) });
    for (const r of records) {
      const id = r.get('id') as string;
      // Strictly increasing in code-unit order, or the stream is not the canonical text.
      if (prev !== undefined && !(prev < id)) throw new NotCanonical(`${JSON.stringify(prev)} then ${JSON.stringify(id)}`);
      prev = id;
      yield r;
    }
    if (records.length < page) return;
    after = records[records.length - 1].get('id') as string;
  }
}

async function stream(tx: ManagedTransaction, where: string, page: number): Promise<SnapshotStamp> {
  const schema = await requireCompleteSchema(tx, where);
  const types = Object.keys(schema.relations);
  const h = hasher();
  // The schema exactly as a graph read from Neo4j carries it.
  h.line(`S\t${canonicalJson(new CanonicalGraphBuilder(schema).build().schema)}\n`);
  const problems = new ProblemList(20);
  let entities = 0;
  for await (const r of pages(tx, ENTITY_PAGE, page, {})) {
    const rec = toNodeRecord(
      { id: r.get('id'), type: r.get('type'), name: r.get('name'), protected: r.get('protected'), attributes: r.get('attributes'), elementId: r.get('eid') },
      problems,
      where,
    );
    if (!rec) continue;
    entities++;
    const attrs = rec.attributes && Object.keys(rec.attributes).length ? canonicalJson(JSON.parse(JSON.stringify(rec.attributes))) : '-';
    h.line(
      `E\t${fingerprintField(rec.id)}\t${fingerprintField(rec.type)}\t${rec.name === undefined ? '-' : fingerprintField(rec.name)}\t${rec.protected ? 1 : 0}\t${attrs}\n`,
    );
  }
  // Nodes whose id is not a string are invisible to the keyset above (readGraph refuses them too).
  const total = (await tx.run(`MATCH (n:${E}) RETURN count(n) AS c`)).records[0].get('c') as number;
  if (total > entities) problems.add({ file: where, field: 'id', message: `${total - entities} :${E} node(s) have no string "id"` });
  problems.throwIfAny();

  let relations = 0;
  const rel: string[] = [];
  for await (const r of pages(tx, RELATION_PAGE, page, { types })) {
    const out = r.get('out') as [string, unknown][];
    if (!out.length) continue;
    rel.length = 0;
    for (const [type, to] of out) if (typeof to === 'string') rel.push(`${fingerprintField(type)}\t${fingerprintField(to)}`);
    rel.sort();
    const from = fingerprintField(r.get('id') as string);
    for (let i = 0; i < rel.length; i++) {
      // Neo4j may hold the same (from, type, to) twice (a graph written by someone else): the graph read keeps one.
      if (i > 0 && rel[i] === rel[i - 1]) continue;
      h.line(`R\t${from}\t${rel[i]}\n`);
      relations++;
    }
  }
  return { fingerprint: h.digest(), entities, relations };
}

/**
 * The stamp of the graph in Neo4j an approved plan records: streamed (above), or, when Neo4j's order is not the
 * canonical one, computed on the graph read into memory — the same value either way.
 */
export async function snapshotStampInNeo4j(conn: Neo4jConnection): Promise<SnapshotStamp> {
  const streamed = await streamFingerprint(conn);
  if (streamed) return streamed;
  const g = await readGraph(conn);
  return { fingerprint: fingerprint(g), entities: g.size, relations: g.relationCount };
}
