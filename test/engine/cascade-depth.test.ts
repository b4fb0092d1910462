// cascade-depth at its edges, as InnoDB draws them (measured on MariaDB 10.11: a chain of 14 nested cascade
// deletes goes through; a 15th level — a delete or a SET NULL — fails the statement): schema.maxCascadeDepth 14.
import { describe, expect, test } from '@jest/globals';
import { plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import { graphOf } from '../helpers/graphs.js';

/** row:0 ← row:1 ← … ← row:n (cascade), and optionally a row that a SET NULL key ties to row:n. */
function chain(n: number, detachAtEnd = false, maxCascadeDepth: number | null = 14): Snapshot {
  const entities = Array.from({ length: n + 1 }, (_, i) => ({ id: `row:${i}`, type: 'row' }));
  const relations = Array.from({ length: n }, (_, i) => ({ from: `row:${i + 1}`, type: 'PARENT', to: `row:${i}` }));
  if (detachAtEnd) {
    entities.push({ id: 'pin:1', type: 'pin' });
    relations.push({ from: 'pin:1', type: 'PINNED', to: `row:${n}` });
  }
  return {
    schema: {
      boundary: 'site',
      ...(maxCascadeDepth === null ? {} : { maxCascadeDepth }),
      relations: { PARENT: { onDelete: 'cascade' }, PINNED: { onDelete: 'detach' } },
    },
    entities,
    relations,
  };
}

const depthViolations = (s: Snapshot, root = 'row:0') => plan(graphOf(s), [root]).violations.filter((v) => v.rule === 'cascade-depth');

describe('cascade-depth', () => {
  test('14 nested cascades pass; 15 fail, naming the deepest row', () => {
    expect(depthViolations(chain(14))).toEqual([]);
    const v = depthViolations(chain(15));
    expect(v.map((x) => x.entity)).toEqual(['row:15']);
    expect(v[0].message).toBe(
      'deleting this nests cascades 15 levels deep (through row:15); the database carries out at most 14 and refuses the whole deletion',
    );
  });

  test('a SET NULL at the 15th level fails too', () => {
    expect(depthViolations(chain(13, true))).toEqual([]);
    expect(depthViolations(chain(14, true)).map((x) => x.entity)).toEqual(['row:14']);
  });

  test('the longest path counts, not the shortest (InnoDB cascades depth first)', () => {
    const s = chain(14);
    // A shortcut from the root to the last row: breadth first it is 1 deep, depth first it can be 15.
    s.entities.push({ id: 'tail:1', type: 'row' });
    s.relations.push({ from: 'tail:1', type: 'PARENT', to: 'row:14' }, { from: 'tail:1', type: 'PARENT', to: 'row:0' });
    expect(depthViolations(s).map((x) => x.entity)).toEqual(['tail:1']);
  });

  test('no limit in the schema (files, PostgreSQL): never fires', () => {
    expect(depthViolations(chain(40, true, null))).toEqual([]);
  });
});
