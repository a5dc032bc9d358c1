import { describe, expect, it } from 'vitest';
import { COURSE_PERCEPTRON_PRESET, circles, gaussianClusters, xorPoints } from '../../src/engine/teaching/gaussian-clusters';
import { Perceptron, trainPerceptron } from '../../src/engine/teaching/perceptron';
import { Rng } from '../../src/engine/nn/rng';

// The four points of the AND gate, used for hand-worked passes of the rule.
const AND_POINTS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const AND_LABELS = [0, 0, 0, 1];

describe('Perceptron', () => {
  it('starts at w = 0, b = 0, from given values, or from N(0, 1) weights with b = 0', () => {
    expect(Array.from(new Perceptron(3).weights)).toEqual([0, 0, 0]);
    const given = new Perceptron(2, { weights: [0.5, -1], bias: 0.25 });
    expect(Array.from(given.weights)).toEqual([0.5, -1]);
    expect(given.bias).toBe(0.25);
    const drawn = new Perceptron(2, new Rng(3));
    const rng = new Rng(3);
    expect(Array.from(drawn.weights)).toEqual([rng.normal(), rng.normal()]);
    expect(drawn.bias).toBe(0);
  });

  it('computes w·x + b and fires only when it is > 0', () => {
    const p = new Perceptron(2, { weights: [2, -1], bias: 0.5 });
    expect(p.activation([1, 3])).toBe(-0.5);
    expect(p.predict([1, 3])).toBe(0);
    expect(p.predict([1, 1])).toBe(1);
    // 2·1 − 1·2.5 + 0.5 = 0: on the boundary, not fired.
    expect(p.activation([1, 2.5])).toBe(0);
    expect(p.predict([1, 2.5])).toBe(0);
  });

  it('a missed 1 pulls w towards x: w = (0.5, −1), b = 0, x = (1, 2), y = 1, η = 0.1 → w = (0.6, −0.8), b = 0.1', () => {
    const p = new Perceptron(2, { weights: [0.5, -1], bias: 0 });
    const u = p.update([1, 2], 1, 0.1);
    // w·x + b = 0.5 − 2 = −1.5, so ŷ = 0; y − ŷ = 1.
    expect(u.activation).toBe(-1.5);
    expect(u.predicted).toBe(0);
    expect(u.target).toBe(1);
    expect(u.mistake).toBe(true);
    expect(Array.from(u.weightsBefore)).toEqual([0.5, -1]);
    expect(u.biasBefore).toBe(0);
    expect(u.weightsAfter[0]).toBeCloseTo(0.6, 15);
    expect(u.weightsAfter[1]).toBeCloseTo(-0.8, 15);
    expect(u.biasAfter).toBeCloseTo(0.1, 15);
    expect(Array.from(p.weights)).toEqual(Array.from(u.weightsAfter));
    expect(p.bias).toBe(u.biasAfter);
  });

  it('a correct prediction changes nothing: w = (0.5, −1), x = (2, 0.5), y = 1', () => {
    const p = new Perceptron(2, { weights: [0.5, -1], bias: 0 });
    // 1 − 0.5 = 0.5 > 0, so ŷ = 1 = y.
    const u = p.update([2, 0.5], 1, 0.1);
    expect(u.mistake).toBe(false);
    expect(u.predicted).toBe(1);
    expect(Array.from(u.weightsAfter)).toEqual([0.5, -1]);
    expect(u.biasAfter).toBe(0);
    expect(Array.from(p.weights)).toEqual([0.5, -1]);
  });

  it('a false fire pushes w away from x: w = (1, 1), b = 0.5, x = (2, −1), y = 0, η = 0.5 → w = (0, 1.5), b = 0', () => {
    const p = new Perceptron(2, { weights: [1, 1], bias: 0.5 });
    // 2 − 1 + 0.5 = 1.5 > 0, so ŷ = 1; y − ŷ = −1: w − 0.5·(2, −1), b − 0.5.
    const u = p.update([2, -1], 0, 0.5);
    expect(u.predicted).toBe(1);
    expect(u.mistake).toBe(true);
    expect(Array.from(p.weights)).toEqual([0, 1.5]);
    expect(p.bias).toBe(0);
  });

  it('a 1 lying exactly on the boundary is a mistake: w = (1, −1), x = (3, 3), y = 1, η = 0.25 → w = (1.75, −0.25), b = 0.25', () => {
    const p = new Perceptron(2, { weights: [1, -1], bias: 0 });
    const u = p.update([3, 3], 1, 0.25);
    expect(u.activation).toBe(0);
    expect(u.mistake).toBe(true);
    expect(Array.from(p.weights)).toEqual([1.75, -0.25]);
    expect(p.bias).toBe(0.25);
  });

  it('works in 3-D: from w = 0, x = (1, −2, 3), y = 1, η = 0.5 → w = (0.5, −1, 1.5), b = 0.5', () => {
    const p = new Perceptron(3);
    expect(p.update([1, -2, 3], 0, 0.5).mistake).toBe(false);
    p.update([1, -2, 3], 1, 0.5);
    expect(Array.from(p.weights)).toEqual([0.5, -1, 1.5]);
    expect(p.bias).toBe(0.5);
  });

  it('reports copies, so a later update does not rewrite an earlier report', () => {
    const p = new Perceptron(2);
    const first = p.update([1, 1], 1, 1);
    p.update([2, 0], 0, 1);
    expect(Array.from(first.weightsAfter)).toEqual([1, 1]);
    expect(Array.from(p.weights)).toEqual([-1, 1]);
  });

  it('trains a pass over AND by hand: epoch 1 misses (1,1) only, epoch 2 misses points 0, 1 and 3', () => {
    const p = new Perceptron(2);
    // From w = 0, b = 0 nothing fires: only (1,1) is wrong → w = (1, 1), b = 1.
    expect(p.trainEpoch(AND_POINTS, AND_LABELS, 1)).toEqual({ mistakes: 1, accuracy: 0.75, updates: [3] });
    expect(Array.from(p.weights)).toEqual([1, 1]);
    expect(p.bias).toBe(1);
    // (0,0): 1 → fire, wrong → b = 0. (0,1): 1 → wrong → w = (1, 0), b = −1.
    // (1,0): 0 → right. (1,1): 0 → wrong → w = (2, 1), b = 0.
    expect(p.trainEpoch(AND_POINTS, AND_LABELS, 1)).toEqual({ mistakes: 3, accuracy: 0.25, updates: [0, 1, 3] });
    expect(Array.from(p.weights)).toEqual([2, 1]);
    expect(p.bias).toBe(0);
  });

  it('visits points in the given order and reports original indices', () => {
    const p = new Perceptron(2);
    // (1,1) → w = (1,1), b = 1; (1,0): 2 → w = (0,1), b = 0; (0,1): 1 → w = (0,0), b = −1; (0,0): −1, right.
    expect(p.trainEpoch(AND_POINTS, AND_LABELS, 1, [3, 2, 1, 0]).updates).toEqual([3, 2, 1]);
    expect(Array.from(p.weights)).toEqual([0, 0]);
    expect(p.bias).toBe(-1);
  });

  it('converges on AND in epoch 6 at w = (2, 1), b = −2 (worked by hand)', () => {
    const p = new Perceptron(2);
    const result = trainPerceptron(p, AND_POINTS, AND_LABELS, { learningRate: 1, maxEpochs: 50 });
    expect(result.converged).toBe(true);
    expect(result.epochs).toBe(6);
    expect(result.history.map((e) => e.updates)).toEqual([[3], [0, 1, 3], [1, 2, 3], [2, 3], [1], []]);
    expect(Array.from(p.weights)).toEqual([2, 1]);
    expect(p.bias).toBe(-2);
    expect(p.accuracy(AND_POINTS, AND_LABELS)).toBe(1);
    expect(result.message).toMatch(/Converged in epoch 6/);
  });

  it('refuses mismatched shapes, labels other than 0/1 and a learning rate ≤ 0, saying what is wrong', () => {
    const p = new Perceptron(2);
    expect(() => p.predict([1, 2, 3])).toThrow('Perceptron(2 inputs) got a point with 3 coordinates; every point needs 2.');
    expect(() => p.trainEpoch([[1, 2], [3]], [0, 1], 0.1)).toThrow('point 1 has 1 coordinates');
    expect(() => p.trainEpoch([[1, 2]], [0, 1], 0.1)).toThrow('1 points but 2 labels');
    expect(() => p.trainEpoch([[1, 2]], [2], 0.1)).toThrow("Label 0 is 2; a binary perceptron's labels are 0 or 1.");
    expect(() => p.trainEpoch([], [], 0.1)).toThrow('at least one point');
    expect(() => p.trainEpoch([[1, 2]], [1], 0)).toThrow('The learning rate must be a number > 0; got 0.');
    expect(() => p.trainEpoch(AND_POINTS, AND_LABELS, 1, [0, 1, 2, 4])).toThrow('index 4');
    expect(() => p.update([1, 2], 1, Number.NaN)).toThrow('learning rate');
    expect(() => new Perceptron(0)).toThrow('≥ 1');
    expect(() => new Perceptron(2, { weights: [1, 2, 3] })).toThrow('3 starting weights');
  });
});

describe('the course blog’s experiment', () => {
  const preset = COURSE_PERCEPTRON_PRESET;

  function run(dataSeed: number, initSeed: number): { weights: number[]; bias: number; mistakes: number[] } {
    const data = gaussianClusters({ ...preset, seed: dataSeed });
    const p = new Perceptron(2, new Rng(initSeed));
    const mistakes = [];
    for (let e = 0; e < preset.epochs; e++) mistakes.push(p.trainEpoch(data.points, data.labels, preset.learningRate).mistakes);
    return { weights: Array.from(p.weights), bias: p.bias, mistakes };
  }

  it('reaches 100 % accuracy within its 3 epochs at η = 0.001 with the preset seeds', () => {
    const data = gaussianClusters(preset);
    const p = new Perceptron(2, new Rng(preset.initSeed));
    const result = trainPerceptron(p, data.points, data.labels, { learningRate: preset.learningRate, maxEpochs: preset.epochs });
    expect(result.converged).toBe(true);
    expect(result.epochs).toBeLessThanOrEqual(3);
    expect(p.accuracy(data.points, data.labels)).toBe(1);
  });

  it('from w = 0 converges within 3 epochs for every data seed tried (the rule is then scale-free in η)', () => {
    for (let seed = 0; seed < 20; seed++) {
      const data = gaussianClusters({ ...preset, seed });
      const result = trainPerceptron(new Perceptron(2), data.points, data.labels, { learningRate: preset.learningRate, maxEpochs: 3 });
      expect(result.converged, `seed ${seed}`).toBe(true);
    }
  });

  it('is reproducible from its seeds, and different seeds give different runs', () => {
    expect(run(7, 8)).toEqual(run(7, 8));
    expect(run(7, 8).weights).not.toEqual(run(9, 8).weights);
    expect(run(7, 8).weights).not.toEqual(run(7, 10).weights);
  });

  it('shuffles each epoch from an Rng, reproducibly', () => {
    const data = gaussianClusters({ ...preset, seed: 3 });
    const train = (orderSeed: number): number[][] => {
      const p = new Perceptron(2, new Rng(4));
      return trainPerceptron(p, data.points, data.labels, { learningRate: 0.001, maxEpochs: 3, rng: new Rng(orderSeed) }).history.map((e) => e.updates);
    };
    expect(train(5)).toEqual(train(5));
    expect(train(5)).not.toEqual(train(6));
  });
});

describe('data a perceptron cannot separate', () => {
  it('XOR never converges, and the result says so', () => {
    const xor = xorPoints();
    const result = trainPerceptron(new Perceptron(2), xor.points, xor.labels, { learningRate: 1, maxEpochs: 1000 });
    expect(result.converged).toBe(false);
    expect(result.epochs).toBe(1000);
    expect(result.history).toHaveLength(1000);
    expect(result.history.every((e) => e.mistakes > 0)).toBe(true);
    expect(result.message).toMatch(/Did not converge: every one of 1000 epochs still made mistakes/);
    expect(result.message).toMatch(/not linearly separable/);
  });

  it('jittered XOR and concentric circles do not converge from a random start with shuffling either', () => {
    for (const data of [xorPoints({ countPerCorner: 25, spread: 0.1, seed: 1, shuffle: true }), circles({ countPerClass: 50, seed: 2, shuffle: true })]) {
      const p = new Perceptron(2, new Rng(3));
      const result = trainPerceptron(p, data.points, data.labels, { learningRate: 0.1, maxEpochs: 200, rng: new Rng(4) });
      expect(result.converged).toBe(false);
      expect(p.accuracy(data.points, data.labels)).toBeLessThan(1);
    }
  });

  it('refuses a maxEpochs that is not a whole number ≥ 1', () => {
    expect(() => trainPerceptron(new Perceptron(2), AND_POINTS, AND_LABELS, { learningRate: 1, maxEpochs: 0 })).toThrow('maxEpochs');
  });
});
