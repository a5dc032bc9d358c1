/**
 * Pictures of digits made the way a student's would be: an MNIST digit blown up onto a page of
 * another size, colour and polarity, or strokes drawn with a thick round pen; written as PNG or
 * JPEG files by the same npm encoders' counterparts the app decodes with.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ImageSet } from '../../src/engine/training/dataset';

export type Rgb = [number, number, number];

/** How much ink (0–1) lies at a point of the page, x and y in pixels. */
export type InkField = (x: number, y: number) => number;

export interface Page {
  width: number;
  height: number;
  ink: Rgb;
  paper: Rgb;
}

/** The page's RGBA pixels: paper mixed with ink by the field's level at each pixel's centre. */
export function paint(field: InkField, page: Page): Uint8Array {
  const rgba = new Uint8Array(page.width * page.height * 4);
  for (let y = 0; y < page.height; y++) {
    for (let x = 0; x < page.width; x++) {
      const level = Math.min(1, Math.max(0, field(x + 0.5, y + 0.5)));
      const i = (y * page.width + x) * 4;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(page.paper[c] * (1 - level) + page.ink[c] * level);
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

/** Test image `index` of `set`, bilinearly stretched over the box (left, top, width, height). */
export function mnistDigit(set: ImageSet, index: number, box: { left: number; top: number; width: number; height: number }): InkField {
  const pixels = set.images.subarray(index * 784, (index + 1) * 784);
  const at = (c: number, r: number): number => (c < 0 || r < 0 || c > 27 || r > 27 ? 0 : pixels[r * 28 + c] / 255);
  return (x, y) => {
    const u = ((x - box.left) / box.width) * 28 - 0.5;
    const v = ((y - box.top) / box.height) * 28 - 0.5;
    const c = Math.floor(u);
    const r = Math.floor(v);
    const fu = u - c;
    const fv = v - r;
    return (at(c, r) * (1 - fu) + at(c + 1, r) * fu) * (1 - fv) + (at(c, r + 1) * (1 - fu) + at(c + 1, r + 1) * fu) * fv;
  };
}

/** Strokes through the points, with a round pen of `radius` pixels and a one-pixel soft edge. */
export function strokes(lines: [number, number][][], radius: number): InkField {
  return (x, y) => {
    let nearest = Infinity;
    for (const line of lines) {
      for (let i = 0; i + 1 < line.length; i++) nearest = Math.min(nearest, distanceToSegment(x, y, line[i], line[i + 1]));
    }
    return Math.min(1, Math.max(0, radius + 0.5 - nearest));
  };
}

/** Points around an ellipse, closed. */
export function ellipse(cx: number, cy: number, rx: number, ry: number, steps = 48): [number, number][] {
  return Array.from({ length: steps + 1 }, (_, i) => [cx + rx * Math.cos((2 * Math.PI * i) / steps), cy + ry * Math.sin((2 * Math.PI * i) / steps)]);
}

function distanceToSegment(x: number, y: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** PNG bytes; `grey` writes a one-channel greyscale PNG (colour type 0) from the red channel. */
export function pngBytes(rgba: Uint8Array, width: number, height: number, grey = false): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png, grey ? { colorType: 0, inputHasAlpha: true } : {});
}

export function jpegBytes(rgba: Uint8Array, width: number, height: number, quality = 85): Buffer {
  return jpeg.encode({ data: Buffer.from(rgba), width, height }, quality).data;
}
