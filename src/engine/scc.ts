// Tarjan's strongly connected components, iterative so that deep graphs cannot overflow the call stack. Shared by
// the plan's deletion order (cycles among deleted entities) and the audit's cascade cycles.
import type { Csr } from '../model/graph.js';

/**
 * Scratch arrays sized to the graph. Entries are read only where stamp[x] === mark, so one set of arrays serves
 * many searches without being cleared (pass a fresh mark each time).
 */
export interface SccScratch {
  stamp: Int32Array;
  index: Int32Array;
  low: Int32Array;
  onStack: Uint8Array;
}

export function sccScratch(n: number): SccScratch {
  return { stamp: new Int32Array(n), index: new Int32Array(n), low: new Int32Array(n), onStack: new Uint8Array(n) };
}

/**
 * Emits the strongly connected components reachable from `starts`, walking the adjacency `adj` and following the
 * relation at position e to node w only when `follow(w, typeCode)` is true. A component is emitted after every
 * component it reaches: over dependent → dependency edges, dependencies come first (the restore order).
 */
export function stronglyConnected(
  adj: Csr,
  scratch: SccScratch,
  mark: number,
  starts: ArrayLike<number>,
  follow: (w: number, type: number) => boolean,
  emit: (members: number[]) => void,
): void {
  const { offsets, nodes, types } = adj;
  const { stamp, index, low, onStack } = scratch;
  const sccStack: number[] = [];
  const callStack: number[] = []; // pairs: node, next edge position
  let counter = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    if (stamp[start] === mark) continue;
    stamp[start] = mark;
    index[start] = low[start] = counter++;
    sccStack.push(start);
    onStack[start] = 1;
    callStack.push(start, offsets[start]);
    while (callStack.length) {
      const top = callStack.length - 2;
      const v = callStack[top];
      let e = callStack[top + 1];
      let descended = false;
      for (; e < offsets[v + 1]; e++) {
        const w = nodes[e];
        if (!follow(w, types[e])) continue;
        if (stamp[w] !== mark) {
          callStack[top + 1] = e + 1;
          stamp[w] = mark;
          index[w] = low[w] = counter++;
          sccStack.push(w);
          onStack[w] = 1;
          callStack.push(w, offsets[w]);
          descended = true;
          break;
        } else if (onStack[w] === 1 && index[w] < low[v]) {
          low[v] = index[w];
        }
      }
      if (descended) continue;
      callStack.length = top;
      if (low[v] === index[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = sccStack.pop()!;
          onStack[w] = 0;
          members.push(w);
        } while (w !== v);
        emit(members);
      }
      if (callStack.length) {
        const parent = callStack[callStack.length - 2];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
}
