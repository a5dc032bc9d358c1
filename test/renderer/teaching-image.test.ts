import { describe, expect, it } from 'vitest';
import { UNSURE_BELOW, chooseTeachingImage, softmaxRow } from '../../src/renderer/src/features/backprop/teaching-image';

/** Logits for three classes that give class `top` probability about `p` (the rest shared equally). */
function row(top: number, p: number): number[] {
  const rest = (1 - p) / 2;
  return [0, 1, 2].map((c) => Math.log(c === top ? p : rest));
}

describe('the step-through’s default image', () => {
  it('is the first image the network gets wrong, even after unsure ones', () => {
    const logits = [...row(0, 0.99), ...row(1, 0.6), ...row(2, 0.95), ...row(0, 0.7)];
    // Image 1 is unsure (right, p = 0.6), image 2 is wrong (says 2, the label is 1).
    expect(chooseTeachingImage(logits, [0, 1, 1, 0], 3)).toEqual({ position: 2, reason: 'wrong', predicted: 2, probability: expect.closeTo(0.95, 10) });
  });

  it('is the first unsure image when the network gets every one right', () => {
    const logits = [...row(0, 0.99), ...row(1, 0.6), ...row(2, 0.5)];
    expect(chooseTeachingImage(logits, [0, 1, 2], 3)).toEqual({ position: 1, reason: 'unsure', predicted: 1, probability: expect.closeTo(0.6, 10) });
  });

  it('is none when the network is right and sure of every image, so the caller falls back and says so', () => {
    const logits = [...row(0, 0.99), ...row(1, 0.95)];
    expect(chooseTeachingImage(logits, [0, 1], 3)).toBeNull();
    expect(chooseTeachingImage([], [], 3)).toBeNull();
  });

  it('counts a largest probability just under the threshold as unsure, and one at it as sure', () => {
    expect(chooseTeachingImage(row(0, UNSURE_BELOW - 1e-6), [0], 3)?.reason).toBe('unsure');
    expect(chooseTeachingImage(row(0, UNSURE_BELOW + 1e-9), [0], 3)).toBeNull();
  });

  it('takes an untrained network’s near-uniform answer as unsure when right, wrong when not', () => {
    expect(chooseTeachingImage(new Array(10).fill(0.01), [0], 10)).toEqual({ position: 0, reason: 'unsure', predicted: 0, probability: expect.closeTo(0.1, 12) });
    expect(chooseTeachingImage(new Array(10).fill(0.01), [3], 10)?.reason).toBe('wrong');
  });

  it('computes softmax of one row without overflow on large logits', () => {
    // The row starting at 1: logits 1000, 0, 5.
    const p = softmaxRow([7, 1000, 0, 5], 1, 3);
    expect(p[0]).toBeCloseTo(1, 12);
    expect(p[1]).toBe(0);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
