/** How the Weights screen lays out one tile per hidden unit (no DOM here, so it is unit-tested). */

/** Columns and rows of a grid of `count` tiles, about as wide as `aspect` times its height. */
export function gridShape(count: number, aspect = 1.6): { cols: number; rows: number } {
  const cols = Math.max(1, Math.min(count, Math.ceil(Math.sqrt(count * aspect))));
  return { cols, rows: Math.ceil(count / cols) };
}

/** Pixels between two tiles. */
export const TILE_GAP = 1;
