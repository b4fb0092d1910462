// Jest's usual order (slowest files first), except that the files of test/neo4j/ run last: the Neo4j servers
// boot in the background (global-setup.mjs) while the other suites run.
import Sequencer from '@jest/test-sequencer';
import path from 'node:path';

const NEO4J_DIR = `${path.sep}test${path.sep}neo4j${path.sep}`;

export default class Neo4jLastSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const last = (t) => (t.path.includes(NEO4J_DIR) ? 1 : 0);
    return [...sorted].sort((a, b) => last(a) - last(b));
  }
}
