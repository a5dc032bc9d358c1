import { describe, expect, it } from 'vitest';
import { boundsAround, perceptronBoundaryLine, sampleDecisionGrid, type Bounds, type Segment } from '../../src/engine/teaching/decision-grid';
import { Perceptron } from '../../src/engine/teaching/perceptron';

const SQUARE: Bounds = { xMin: -2, xMax: 2, yMin: -2, yMax: 2 };

function expectSegment(segment: Segment | null, from: [number, number], to: [number, number]): void {
  expect(segment).not.toBeNull();
  const s = segment as Segment;
  [...s.from, ...s.to].forEach((v, i) => expect(v).toBeCloseTo([...from, ...to][i], 12));
}

describe('sampleDecisionGrid', () => {
  it('puts x > 0 in the right half: column 0 is the left edge', () => {
    const grid = sampleDecisionGrid((x) => (x > 0 ? 1 : 0), { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }, { cols: 4, rows: 2 });
    expect(grid.cols).toBe(4);
    expect(grid.rows).toBe(2);
    expect(Array.from(grid.values)).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('puts y > 0 in the top rows: row 0 is the top edge (yMax)', () => {
    const grid = sampleDecisionGrid((_, y) => (y > 0 ? 1 : 0), { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }, { cols: 3, rows: 4 });
    expect(Array.from(grid.values)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('samples at cell centres, row-major', () => {
    // Cells are 1 × 1 over x 0…4, y 0…2: centres x = 0.5 … 3.5, y = 1.5 (row 0) and 0.5 (row 1).
    const grid = sampleDecisionGrid((x, y) => x + 10 * y, { xMin: 0, xMax: 4, yMin: 0, yMax: 2 }, { cols: 4, rows: 2 });
    expect(Array.from(grid.values)).toEqual([15.5, 16.5, 17.5, 18.5, 5.5, 6.5, 7.5, 8.5]);
  });

  it('paints a perceptron’s two half-planes', () => {
    // Fires where x − y − 0.5 > 0, below the diagonal.
    const p = new Perceptron(2, { weights: [1, -1], bias: -0.5 });
    const grid = sampleDecisionGrid((x, y) => p.predict([x, y]), { xMin: 0, xMax: 3, yMin: 0, yMax: 3 }, { cols: 3, rows: 3 });
    // Centres: rows y = 2.5, 1.5, 0.5; columns x = 0.5, 1.5, 2.5.
    expect(Array.from(grid.values)).toEqual([0, 0, 0, 0, 0, 1, 0, 1, 1]);
  });

  it('refuses empty grids and inverted bounds', () => {
    expect(() => sampleDecisionGrid(() => 0, SQUARE, { cols: 0, rows: 2 })).toThrow('columns and rows ≥ 1; got 0 × 2');
    expect(() => sampleDecisionGrid(() => 0, { ...SQUARE, xMax: -3 }, { cols: 2, rows: 2 })).toThrow('xMin < xMax');
  });
});

describe('boundsAround', () => {
  const points = [[1, 2], [-3, 5], [0, -1]];

  it('widens the points’ extent by 1 on each side by default, like the course’s plots', () => {
    expect(boundsAround(points)).toEqual({ xMin: -4, xMax: 2, yMin: -2, yMax: 6 });
  });

  it('takes another margin', () => {
    expect(boundsAround(points, 0.5)).toEqual({ xMin: -3.5, xMax: 1.5, yMin: -1.5, yMax: 5.5 });
    expect(() => boundsAround([])).toThrow('at least one point');
  });
});

describe('perceptronBoundaryLine', () => {
  it('draws a vertical line for w = (1, 0): x = 1, going up (firing side x > 1 on the right)', () => {
    expectSegment(perceptronBoundaryLine([1, 0], -1, SQUARE), [1, -2], [1, 2]);
  });

  it('draws a horizontal line for w = (0, 2), b = −1: y = 0.5, going left (firing side above, on the right)', () => {
    expectSegment(perceptronBoundaryLine([0, 2], -1, SQUARE), [2, 0.5], [-2, 0.5]);
  });

  it('draws the diagonal x + y = 0 corner to corner', () => {
    expectSegment(perceptronBoundaryLine([1, 1], 0, SQUARE), [2, -2], [-2, 2]);
  });

  it('clips x − y = 1 between the bottom and right sides', () => {
    // y = x − 1 meets y = −2 at x = −1 and x = 2 at y = 1.
    expectSegment(perceptronBoundaryLine([1, -1], -1, SQUARE), [-1, -2], [2, 1]);
  });

  it('has the firing side on the right of from → to, and its ends on the line', () => {
    for (const [w0, w1, b] of [[0.3, -1.7, 0.4], [-2, 0.5, 1], [1, 3, -2]]) {
      const s = perceptronBoundaryLine([w0, w1], b, SQUARE) as Segment;
      for (const [x, y] of [s.from, s.to]) expect(w0 * x + w1 * y + b).toBeCloseTo(0, 12);
      const [dx, dy] = [s.to[0] - s.from[0], s.to[1] - s.from[1]];
      const mid = [(s.from[0] + s.to[0]) / 2, (s.from[1] + s.to[1]) / 2];
      // (dy, −dx) is the direction turned clockwise: the right-hand side in y-up coordinates.
      const right = [mid[0] + 0.01 * dy, mid[1] - 0.01 * dx];
      expect(w0 * right[0] + w1 * right[1] + b).toBeGreaterThan(0);
    }
  });

  it('is null when w = 0 or when the line misses the bounds', () => {
    expect(perceptronBoundaryLine([0, 0], 1, SQUARE)).toBeNull();
    expect(perceptronBoundaryLine([0, 0], 0, SQUARE)).toBeNull();
    expect(perceptronBoundaryLine([1, 0], -5, SQUARE)).toBeNull();
    expect(perceptronBoundaryLine([0, 1], 3, SQUARE)).toBeNull();
    expect(perceptronBoundaryLine([1, 1], -10, SQUARE)).toBeNull();
  });

  it('refuses weights that are not 2-D', () => {
    expect(() => perceptronBoundaryLine([1, 2, 3], 0, SQUARE)).toThrow('exactly 2 weights');
  });
});
