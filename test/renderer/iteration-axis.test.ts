import { describe, expect, it } from 'vitest';
import { displayPoints, logTickShown, xOf, xRange, xTickLabel, xTitle, type RunShape } from '../../src/renderer/src/features/train/iteration-axis';

/** MNIST at batch 64: 938 minibatches an epoch, the last one of 32 images; 5 epochs. */
const MNIST_64: RunShape = { batchSize: 64, batchesPerEpoch: 938, trainCount: 60_000, totalIterations: 4690 };

describe('iteration axis', () => {
  it('places an iteration in iterations, images seen or epochs', () => {
    expect(xOf(1, 'iterations', MNIST_64)).toBe(1);
    expect(xOf(1, 'images', MNIST_64)).toBe(64);
    expect(xOf(937, 'images', MNIST_64)).toBe(59_968);
    // The epoch's last minibatch is short: the epoch ends at exactly 60,000 images.
    expect(xOf(938, 'images', MNIST_64)).toBe(60_000);
    expect(xOf(939, 'images', MNIST_64)).toBe(60_064);
    expect(xOf(4690, 'images', MNIST_64)).toBe(300_000);
    expect(xOf(0, 'images', MNIST_64)).toBe(0);
    expect(xOf(469, 'epochs', MNIST_64)).toBeCloseTo(0.5, 12);
    expect(xOf(4690, 'epochs', MNIST_64)).toBe(5);
  });

  it('spans the whole run, its first epoch, or the whole run on a log scale from the first minibatch', () => {
    expect(xRange('iterations', 'run', MNIST_64)).toEqual({ type: 'linear', min: 0, max: 4690 });
    expect(xRange('images', 'first-epoch', MNIST_64)).toEqual({ type: 'linear', min: 0, max: 60_000 });
    expect(xRange('epochs', 'first-epoch', MNIST_64)).toEqual({ type: 'linear', min: 0, max: 1 });
    expect(xRange('images', 'log', MNIST_64)).toEqual({ type: 'logarithmic', min: 64, max: 300_000 });
    // A run shorter than an epoch: the first-epoch span is the run.
    expect(xRange('iterations', 'first-epoch', { ...MNIST_64, totalIterations: 100 })).toEqual({ type: 'linear', min: 0, max: 100 });
    // A log axis always spans at least a factor of ten, even before a run has a length.
    expect(xRange('iterations', 'log', { batchSize: 1, batchesPerEpoch: 1, trainCount: 1, totalIterations: 1 })).toEqual({ type: 'logarithmic', min: 1, max: 10 });
  });

  it('labels axes and ticks in plain words and numbers', () => {
    expect(xTitle('iterations')).toBe('Iteration (minibatch)');
    expect(xTitle('images')).toBe('Images seen');
    expect(xTitle('epochs')).toBe('Epochs');
    expect(xTickLabel(120_000, 'images')).toBe('120,000');
    expect(xTickLabel(0.5, 'epochs')).toBe('0.5');
    // Before a run the axis spans 0 to 1: its fractional ticks stay unlabelled.
    expect([0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => xTickLabel(v, 'iterations'))).toEqual(['0', '', '', '', '', '1']);
    expect(xTickLabel(1 / 3, 'epochs')).toBe('0.33');
    expect([1, 2, 3, 5, 10, 20, 40, 50, 100, 200, 500, 700, 1000, 64].filter(logTickShown)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    expect(logTickShown(0)).toBe(false);
  });

  it('draws only what the axis shows: the first epoch plus one point to reach its edge', () => {
    const loss = Array.from({ length: 4690 }, (_, i) => ({ x: i + 1, y: 2.4 / (1 + i / 20) }));
    const range = xRange('iterations', 'first-epoch', MNIST_64);
    const drawn = displayPoints(loss, 'iterations', MNIST_64, range, 10_000);
    expect(drawn.length).toBe(939);
    expect(drawn.at(-1)).toEqual({ x: 939, y: loss[938].y });
  });

  it('places a previous run by its own shape: batch 32 takes twice the minibatches for the same images', () => {
    const batch32: RunShape = { batchSize: 32, batchesPerEpoch: 1875, trainCount: 60_000, totalIterations: 1875 };
    const previous = [{ x: 1875, y: 0.3 }];
    const range = xRange('images', 'run', MNIST_64);
    expect(displayPoints(previous, 'images', batch32, range, 500)).toEqual([{ x: 60_000, y: 0.3 }]);
    expect(displayPoints(previous, 'epochs', batch32, xRange('epochs', 'run', MNIST_64), 500)).toEqual([{ x: 1, y: 0.3 }]);
  });

  it('decimates a long run to a few points a pixel column, keeping the first fall on a log axis', () => {
    const loss = Array.from({ length: 46_900 }, (_, i) => ({ x: i + 1, y: 2.4 / (1 + i / 20) + (i % 2) * 0.01 }));
    const shape = { ...MNIST_64, totalIterations: 46_900 };
    const linear = displayPoints(loss, 'iterations', shape, xRange('iterations', 'run', shape), 600);
    expect(linear.length).toBeLessThanOrEqual(4 * 601);
    const log = displayPoints(loss, 'iterations', shape, xRange('iterations', 'log', shape), 600);
    expect(log.length).toBeLessThanOrEqual(4 * 601);
    // On the log axis the first ten minibatches (the loss falling from 2.4) each get a column.
    expect(log.slice(0, 10).map((p) => p.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(linear[0]).toEqual(loss[0]);
  });
});
