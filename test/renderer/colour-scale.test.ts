import { describe, expect, it } from 'vitest';
import {
  divergingColour,
  fillDivergingRgba,
  fillSequentialRgba,
  NAN_COLOUR,
  sequentialColour,
  symmetricRange,
  type Rgb,
} from '../../src/renderer/src/ui/colour-scale';

/** CIE L* (0 black … 100 white) of an sRGB colour: how light it looks, independent of hue. */
function lightness([r, g, b]: Rgb): number {
  const linear = (c: number): number => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const y = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

const RED: Rgb = [0xb2, 0x18, 0x2b];
const BLUE: Rgb = [0x21, 0x66, 0xac];
const NEUTRAL: Rgb = [0xf7, 0xf7, 0xf7];

describe('divergingColour', () => {
  it('is neutral near-white at zero, whatever the sign of zero', () => {
    expect(divergingColour(0, 1)).toEqual(NEUTRAL);
    expect(divergingColour(-0, 1)).toEqual(NEUTRAL);
    expect(divergingColour(0, 0)).toEqual(NEUTRAL);
  });

  it('reaches full blue at −maxAbs and full red at +maxAbs', () => {
    expect(divergingColour(-2.5, 2.5)).toEqual(BLUE);
    expect(divergingColour(2.5, 2.5)).toEqual(RED);
  });

  it('clamps values beyond the range to the end colours', () => {
    expect(divergingColour(100, 1)).toEqual(RED);
    expect(divergingColour(-100, 1)).toEqual(BLUE);
    expect(divergingColour(Infinity, 1)).toEqual(RED);
    expect(divergingColour(-Infinity, 1)).toEqual(BLUE);
  });

  it('is symmetric: ±v are about equally light (within 5 L*), red above zero and blue below', () => {
    for (let v = 0.01; v <= 1; v += 0.01) {
      const [pos, neg] = [divergingColour(v, 1), divergingColour(-v, 1)];
      expect(Math.abs(lightness(pos) - lightness(neg)), `v = ${v}`).toBeLessThan(5);
      expect(pos[0]).toBeGreaterThan(pos[2]);
      expect(neg[2]).toBeGreaterThan(neg[0]);
    }
  });

  it('darkens steadily away from zero on each side, so magnitude reads as contrast', () => {
    for (const sign of [1, -1]) {
      let previous = lightness(divergingColour(0, 1));
      for (let v = 0.1; v <= 1.0001; v += 0.1) {
        const l = lightness(divergingColour(sign * v, 1));
        expect(l).toBeLessThan(previous);
        previous = l;
      }
    }
  });

  it('scales by maxAbs: the same fraction of the range gives the same colour', () => {
    expect(divergingColour(0.3, 1)).toEqual(divergingColour(0.003, 0.01));
    expect(divergingColour(-0.7, 1)).toEqual(divergingColour(-70, 100));
  });

  it('shows only the sign when the range is 0 (an all-zero layer) or infinite values meet an infinite range', () => {
    expect(divergingColour(1e-9, 0)).toEqual(RED);
    expect(divergingColour(-1e-9, 0)).toEqual(BLUE);
    expect(divergingColour(Infinity, Infinity)).toEqual(RED);
  });

  it('draws NaN mid grey, a colour the scale does not contain', () => {
    expect(divergingColour(Number.NaN, 1)).toEqual(NAN_COLOUR);
    expect(divergingColour(1, Number.NaN)).toEqual(RED);
    for (let v = -1; v <= 1; v += 0.01) expect(divergingColour(v, 1)).not.toEqual(NAN_COLOUR);
  });
});

describe('sequentialColour (viridis)', () => {
  it('runs from dark purple at min to yellow at max, getting lighter all the way', () => {
    expect(sequentialColour(0, 0, 1)).toEqual([0x44, 0x01, 0x54]);
    expect(sequentialColour(1, 0, 1)).toEqual([0xfd, 0xe7, 0x25]);
    let previous = -1;
    for (let v = 0; v <= 1.0001; v += 0.05) {
      const l = lightness(sequentialColour(v, 0, 1));
      expect(l).toBeGreaterThan(previous);
      previous = l;
    }
  });

  it('clamps beyond the range, copes with an empty range, and draws NaN grey', () => {
    expect(sequentialColour(-5, 0, 1)).toEqual(sequentialColour(0, 0, 1));
    expect(sequentialColour(5, 0, 1)).toEqual(sequentialColour(1, 0, 1));
    expect(sequentialColour(3, 3, 3)).toEqual(sequentialColour(0, 0, 1));
    expect(sequentialColour(4, 3, 3)).toEqual(sequentialColour(1, 0, 1));
    expect(sequentialColour(Number.NaN, 0, 1)).toEqual(NAN_COLOUR);
  });
});

describe('symmetricRange', () => {
  it('is the largest magnitude of either sign', () => {
    expect(symmetricRange([0.5, -2, 1.5])).toBe(2);
    expect(symmetricRange(Float32Array.of(-0.25, 0.125))).toBe(0.25);
  });

  it('is 0 for nothing, all zeros (of either sign), all NaN', () => {
    expect(symmetricRange([])).toBe(0);
    expect(symmetricRange([0, -0, 0])).toBe(0);
    expect(Object.is(symmetricRange([-0]), 0)).toBe(true);
    expect(symmetricRange([Number.NaN, Number.NaN])).toBe(0);
  });

  it('ignores NaN and ±∞ among finite values', () => {
    expect(symmetricRange([Number.NaN, -3, Infinity, 1, -Infinity])).toBe(3);
  });
});

describe('fillDivergingRgba / fillSequentialRgba', () => {
  it('fills opaque RGBA pixels row by row', () => {
    const out = fillDivergingRgba(new Uint8ClampedArray(2 * 2 * 4), [-1, 0, 1, Number.NaN], 2, 2, 1);
    expect(Array.from(out)).toEqual([...BLUE, 255, ...NEUTRAL, 255, ...RED, 255, ...NAN_COLOUR, 255]);
  });

  it('reads a tile out of a matrix by start and stride (one hidden unit\'s column)', () => {
    // A 4 × 3 row-major matrix; unit 1's column is 10, 11, 12, 13.
    const matrix = [0, 10, 0, 0, 11, 0, 0, 12, 0, 0, 13, 0];
    const out = fillSequentialRgba(new Uint8ClampedArray(16), matrix, 2, 2, 10, 13, { start: 1, stride: 3 });
    expect(Array.from(out.subarray(0, 3))).toEqual(sequentialColour(10, 10, 13));
    expect(Array.from(out.subarray(12, 15))).toEqual(sequentialColour(13, 10, 13));
  });

  it('refuses a buffer of the wrong size and a tile that reads past the values', () => {
    expect(() => fillDivergingRgba(new Uint8ClampedArray(15), [1, 2, 3, 4], 2, 2, 1)).toThrow(/2×2 tile needs 16 RGBA bytes; the buffer has 15/);
    expect(() => fillDivergingRgba(new Uint8ClampedArray(16), [1, 2, 3, 4], 2, 2, 1, { start: 1, stride: 1 })).toThrow(/reads values 1 to 4, but there are only 4/);
  });
});
