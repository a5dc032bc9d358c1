/**
 * Min-max decimation: of the points that fall in one pixel column, only the first, the lowest, the
 * highest and the last are drawn, in their order. The line looks the same (a column shows a
 * vertical stroke from its lowest to its highest value either way), but a chart of 50 000
 * minibatches draws at most four points per column, so a redraw costs the same early and late in
 * a run. A point whose y is not a number (a diverging loss) is kept as a gap.
 */
import type { Point } from './curves';

/**
 * Decimates `points` (x ascending) into pixel columns; `column(x)` gives a point's column (any
 * number; points whose columns floor to the same integer share one).
 */
export function decimateMinMax(points: readonly Point[], column: (x: number) => number): Point[] {
  const out: Point[] = [];
  let current = Number.NaN;
  let first: Point | null = null;
  let low: Point | null = null;
  let high: Point | null = null;
  let last: Point | null = null;

  const flush = (): void => {
    if (first === null || low === null || high === null || last === null) return;
    const kept = [first, low, high, last].sort((a, b) => a.x - b.x);
    for (const point of kept) if (out.at(-1) !== point) out.push(point);
    first = low = high = last = null;
  };

  for (const point of points) {
    if (!Number.isFinite(point.y)) {
      flush();
      // One gap marker stands for a run of them.
      if (out.length === 0 || Number.isFinite(out.at(-1)?.y)) out.push(point);
      current = Number.NaN;
      continue;
    }
    const at = Math.floor(column(point.x));
    if (at !== current) {
      flush();
      current = at;
      first = low = high = point;
    }
    if (point.y < (low as Point).y) low = point;
    if (point.y > (high as Point).y) high = point;
    last = point;
  }
  flush();
  return out;
}
