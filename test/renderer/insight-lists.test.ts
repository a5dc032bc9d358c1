import { describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../src/shared/insight-api';
import { cellIndices, misclassified, probabilitiesOf } from '../../src/renderer/src/features/evaluate/evaluation-lists';
import { gridShape } from '../../src/renderer/src/ui/tile-grid';

/** Five images of three classes; image i's probabilities are given row by row. */
function report(labels: number[], predictions: number[], probabilities: number[][]): EvaluationReport {
  return {
    count: labels.length,
    accuracy: 0,
    loss: 0,
    confusion: [],
    perClassAccuracy: [],
    labels: Uint8Array.from(labels),
    predictions: Uint8Array.from(predictions),
    probabilities: Float32Array.from(probabilities.flat()),
    classes: 3,
  };
}

const r = report(
  [0, 1, 2, 1, 0],
  [0, 2, 2, 2, 1],
  [
    [0.9, 0.05, 0.05],
    [0.1, 0.3, 0.6],
    [0.0, 0.1, 0.9],
    [0.05, 0.05, 0.9],
    [0.4, 0.5, 0.1],
  ],
);

describe('Evaluate screen lists', () => {
  it('finds the images of one confusion-matrix cell, in index order', () => {
    expect(cellIndices(r, { truth: 1, predicted: 2 })).toEqual([1, 3]);
    expect(cellIndices(r, { truth: 0, predicted: 0 })).toEqual([0]);
    expect(cellIndices(r, { truth: 2, predicted: 0 })).toEqual([]);
  });

  it('lists the mistakes by the confidence of the wrong answer, either way, ties by index', () => {
    expect(misclassified(r, true)).toEqual([3, 1, 4]);
    expect(misclassified(r, false)).toEqual([4, 1, 3]);
    const tied = report([0, 0], [1, 1], [[0.2, 0.8, 0], [0.2, 0.8, 0]]);
    expect(misclassified(tied, true)).toEqual([0, 1]);
  });

  it('reads one image\'s probabilities', () => {
    expect(Array.from(probabilitiesOf(r, 4))).toEqual([0.4, 0.5, 0.1].map((v) => Math.fround(v)));
  });
});

describe('weight-tile grid', () => {
  it.each([
    [16, 6, 3],
    [64, 11, 6],
    [512, 29, 18],
    [1, 1, 1],
  ])('%i units → %i columns × %i rows, wider than tall, every unit placed', (units, cols, rows) => {
    const shape = gridShape(units);
    expect(shape).toEqual({ cols, rows });
    expect(shape.cols * shape.rows).toBeGreaterThanOrEqual(units);
    expect(shape.cols * (shape.rows - 1)).toBeLessThan(units);
  });
});
