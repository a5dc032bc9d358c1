import { describe, expect, it } from 'vitest';
import { areaResample, preprocessDigit, type Drawing, type PreprocessResult } from '../../src/engine/teaching/digit-preprocess';
import { mnist } from '../helpers/mnist';

/** A blank width × height byte canvas with the given rectangles filled at full ink. */
function canvas(width: number, height: number, ...rects: [x: number, y: number, w: number, h: number][]): Drawing {
  const pixels = new Uint8Array(width * height);
  for (const [x0, y0, w, h] of rects) {
    for (let y = y0; y < y0 + h; y++) pixels.fill(255, y * width + x0, y * width + x0 + w);
  }
  return { pixels, width, height };
}

function ok(result: PreprocessResult): Extract<PreprocessResult, { status: 'ok' }> {
  if (result.status !== 'ok') throw new Error(`expected a preprocessed image, got: ${result.message}`);
  return result;
}

/** Centre of mass of a 28×28 byte image in pixel-index coordinates, and its inked bounding box. */
function measure(image: Uint8Array, size = 28) {
  let mass = 0;
  let mx = 0;
  let my = 0;
  let [x0, y0, x1, y1] = [size, size, -1, -1];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = image[y * size + x];
      if (v === 0) continue;
      mass += v;
      mx += v * x;
      my += v * y;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return { com: { x: mx / mass, y: my / mass }, box: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } };
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let [sa, sb] = [0, 0];
  for (let i = 0; i < n; i++) [sa, sb] = [sa + a[i], sb + b[i]];
  const [ma, mb] = [sa / n, sb / n];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('preprocessDigit', () => {
  it('fits a filled square into a 20×20 block whose centre of mass is at the centre', () => {
    const r = ok(preprocessDigit(canvas(200, 200, [30, 50, 100, 100])));
    expect(r.boundingBox).toEqual({ x: 30, y: 50, width: 100, height: 100 });
    expect(r.centreOfMass).toEqual({ x: 79.5, y: 99.5 });
    const { com, box } = measure(r.image);
    expect(box).toEqual({ x: r.placedBox.x, y: r.placedBox.y, width: 20, height: 20 });
    // A 20-pixel block has its centre between two pixels; the rounded shift puts it half a pixel off 14.
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
    // Solid ink stays solid: every pixel in the block is full, every other is empty.
    expect(r.image.reduce((n, v) => n + (v === 255 ? 1 : 0), 0)).toBe(400);
    expect(r.image.reduce((n, v) => n + (v > 0 && v < 255 ? 1 : 0), 0)).toBe(0);
  });

  it('grows an off-centre dot to fill the 20×20 box, centred, as MNIST normalised every digit', () => {
    const r = ok(preprocessDigit(canvas(100, 100, [90, 2, 4, 4])));
    expect(r.boundingBox).toEqual({ x: 90, y: 2, width: 4, height: 4 });
    expect(r.centreOfMass).toEqual({ x: 91.5, y: 3.5 });
    const { com, box } = measure(r.image);
    expect(box.width).toBe(20);
    expect(box.height).toBe(20);
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('keeps a vertical stroke like a "1" thin: 20 tall, its width scaled by the same factor', () => {
    // 10 wide, 200 tall → scale 0.1 → 1 × 20.
    const r = ok(preprocessDigit(canvas(280, 280, [200, 40, 10, 200])));
    expect(r.boundingBox).toEqual({ x: 200, y: 40, width: 10, height: 200 });
    expect(r.centreOfMass).toEqual({ x: 204.5, y: 139.5 });
    const { com, box } = measure(r.image);
    expect(box.width).toBe(1);
    expect(box.height).toBe(20);
    expect(com.x).toBe(14);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
    expect(r.placedBox).toMatchObject({ x: 14, width: 1, height: 20 });
  });

  it('keeps the aspect ratio of a tall thin shape', () => {
    // 40 × 100 → 8 × 20, whatever the canvas shape.
    for (const drawing of [canvas(300, 150, [10, 20, 40, 100]), canvas(60, 400, [5, 250, 40, 100])]) {
      const r = ok(preprocessDigit(drawing));
      expect(measure(r.image).box).toMatchObject({ width: 8, height: 20 });
    }
    // And a wide one: 120 × 30 → 20 × 5.
    expect(measure(ok(preprocessDigit(canvas(200, 200, [50, 50, 120, 30]))).image).box).toMatchObject({ width: 20, height: 5 });
  });

  it('centres by centre of mass, not by the bounding box', () => {
    // A "⊢": a bar with an arm to the right; the mass sits left of the box's centre.
    const r = ok(preprocessDigit(canvas(100, 100, [10, 10, 10, 80], [20, 45, 50, 10])));
    expect(r.boundingBox).toEqual({ x: 10, y: 10, width: 60, height: 80 });
    expect(r.centreOfMass.x).toBeCloseTo((800 * 14.5 + 500 * 44.5) / 1300, 10);
    expect(r.centreOfMass.y).toBe(49.5);
    const { com, box } = measure(r.image);
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
    // So the box's own centre lies right of the field's centre.
    expect(box.width).toBe(15);
    expect(box.x + (box.width - 1) / 2).toBeGreaterThan(16);
  });

  it('moves a lopsided drawing only as far as keeps all its ink in the field', () => {
    // An "L" whose mass is far from its box's centre: the full shift would push it past two edges.
    const r = ok(preprocessDigit(canvas(100, 100, [10, 10, 10, 80], [20, 80, 70, 10])));
    expect(r.placedBox).toEqual({ x: 8, y: 0, width: 20, height: 20 });
    expect(measure(r.image).box).toEqual(r.placedBox);
    // Still moved towards the centre as far as it goes: the mass is left of and below 14, but close.
    const { com } = measure(r.image);
    expect(com.x).toBeGreaterThan(13);
    expect(com.y).toBeGreaterThan(13);
  });

  it('gives grey levels where an edge falls inside an output pixel (area averaging, not nearest neighbour)', () => {
    // A 40 × 40 frame of one-pixel lines, halved: each line covers half of an output pixel.
    const r = ok(preprocessDigit(canvas(64, 64, [10, 10, 40, 1], [10, 49, 40, 1], [10, 10, 1, 40], [49, 10, 1, 40])));
    const { box } = measure(r.image);
    const at = (x: number, y: number): number => r.image[(box.y + y) * 28 + box.x + x];
    expect(at(0, 10)).toBe(128); // half a pixel of ink
    expect(at(19, 10)).toBe(128);
    expect(at(10, 0)).toBe(128);
    expect(at(0, 0)).toBe(191); // the corner: three quarters of the pixel is ink
    expect(at(10, 10)).toBe(0);
  });

  it('reads float drawings (ink 0–1) the same as byte drawings (ink 0–255), clamping and ignoring NaN', () => {
    const bytes = canvas(50, 50, [5, 5, 20, 30]);
    const floats = Float32Array.from(bytes.pixels, (v) => v / 255);
    floats[0] = Number.NaN;
    floats[1] = -3;
    floats[bytes.width * 10 + 10] = 7; // inside the stroke: still full ink
    const a = ok(preprocessDigit(bytes));
    const b = ok(preprocessDigit({ pixels: floats, width: 50, height: 50 }));
    expect(b.boundingBox).toEqual(a.boundingBox);
    expect(Array.from(b.image)).toEqual(Array.from(a.image));
  });

  it('says nothing was drawn for an empty canvas (and for ink at or below the threshold)', () => {
    expect(preprocessDigit(canvas(280, 280))).toEqual({ status: 'empty', message: 'Nothing drawn yet: draw a digit in the box.' });
    const faint = new Uint8Array(100).fill(10);
    expect(preprocessDigit({ pixels: faint, width: 10, height: 10 }, { inkThreshold: 0.1 }).status).toBe('empty');
    expect(preprocessDigit({ pixels: faint, width: 10, height: 10 }).status).toBe('ok');
  });

  it('refuses a bitmap whose size disagrees with its dimensions', () => {
    expect(() => preprocessDigit({ pixels: new Uint8Array(10), width: 3, height: 3 })).toThrow(/3×3 drawing has 9 pixels, but 10 were given/);
    expect(() => preprocessDigit({ pixels: new Uint8Array(0), width: 0, height: 0 })).toThrow(/at least 1/);
  });

  it('leaves real MNIST test digits nearly unchanged (they were made this way)', () => {
    const { test } = mnist();
    const correlations: number[] = [];
    for (let i = 0; i < 200; i++) {
      const image = test.images.subarray(i * 784, (i + 1) * 784);
      const again = ok(preprocessDigit({ pixels: image, width: 28, height: 28 })).image;
      correlations.push(correlation(image, again));
    }
    const mean = correlations.reduce((a, b) => a + b, 0) / correlations.length;
    expect(mean).toBeGreaterThan(0.99);
    expect(Math.min(...correlations)).toBeGreaterThan(0.9);
  });
});

describe('areaResample', () => {
  it('averages by covered area and keeps the mean ink level', () => {
    // 4 → 3: output 0 covers [0, 4/3) = pixel 0 and a third of pixel 1; output 1 covers two thirds of pixels 1 and 2.
    const out = areaResample(Float32Array.of(0, 1, 1, 0), 4, 1, 3, 1);
    expect(out[0]).toBeCloseTo(0.25, 6);
    expect(out[1]).toBeCloseTo(1, 6);
    expect(out[2]).toBeCloseTo(0.25, 6);
    // Upscaling repeats each pixel over the area it covers.
    expect(Array.from(areaResample(Float32Array.of(1, 0), 2, 1, 4, 1))).toEqual([1, 1, 0, 0]);
  });
});
