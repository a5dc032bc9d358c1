import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/engine/training/dataset';
import { evaluate } from '../../src/engine/training/evaluate';
import { jsKernels } from '../../src/engine/kernels/js';
import { Network } from '../../src/engine/nn/network';

/**
 * A 2-pixel, 3-class network with hand-set weights: the logits are (p0, p1, 0.5·(p0+p1)) for pixels
 * scaled to [0, 1], so an image "wins" class 0 when its first pixel is brighter, class 1 when its
 * second is, and class 2 only when both are equal (0.5·2p = p ties, and ties go to the lowest class).
 */
function handNetwork(): Network {
  const network = new Network({ layers: [2, 3], activation: 'relu', init: 'he' }, jsKernels);
  network.dense[0].weights.set([1, 0, 0.5, 0, 1, 0.5]);
  network.dense[0].biases.fill(0);
  return network;
}

function images(pixels: number[][], labels: number[]): ImageSet {
  return { images: Uint8Array.from(pixels.flat()), labels: Uint8Array.from(labels), count: labels.length, rows: 1, cols: 2 };
}

describe('evaluate', () => {
  const set = images(
    [[255, 0], [200, 10], [0, 255], [10, 200], [0, 255]],
    [0, 0, 1, 1, 0],
  );

  it('counts accuracy, the confusion matrix and per-class accuracy by hand', () => {
    const result = evaluate(handNetwork(), set, 3, { batchSize: 2 });
    expect(result.count).toBe(5);
    expect(Array.from(result.predictions)).toEqual([0, 0, 1, 1, 1]);
    expect(result.accuracy).toBeCloseTo(4 / 5, 12);
    expect(result.confusion).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    // Class 2 has no images: its accuracy is unknown, not 0.
    expect(result.perClassAccuracy).toEqual([2 / 3, 1, null]);
  });

  it('gives the mean cross-entropy and, when asked, every image\'s probabilities', () => {
    const result = evaluate(handNetwork(), set, 3, { batchSize: 3, keepProbabilities: true });
    const p = result.probabilities!;
    expect(p).toHaveLength(15);
    // Image 0: logits (1, 0, 0.5).
    const z = Math.exp(1) + Math.exp(0) + Math.exp(0.5);
    expect(p[0]).toBeCloseTo(Math.exp(1) / z, 6);
    expect(p[1]).toBeCloseTo(1 / z, 6);
    let expectedLoss = 0;
    for (let i = 0; i < 5; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expectedLoss -= Math.log(row[set.labels[i]]);
    }
    expect(result.loss).toBeCloseTo(expectedLoss / 5, 5);
  });

  it('the batch size changes nothing', () => {
    const a = evaluate(handNetwork(), set, 3, { batchSize: 1 });
    const b = evaluate(handNetwork(), set, 3, { batchSize: 500 });
    expect(a.confusion).toEqual(b.confusion);
    expect(a.loss).toBeCloseTo(b.loss, 12);
  });
});
