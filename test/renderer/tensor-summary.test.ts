import { describe, expect, it } from 'vitest';
import { traceBackprop, type TraceTensor } from '../../src/engine/teaching/backprop-trace';
import type { DenseWeights } from '../../src/engine/nn/weights';
import { columnLabel, columnName, isImageShaped, unitPicture } from '../../src/renderer/src/features/backprop/tensor-summary';

/** A dense layer whose weight from input i to unit j is `weight(i, j)`. */
function dense(inputs: number, outputs: number, weight: (i: number, j: number) => number): DenseWeights {
  const weights = Float32Array.from({ length: inputs * outputs }, (_, k) => weight(Math.floor(k / outputs), k % outputs));
  return { inputs, outputs, weights, biases: new Float32Array(outputs) };
}

/**
 * A 2×3 image (6 pixels) into 3 hidden units, then a hidden layer as wide as the image has pixels
 * (6), then 2 classes: W₂ has 6 rows too, but they are units, not pixels.
 */
const image = { rows: 2, cols: 3 };
const pixels = [0, 0.5, 1, 0, 0.25, 0.75];
const trace = traceBackprop(
  [dense(6, 3, (i, j) => Math.sin(7 * i + 3 * j + 1) * 0.5), dense(3, 6, (i, j) => Math.sin(5 * i + 2 * j + 2) * 0.5), dense(6, 2, (i, j) => Math.sin(3 * i + 11 * j + 3) * 0.5)],
  'tanh',
  pixels,
  1,
  0.1,
);
const tensor = (name: string): TraceTensor => {
  const step = trace.steps.find((s) => s.result.name === name);
  if (!step) throw new Error(`no step ${name}`);
  return step.result;
};

describe('which tensors count as image-shaped', () => {
  it('the first layer’s weights after the update and their gradient, one row per pixel', () => {
    expect(isImageShaped(tensor('∂L/∂W₁'), image)).toBe(true);
    expect(isImageShaped(tensor('new W₁'), image)).toBe(true);
  });

  it('not a deeper layer’s matrix, even with as many rows as the image has pixels', () => {
    expect(tensor('∂L/∂W₃').rows).toBe(6);
    expect(isImageShaped(tensor('∂L/∂W₃'), image)).toBe(false);
    expect(isImageShaped(tensor('new W₃'), image)).toBe(false);
    expect(isImageShaped(tensor('new W₂'), image)).toBe(false);
  });

  it('not a vector, nor anything when the image size is unknown or does not match', () => {
    for (const name of ['z₁', 'a₁', 'p', 'L', 'δ₁', '∂L/∂b₁']) expect(isImageShaped(tensor(name), image)).toBe(false);
    expect(isImageShaped(tensor('∂L/∂W₁'), null)).toBe(false);
    expect(isImageShaped(tensor('∂L/∂W₁'), { rows: 3, cols: 3 })).toBe(false);
    expect(isImageShaped(tensor('∂L/∂W₁'), { rows: 1, cols: 6 })).toBe(false);
  });
});

describe('unitPicture', () => {
  it('is the unit’s column laid out as the image, on a scale symmetric around 0 up to its own largest |value|', () => {
    const w = tensor('new W₁');
    const picture = unitPicture(w, 2, image);
    if (!picture) throw new Error('no picture');
    expect(picture.rows).toBe(2);
    expect(picture.cols).toBe(3);
    // Pixel (r, c) is row r·cols + c of column 2.
    expect(Array.from(picture.values)).toEqual([0, 1, 2, 3, 4, 5].map((p) => w.values[p * 3 + 2]));
    expect(picture.maxAbs).toBe(Math.max(...Array.from(picture.values, Math.abs)));
    expect(picture.quantity).toBe('weight');
    expect(picture.label).toBe("Unit 3's 6 incoming weights (column 3 of new W₁) as a 2×3 image");
  });

  it('shows a gradient column as the input image times the unit’s δ, white where there is no ink', () => {
    const delta = tensor('δ₁').values;
    const picture = unitPicture(tensor('∂L/∂W₁'), 0, image);
    if (!picture) throw new Error('no picture');
    expect(delta[0]).not.toBe(0);
    Array.from(picture.values).forEach((v, p) => expect(v).toBeCloseTo(pixels[p] * delta[0], 12));
    expect(picture.maxAbs).toBeCloseTo(Math.abs(delta[0]), 12);
    expect(picture.quantity).toBe('gradient');
    expect(picture.label).toBe("Unit 1's 6 incoming weight gradients (column 1 of ∂L/∂W₁) as a 2×3 image");
    expect(picture.hint).toMatch(/update lowers/);
  });

  it('is null for a unit out of range and for tensors that are not image-shaped', () => {
    expect(unitPicture(tensor('new W₁'), 3, image)).toBeNull();
    expect(unitPicture(tensor('new W₁'), -1, image)).toBeNull();
    expect(unitPicture(tensor('new W₁'), 0.5, image)).toBeNull();
    expect(unitPicture(tensor('∂L/∂W₃'), 0, image)).toBeNull();
    expect(unitPicture(tensor('z₁'), 0, image)).toBeNull();
    expect(unitPicture(tensor('new W₁'), 0, null)).toBeNull();
  });
});

describe('how columns are named', () => {
  it('names the output layer’s columns by the class they stand for, 0-based: digit 1’s error is "1"', () => {
    for (const name of ['z₃', 'p', 'δ₃', '∂L/∂W₃', '∂L/∂b₃', 'new W₃']) {
      expect(tensor(name).classColumns, name).toBe(true);
      expect(columnName(tensor(name), 1)).toBe('digit 1');
      expect(columnLabel(tensor(name), 1)).toBe('1');
    }
  });

  it('counts hidden units from 1, as the Weights screen does', () => {
    for (const name of ['z₁', 'a₁', 'z₂', 'a₂', 'δ₁', 'δ₂', '∂L/∂W₁', '∂L/∂b₂', 'new W₂']) {
      expect(tensor(name).classColumns, name).toBeUndefined();
      expect(columnName(tensor(name), 0)).toBe('unit 1');
      expect(columnLabel(tensor(name), 2)).toBe('3');
    }
  });
});
