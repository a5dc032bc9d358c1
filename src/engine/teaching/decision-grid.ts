/** An axis-aligned rectangle of the plane, in data coordinates (y grows upwards). */
export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** How many cells a decision grid has across (cols) and down (rows). */
export interface GridResolution {
  cols: number;
  rows: number;
}

/** A classifier's output sampled on a grid, ready to paint as an image. */
export interface DecisionGrid {
  cols: number;
  rows: number;
  /**
   * rows × cols outputs, row-major. Row 0 is the *top* of the picture (y near yMax) and column 0 the
   * left (x near xMin), the order of a canvas's pixels, so row r, column c is pixel (c, r).
   */
  values: Float32Array;
}

/** A segment between two points of the plane. */
export interface Segment {
  from: readonly [number, number];
  to: readonly [number, number];
}

/**
 * Samples `classify` at the centre of every cell of a cols × rows grid over `bounds`:
 *
 *   values[r·cols + c] = classify(xMin + (c + ½)·Δx, yMax − (r + ½)·Δy),  Δx = (xMax − xMin)/cols, Δy = (yMax − yMin)/rows.
 *
 * Centres rather than corners, so that each value stands for the whole cell painted with it and the
 * picture is not shifted by half a cell.
 */
export function sampleDecisionGrid(classify: (x: number, y: number) => number, bounds: Bounds, resolution: GridResolution): DecisionGrid {
  checkBounds(bounds);
  const { cols, rows } = resolution;
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 1 || rows < 1) {
    throw new RangeError(`A decision grid needs whole numbers of columns and rows ≥ 1; got ${cols} × ${rows}.`);
  }
  const dx = (bounds.xMax - bounds.xMin) / cols;
  const dy = (bounds.yMax - bounds.yMin) / rows;
  const values = new Float32Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    const y = bounds.yMax - (r + 0.5) * dy;
    for (let c = 0; c < cols; c++) values[r * cols + c] = classify(bounds.xMin + (c + 0.5) * dx, y);
  }
  return { cols, rows, values };
}

/**
 * The smallest rectangle holding every point's (x, y), widened by `margin` on each side, as the course
 * drew its plots (min − 1 to max + 1).
 */
export function boundsAround(points: ReadonlyArray<ArrayLike<number>>, margin = 1): Bounds {
  if (points.length === 0) throw new RangeError('boundsAround needs at least one point.');
  if (!Number.isFinite(margin) || margin < 0) throw new RangeError(`The margin must be a number ≥ 0; got ${margin}.`);
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const p of points) {
    xMin = Math.min(xMin, p[0]);
    xMax = Math.max(xMax, p[0]);
    yMin = Math.min(yMin, p[1]);
    yMax = Math.max(yMax, p[1]);
  }
  return { xMin: xMin - margin, xMax: xMax + margin, yMin: yMin - margin, yMax: yMax + margin };
}

/**
 * The part of the line w₀x + w₁y + b = 0 inside `bounds`, for drawing a perceptron's boundary; null
 * when w = 0 (there is no line: the output is the same everywhere) or when the line misses the
 * rectangle.
 *
 * The line is p(t) = p₀ + t·d with p₀ = −b·w/|w|² (its point nearest the origin) and d = (−w₁, w₀),
 * clipped against the four sides (Liang–Barsky). Going from `from` to `to`, the side that fires
 * (w·x + b > 0, where w points) is on the right, in y-up coordinates.
 */
export function perceptronBoundaryLine(w: ArrayLike<number>, b: number, bounds: Bounds): Segment | null {
  if (w.length !== 2) throw new RangeError(`A boundary line needs exactly 2 weights (a 2-D perceptron); got ${w.length}.`);
  checkBounds(bounds);
  const [w0, w1] = [w[0], w[1]];
  const norm2 = w0 * w0 + w1 * w1;
  if (norm2 === 0) return null;
  const px = (-b * w0) / norm2;
  const py = (-b * w1) / norm2;
  const dx = -w1;
  const dy = w0;
  let tMin = -Infinity;
  let tMax = Infinity;
  // Each side keeps the half-line on its inner side: low ≤ p + t·d ≤ high, per axis.
  for (const [p, d, low, high] of [
    [px, dx, bounds.xMin, bounds.xMax],
    [py, dy, bounds.yMin, bounds.yMax],
  ]) {
    if (d === 0) {
      if (p < low || p > high) return null;
      continue;
    }
    const t1 = (low - p) / d;
    const t2 = (high - p) / d;
    tMin = Math.max(tMin, Math.min(t1, t2));
    tMax = Math.min(tMax, Math.max(t1, t2));
  }
  if (tMin > tMax) return null;
  return {
    from: [clamp(px + tMin * dx, bounds.xMin, bounds.xMax), clamp(py + tMin * dy, bounds.yMin, bounds.yMax)],
    to: [clamp(px + tMax * dx, bounds.xMin, bounds.xMax), clamp(py + tMax * dy, bounds.yMin, bounds.yMax)],
  };
}

// Rounding in p + t·d can land a hair outside the rectangle; the endpoints should lie on its sides.
function clamp(v: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, v));
}

function checkBounds(bounds: Bounds): void {
  const { xMin, xMax, yMin, yMax } = bounds;
  if (!(xMin < xMax) || !(yMin < yMax) || ![xMin, xMax, yMin, yMax].every(Number.isFinite)) {
    throw new RangeError(`Bounds need finite xMin < xMax and yMin < yMax; got x ${xMin}…${xMax}, y ${yMin}…${yMax}.`);
  }
}
