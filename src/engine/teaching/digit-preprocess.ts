/**
 * A drawing made into an input like MNIST's, the way MNIST's images were made: the ink's bounding
 * box is scaled, keeping its aspect ratio, to fit a 20×20 box with anti-aliased grey levels, and
 * placed in a 28×28 field so that its centre of mass sits at the field's centre (to the nearest
 * pixel, and as near as the field allows without cutting any ink off).
 *
 * Coordinates are pixel indices: pixel (x, y) is column x, row y, and a centre of mass is
 * Σ v·x / Σ v. In those coordinates MNIST's digits have their centre of mass at (14, 14) on average
 * (measured over the test split), so that is where a drawing's goes.
 */

/** A grayscale bitmap, row-major, ink high: 0–255 for bytes, 0–1 for floats. */
export interface Drawing {
  pixels: Uint8Array | Uint8ClampedArray | Float32Array;
  width: number;
  height: number;
}

export interface PreprocessOptions {
  /** Side of the square output (MNIST: 28). */
  size?: number;
  /** Side of the box the ink is fitted into (MNIST: 20). */
  fit?: number;
  /** Ink level (0–1) a pixel must exceed to count towards the bounding box; any ink by default. */
  inkThreshold?: number;
}

/** A rectangle of whole pixels: columns x … x+width−1, rows y … y+height−1. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type PreprocessResult =
  | {
      status: 'ok';
      /** size × size bytes, 0–255, row-major, ink high: the same form as a dataset image. */
      image: Uint8Array;
      /** The ink's bounding box in the drawing. */
      boundingBox: PixelBox;
      /** The ink's centre of mass in the drawing (weighted by ink level). */
      centreOfMass: { x: number; y: number };
      /** Where the fitted ink lies in the output, after centring; always inside it. */
      placedBox: PixelBox;
      /** How far the fitted ink was moved to put its centre of mass at the output's centre. */
      shift: { x: number; y: number };
    }
  | { status: 'empty'; message: string };

/** Preprocesses a drawing; see the file comment for the steps. */
export function preprocessDigit(drawing: Drawing, options: PreprocessOptions = {}): PreprocessResult {
  const size = options.size ?? 28;
  const fit = options.fit ?? 20;
  const threshold = options.inkThreshold ?? 0;
  checkArguments(drawing, size, fit, threshold);
  const ink = inkLevels(drawing);

  const box = boundingBox(ink, drawing.width, drawing.height, threshold);
  if (box === null) return { status: 'empty', message: 'Nothing drawn yet: draw a digit in the box.' };
  const crop = cropTo(ink, drawing.width, box);
  const centre = centreOfMass(crop, box.width, box.height);

  // The longer side becomes `fit` pixels; the shorter keeps the aspect ratio (at least one pixel).
  const scale = fit / Math.max(box.width, box.height);
  const width = clamp(Math.round(box.width * scale), 1, fit);
  const height = clamp(Math.round(box.height * scale), 1, fit);
  const fitted = areaResample(crop, box.width, box.height, width, height);

  const left = Math.floor((size - width) / 2);
  const top = Math.floor((size - height) / 2);
  const fittedCentre = centreOfMass(fitted, width, height);
  // A very lopsided drawing (a long bar with a thin arm) would be pushed past an edge by the full
  // shift; it moves only as far as keeps all of its ink in the field.
  const shift = {
    x: clamp(Math.round(size / 2 - (left + fittedCentre.x)), -left, size - width - left),
    y: clamp(Math.round(size / 2 - (top + fittedCentre.y)), -top, size - height - top),
  };
  const placedBox = { x: left + shift.x, y: top + shift.y, width, height };
  return {
    status: 'ok',
    image: place(fitted, placedBox, size),
    boundingBox: box,
    centreOfMass: { x: box.x + centre.x, y: box.y + centre.y },
    placedBox,
    shift,
  };
}

function checkArguments(drawing: Drawing, size: number, fit: number, threshold: number): void {
  const { width, height, pixels } = drawing;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`A drawing needs a whole-number width and height of at least 1; got ${width}×${height}.`);
  }
  if (pixels.length !== width * height) {
    throw new RangeError(`A ${width}×${height} drawing has ${width * height} pixels, but ${pixels.length} were given.`);
  }
  if (!Number.isInteger(size) || !Number.isInteger(fit) || fit < 1 || fit > size) {
    throw new RangeError(`The fitting box (${fit}) must be a whole number of pixels from 1 to the output size (${size}).`);
  }
  if (!(threshold >= 0 && threshold < 1)) throw new RangeError(`The ink threshold must be from 0 to below 1; got ${threshold}.`);
}

/** Ink levels 0–1 as floats; bytes are divided by 255, floats clamped, NaN taken as no ink. */
function inkLevels({ pixels }: Drawing): Float32Array {
  if (!(pixels instanceof Float32Array)) return Float32Array.from(pixels, (v) => v / 255);
  return Float32Array.from(pixels, (v) => (v > 0 ? Math.min(v, 1) : 0));
}

function boundingBox(ink: Float32Array, width: number, height: number, threshold: number): PixelBox | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] <= threshold) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function cropTo(ink: Float32Array, width: number, box: PixelBox): Float32Array {
  const crop = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.y + y) * width + box.x;
    crop.set(ink.subarray(from, from + box.width), y * box.width);
  }
  return crop;
}

/** Σ v·(x, y) / Σ v over a width × height image; the image's middle when it has no ink. */
function centreOfMass(image: Float32Array, width: number, height: number): { x: number; y: number } {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x];
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  return mass > 0 ? { x: mx / mass, y: my / mass } : { x: (width - 1) / 2, y: (height - 1) / 2 };
}

/**
 * Resamples by area averaging (a box filter): each output pixel is the mean of the input over the
 * rectangle it covers, partly covered pixels weighted by their overlap. An edge that falls inside
 * an output pixel gives it a grey level, as MNIST's anti-aliased normalisation did; nearest
 * neighbour would give jagged all-or-nothing edges. Done one axis at a time, which is exact for a
 * box filter.
 */
export function areaResample(src: Float32Array, width: number, height: number, toWidth: number, toHeight: number): Float32Array {
  const rows = new Float32Array(toWidth * height);
  for (let y = 0; y < height; y++) resampleLine(src, y * width, 1, width, rows, y * toWidth, 1, toWidth);
  const out = new Float32Array(toWidth * toHeight);
  for (let x = 0; x < toWidth; x++) resampleLine(rows, x, toWidth, height, out, x, toWidth, toHeight);
  return out;
}

/** One line of `n` samples (from `start`, `stride` apart) averaged onto `m` samples. */
function resampleLine(
  src: Float32Array,
  start: number,
  stride: number,
  n: number,
  dst: Float32Array,
  dstStart: number,
  dstStride: number,
  m: number,
): void {
  const step = n / m;
  for (let k = 0; k < m; k++) {
    const a = k * step;
    const b = k === m - 1 ? n : (k + 1) * step;
    let sum = 0;
    for (let p = Math.floor(a); p < b; p++) sum += (Math.min(b, p + 1) - Math.max(a, p)) * src[start + p * stride];
    dst[dstStart + k * dstStride] = sum / (b - a);
  }
}

/** The fitted ink written as bytes into a size × size image at `box` (which lies inside it). */
function place(fitted: Float32Array, box: PixelBox, size: number): Uint8Array {
  const image = new Uint8Array(size * size);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) image[(box.y + y) * size + box.x + x] = Math.round(Math.min(1, fitted[y * box.width + x]) * 255);
  }
  return image;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
