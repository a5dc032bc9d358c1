import { describe, expect, it } from 'vitest';
import { COURSE_PERCEPTRON_PRESET, circles, gaussianClusters, xorPoints, type LabelledPoints } from '../../src/engine/teaching/gaussian-clusters';
import { mean, std } from '../helpers/arrays';

/** Column `axis` of the points whose label is `label`. */
function coordinates(data: LabelledPoints, label: number, axis: number): number[] {
  return data.points.filter((_, i) => data.labels[i] === label).map((p) => p[axis]);
}

/** Each (x, y, label) as a string, sorted, to compare two datasets as sets. */
function pairs(data: LabelledPoints): string[] {
  return data.points.map((p, i) => `${p[0]},${p[1]},${data.labels[i]}`).sort();
}

describe('gaussianClusters', () => {
  const large = gaussianClusters({ centres: [[-3, 2], [4, -1]], spread: 1.5, countPerClass: 20_000, seed: 11, shuffle: true });

  it('centres each class on its centre with standard deviation σ (20 000 points per class)', () => {
    // The standard error of a mean is σ/√n ≈ 0.011 and of a standard deviation σ/√(2n) ≈ 0.0075;
    // the tolerances below are over five standard errors.
    const centres = [[-3, 2], [4, -1]];
    for (const label of [0, 1]) {
      for (const axis of [0, 1]) {
        const values = coordinates(large, label, axis);
        expect(Math.abs(mean(values) - centres[label][axis])).toBeLessThan(0.06);
        expect(Math.abs(std(values) - 1.5)).toBeLessThan(0.04);
      }
    }
  });

  it('draws x and y independently (correlation near 0)', () => {
    for (const label of [0, 1]) {
      const xs = coordinates(large, label, 0);
      const ys = coordinates(large, label, 1);
      const mx = mean(xs);
      const my = mean(ys);
      let cov = 0;
      for (let i = 0; i < xs.length; i++) cov += (xs[i] - mx) * (ys[i] - my);
      const correlation = cov / xs.length / (std(xs) * std(ys));
      // Standard error 1/√n ≈ 0.007.
      expect(Math.abs(correlation)).toBeLessThan(0.04);
    }
  });

  it('balances the labels and mixes them when shuffled', () => {
    expect(large.points).toHaveLength(40_000);
    expect(large.labels).toHaveLength(40_000);
    expect(large.labels.reduce((s, l) => s + l, 0)).toBe(20_000);
    expect(new Set(large.labels.slice(0, 100))).toEqual(new Set([0, 1]));
  });

  it('puts class 0 first without shuffling, and shuffling keeps every point with its label', () => {
    const options = { centres: [[0, 0], [1, 1]], spread: 1, countPerClass: 50, seed: 5 } as const;
    const ordered = gaussianClusters({ ...options, shuffle: false });
    expect(Array.from(ordered.labels)).toEqual([...Array<number>(50).fill(0), ...Array<number>(50).fill(1)]);
    const shuffled = gaussianClusters({ ...options, shuffle: true });
    expect(shuffled.points).not.toEqual(ordered.points);
    expect(pairs(shuffled)).toEqual(pairs(ordered));
  });

  it('is reproducible from its seed, and different seeds differ', () => {
    const options = { centres: [[0, 0], [1, 1]], spread: 1, countPerClass: 10, shuffle: true } as const;
    expect(gaussianClusters({ ...options, seed: 1 })).toEqual(gaussianClusters({ ...options, seed: 1 }));
    expect(gaussianClusters({ ...options, seed: 1 }).points).not.toEqual(gaussianClusters({ ...options, seed: 2 }).points);
  });

  it('gives exact centres at σ = 0 and refuses bad counts and spreads', () => {
    const exact = gaussianClusters({ centres: [[1, 2], [3, 4]], spread: 0, countPerClass: 2, seed: 0, shuffle: false });
    expect(exact.points).toEqual([[1, 2], [1, 2], [3, 4], [3, 4]]);
    const base = { centres: [[0, 0], [1, 1]], seed: 0, shuffle: false } as const;
    expect(() => gaussianClusters({ ...base, spread: 1, countPerClass: 0 })).toThrow('countPerClass must be a whole number ≥ 1; got 0.');
    expect(() => gaussianClusters({ ...base, spread: -1, countPerClass: 5 })).toThrow('spread must be a number ≥ 0; got -1.');
  });
});

describe('COURSE_PERCEPTRON_PRESET', () => {
  it('is the blog’s setting: (−5, 5) and (5, 5), 100 each, σ = 1, η = 0.001, 3 epochs, seed 42', () => {
    const p = COURSE_PERCEPTRON_PRESET;
    expect(p.centres).toEqual([[-5, 5], [5, 5]]);
    expect([p.spread, p.countPerClass, p.learningRate, p.epochs, p.seed]).toEqual([1, 100, 0.001, 3, 42]);
  });

  it('draws independent noise for the two clusters (the blog reseeded, so its clusters were copies)', () => {
    const data = gaussianClusters({ ...COURSE_PERCEPTRON_PRESET, shuffle: false });
    const offsets = data.points.slice(0, 100).map((p, i) => [data.points[100 + i][0] - p[0], data.points[100 + i][1] - p[1]]);
    expect(offsets.some(([dx, dy]) => Math.abs(dx - 10) > 1e-9 || Math.abs(dy) > 1e-9)).toBe(true);
  });
});

describe('xorPoints', () => {
  it('is the XOR truth table by default', () => {
    const xor = xorPoints();
    expect(xor.points).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(Array.from(xor.labels)).toEqual([0, 1, 1, 0]);
  });

  it('jitters points around the corners, reproducibly, keeping label a XOR b', () => {
    const xor = xorPoints({ countPerCorner: 50, spread: 0.1, seed: 3, shuffle: true });
    expect(xor).toEqual(xorPoints({ countPerCorner: 50, spread: 0.1, seed: 3, shuffle: true }));
    expect(xor.points).toHaveLength(200);
    xor.points.forEach((p, i) => {
      // σ = 0.1, so every point is well within 0.5 of its corner.
      const a = Math.round(p[0]);
      const b = Math.round(p[1]);
      expect(xor.labels[i]).toBe(a ^ b);
    });
  });
});

describe('circles', () => {
  it('puts class 0 on the inner ring and class 1 on the outer one', () => {
    const data = circles({ countPerClass: 5000, innerRadius: 1, outerRadius: 3, noise: 0.2, seed: 9, shuffle: true });
    const radii = (label: number): number[] => data.points.filter((_, i) => data.labels[i] === label).map(([x, y]) => Math.hypot(x, y));
    // Standard error 0.2/√5000 ≈ 0.003.
    expect(Math.abs(mean(radii(0)) - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean(radii(1)) - 3)).toBeLessThan(0.02);
    // Angles are uniform, so the ring is centred on the origin.
    expect(Math.abs(mean(data.points.map((p) => p[0])))).toBeLessThan(0.1);
    expect(circles({ countPerClass: 5, seed: 1 })).toEqual(circles({ countPerClass: 5, seed: 1 }));
  });

  it('refuses an outer radius that is not larger than the inner one', () => {
    expect(() => circles({ countPerClass: 5, innerRadius: 2, outerRadius: 1, seed: 0 })).toThrow('outerRadius must exceed innerRadius');
  });
});
