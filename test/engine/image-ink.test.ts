import { describe, expect, it } from 'vitest';
import { inkFromRgba, type RgbaImage } from '../../src/engine/teaching/image-ink';

/** A width × height RGBA picture of `paper` with the pixels in `ink` coloured `pen`. */
function picture(width: number, height: number, paper: number[], pen: number[], ink: Set<number>, alpha = 255): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...(ink.has(i) ? pen : paper), alpha], i * 4);
  return { width, height, data };
}

describe('a picture made into ink levels', () => {
  const stroke = new Set([6, 11, 16]); // a short vertical bar in the middle of a 5×5 picture

  it('dark on light is inverted: the pen becomes 1, the paper 0', () => {
    const ink = inkFromRgba(picture(5, 5, [255, 255, 255], [0, 0, 0], stroke));
    expect(ink.inverted).toBe(true);
    expect(Array.from(ink.pixels).filter((v) => v === 1)).toHaveLength(3);
    expect(Array.from(ink.pixels).filter((v) => v === 0)).toHaveLength(22);
    expect(ink.pixels[11]).toBe(1);
  });

  it('light on dark is kept as it is', () => {
    const ink = inkFromRgba(picture(5, 5, [0, 0, 0], [255, 255, 255], stroke));
    expect(ink.inverted).toBe(false);
    expect(ink.pixels[11]).toBe(1);
    expect(ink.pixels[0]).toBe(0);
  });

  it('colour goes to grey by luminance, grey paper to 0 and a faint pen to 1', () => {
    // Blue ink (luminance 0.18) on yellow paper (0.86).
    const ink = inkFromRgba(picture(5, 5, [250, 230, 120], [30, 40, 200], stroke));
    expect(ink.inverted).toBe(true);
    expect(ink.pixels[11]).toBeCloseTo(1, 6);
    expect(ink.pixels[0]).toBe(0);
    // A pencil only a little darker than grey paper still fills the range.
    const faint = inkFromRgba(picture(5, 5, [200, 200, 200], [150, 150, 150], stroke));
    expect(faint.pixels[11]).toBeCloseTo(1, 6);
  });

  it('paper texture within a tenth of the range is no ink', () => {
    const data = picture(5, 5, [240, 240, 240], [0, 0, 0], stroke);
    data.data.set([225, 225, 225], 0); // a slightly darker speck in a corner: 6 % of the range
    expect(inkFromRgba(data).pixels[0]).toBe(0);
  });

  it('a transparent pixel is paper; a flat picture has no ink', () => {
    const clear = inkFromRgba(picture(4, 4, [0, 0, 0], [0, 0, 0], new Set(), 0));
    expect(clear.inverted).toBe(true);
    expect(Array.from(clear.pixels).every((v) => v === 0)).toBe(true);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => inkFromRgba({ width: 3, height: 3, data: new Uint8Array(10) })).toThrow(/3×3 RGBA picture has 36 bytes, but 10 were given/);
    expect(() => inkFromRgba({ width: 0, height: 3, data: new Uint8Array(0) })).toThrow(/at least 1/);
  });
});
