import { describe, expect, it } from 'vitest';
import { CORRECT_STOPS, MISTAKE_STOPS, cellPaint, confusionScales, legendGradient } from '../../src/renderer/src/features/evaluate/confusion-colours';
import { contrastRatio, hexToRgb } from '../../src/renderer/src/ui/contrast';

/** A 10-class confusion matrix like a small network's on MNIST: ~900–1 100 right, a few mistakes, two big ones. */
function mnistLike(): number[][] {
  const confusion = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (t === p ? 900 + 20 * t : (t * 7 + p * 3) % 4)));
  confusion[4][9] = 19;
  confusion[5][3] = 14;
  return confusion;
}

const luminanceOrder = (rgb: readonly number[]): number => 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];

describe('confusion matrix colours', () => {
  it('puts the diagonal and the mistakes on separate scales, each topped by its own largest count', () => {
    expect(confusionScales(mnistLike())).toEqual({ maxCorrect: 1080, maxMistake: 19 });
    expect(confusionScales([])).toEqual({ maxCorrect: 0, maxMistake: 0 });
  });

  it('paints the largest mistake at the end of the mistake scale, not as a faint share of a thousand', () => {
    const confusion = mnistLike();
    const scales = confusionScales(confusion);
    expect(cellPaint(4, 9, 19, scales).background).toEqual(MISTAKE_STOPS.at(-1));
    // 4→9 and 5→3 are darker than every small mistake.
    const small = cellPaint(0, 1, 2, scales).background ?? [255, 255, 255];
    for (const [t, p] of [[4, 9], [5, 3]]) {
      const strong = cellPaint(t, p, confusion[t][p], scales).background ?? [255, 255, 255];
      expect(luminanceOrder(strong)).toBeLessThan(luminanceOrder(small) - 40);
    }
  });

  it('scales mistakes linearly from 0 to the largest: more mistakes are never lighter', () => {
    const scales = { maxCorrect: 1000, maxMistake: 20 };
    let previous = Infinity;
    for (let count = 1; count <= 20; count++) {
      const lightness = luminanceOrder(cellPaint(2, 7, count, scales).background ?? [0, 0, 0]);
      expect(lightness).toBeLessThanOrEqual(previous);
      previous = lightness;
    }
  });

  it('leaves a cell without mistakes unpainted, and still paints a single mistake', () => {
    const scales = { maxCorrect: 1000, maxMistake: 20 };
    expect(cellPaint(3, 8, 0, scales)).toEqual({ background: null, ink: null });
    expect(cellPaint(3, 8, 1, scales).background).not.toBeNull();
    // With no mistake anywhere, the scale's top is 0 and nothing off the diagonal is painted.
    expect(cellPaint(3, 8, 0, { maxCorrect: 10, maxMistake: 0 }).background).toBeNull();
  });

  it('paints the diagonal in blues, apart from the orange-red mistakes, from 0 to the largest correct count', () => {
    const scales = { maxCorrect: 1000, maxMistake: 20 };
    expect(cellPaint(6, 6, 1000, scales).background).toEqual(CORRECT_STOPS.at(-1));
    expect(cellPaint(6, 6, 0, scales).background).toEqual(CORRECT_STOPS[0]);
    for (const [r, , b] of CORRECT_STOPS) expect(b).toBeGreaterThan(r);
    for (const [r, , b] of MISTAKE_STOPS) expect(r).toBeGreaterThan(b);
  });

  it('writes every count in an ink with at least 4.5 : 1 contrast on its cell', () => {
    const scales = { maxCorrect: 1000, maxMistake: 20 };
    for (let count = 0; count <= 1000; count += 10) {
      const paint = cellPaint(1, 1, count, scales);
      expect(contrastRatio(paint.background ?? [0, 0, 0], hexToRgb(paint.ink ?? ''))).toBeGreaterThanOrEqual(4.5);
    }
    for (let count = 1; count <= 20; count++) {
      const paint = cellPaint(1, 2, count, scales);
      expect(contrastRatio(paint.background ?? [0, 0, 0], hexToRgb(paint.ink ?? ''))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('draws each legend through its scale stops', () => {
    expect(legendGradient(MISTAKE_STOPS)).toBe('linear-gradient(to right, rgb(254 232 200), rgb(253 187 132), rgb(252 141 89), rgb(227 74 51), rgb(179 0 0))');
  });
});
