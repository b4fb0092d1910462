// Stamped scratch arrays: an entry is valid only where stamp[i] equals the current round, so a query never clears
// (or allocates) arrays the size of the graph; it takes the next round instead.

/**
 * The round after `round` for the stamps in `stamp`: `ws.round = nextRound(ws.stamp, ws.round)`. After 2³¹ − 1
 * rounds the stamps are cleared and counting restarts at 1 (0 is never a valid round: fresh arrays hold 0).
 */
export function nextRound(stamp: Int32Array, round: number): number {
  if (round === 0x7fffffff) {
    stamp.fill(0);
    return 1;
  }
  return round + 1;
}
