import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../../src/renderer/src/ui/charts/decimate';

const points = (ys: number[]) => ys.map((y, i) => ({ x: i, y }));

describe('min-max decimation', () => {
  it('keeps the first, lowest, highest and last point of each column, in order', () => {
    // Columns of 5 points each.
    const data = points([3, 1, 9, 4, 5, 2, 2, 2, 2, 2]);
    const kept = decimateMinMax(data, (x) => x / 5);
    expect(kept).toEqual([
      { x: 0, y: 3 },
      { x: 1, y: 1 },
      { x: 2, y: 9 },
      { x: 4, y: 5 },
      { x: 5, y: 2 },
      { x: 9, y: 2 },
    ]);
  });

  it('keeps every point when each has its own column', () => {
    const data = points([1, 5, 2, 8]);
    expect(decimateMinMax(data, (x) => x)).toEqual(data);
  });

  it('draws at most four points a column however many fall in it, and keeps the extremes', () => {
    const data = Array.from({ length: 50_000 }, (_, i) => ({ x: i + 1, y: Math.sin(i) + (i === 31_337 ? 10 : 0) }));
    const kept = decimateMinMax(data, (x) => (x / 50_000) * 600);
    expect(kept.length).toBeLessThanOrEqual(4 * 601);
    expect(Math.max(...kept.map((p) => p.y))).toBe(Math.max(...data.map((p) => p.y)));
    expect(Math.min(...kept.map((p) => p.y))).toBe(Math.min(...data.map((p) => p.y)));
    expect(kept[0]).toBe(data[0]);
    expect(kept.at(-1)).toBe(data.at(-1));
    for (let i = 1; i < kept.length; i++) expect(kept[i].x).toBeGreaterThan(kept[i - 1].x);
  });

  it('keeps a run of non-numbers as one gap between the numbers', () => {
    const data = points([1, 2, Number.NaN, Number.NaN, 3, 4]);
    const kept = decimateMinMax(data, (x) => x / 10);
    expect(kept.map((p) => p.y)).toEqual([1, 2, Number.NaN, 3, 4]);
    expect(kept[2].x).toBe(2);
  });

  it('works on a log column (columns of many points late in the run)', () => {
    const data = Array.from({ length: 1000 }, (_, i) => ({ x: i + 1, y: 1 / (i + 1) }));
    const kept = decimateMinMax(data, (x) => (Math.log10(x) / 3) * 100);
    // The first points get a column each; the late ones share theirs.
    expect(kept.slice(0, 3).map((p) => p.x)).toEqual([1, 2, 3]);
    expect(kept.length).toBeLessThan(250);
    expect(decimateMinMax([], (x) => x)).toEqual([]);
  });
});
