import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '../../src/engine/nn/softmax-cross-entropy';

function run(logits: number[], label: number) {
  const grad = new Float32Array(logits.length);
  const probs = new Float32Array(logits.length);
  const result = softmaxCrossEntropy(Float32Array.from(logits), [label], 1, logits.length, grad, probs);
  return { ...result, grad, probs };
}

describe('softmax cross-entropy', () => {
  it('matches a hand computation: logits (1, 2, 3), answer 0', () => {
    const { loss, grad, probs } = run([1, 2, 3], 0);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(loss).toBeCloseTo(Math.log(z) - 1, 6);
    expect(probs[2]).toBeCloseTo(Math.exp(3) / z, 6);
    expect(grad[0]).toBeCloseTo(Math.exp(1) / z - 1, 6);
    expect(grad[1]).toBeCloseTo(Math.exp(2) / z, 6);
  });

  it('equal logits: loss log C, probabilities 1/C', () => {
    const { loss, probs, correct } = run([0.5, 0.5, 0.5, 0.5], 2);
    expect(loss).toBeCloseTo(Math.log(4), 6);
    for (const p of probs) expect(p).toBeCloseTo(0.25, 6);
    // Ties go to the lowest class, so answer 2 does not count as right.
    expect(correct).toBe(0);
  });

  it('overflow: huge logits stay finite (e^1000 would be Infinity)', () => {
    const right = run([1000, 0, -1000], 0);
    expect(right.loss).toBe(0);
    expect(Array.from(right.grad).every(Number.isFinite)).toBe(true);
    const wrong = run([1000, 0, -1000], 2);
    expect(wrong.loss).toBeCloseTo(2000, 3);
    expect(wrong.grad[2]).toBeCloseTo(-1, 6);
    expect(wrong.grad[0]).toBeCloseTo(1, 6);
  });

  it('overflow: the largest float32 logits stay finite', () => {
    const max = 3.4e38;
    const { loss, grad } = run([max, -max, 0], 1);
    expect(Number.isFinite(loss)).toBe(true);
    expect(Array.from(grad).every(Number.isFinite)).toBe(true);
  });

  it('underflow: tiny logits give the uniform answer', () => {
    const { loss, grad } = run([1e-30, -1e-30, 1e-38], 0);
    expect(loss).toBeCloseTo(Math.log(3), 6);
    expect(grad[0]).toBeCloseTo(1 / 3 - 1, 6);
  });

  it('propagates NaN: a NaN logit gives a NaN loss (so training can detect divergence)', () => {
    expect(run([Number.NaN, 1, 2], 0).loss).toBeNaN();
  });

  it('averages over the batch and divides the gradient by N once', () => {
    const logits = Float32Array.from([2, 0, 0, 2]);
    const grad = new Float32Array(4);
    const { loss, correct } = softmaxCrossEntropy(logits, [0, 0], 2, 2, grad);
    const right = Math.log(1 + Math.exp(-2));
    const wrong = Math.log(1 + Math.exp(2));
    expect(loss).toBeCloseTo((right + wrong) / 2, 6);
    expect(correct).toBe(1);
    const p = 1 / (1 + Math.exp(-2));
    expect(grad[0]).toBeCloseTo((p - 1) / 2, 6);
    expect(grad[2]).toBeCloseTo((1 - p - 1) / 2, 6);
  });

  it('refuses logits that do not match the class count, and labels outside it', () => {
    expect(() => softmaxCrossEntropy(new Float32Array(6), [0, 1], 2, 10)).toThrow(/one unit per class/);
    expect(() => softmaxCrossEntropy(new Float32Array(4), [0, 7], 2, 2)).toThrow(/Label 7 in row 1/);
  });
});
