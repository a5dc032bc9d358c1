import type { Drawing } from './digit-preprocess';

/**
 * A decoded picture of a digit (a photo, a scan, a drawing from another program) turned into ink
 * levels like the draw pad's, ready for `preprocessDigit`: ink high, background 0.
 *
 * - Colour becomes grey by luminance (Rec. 601 weights); a transparent pixel is paper.
 * - Which way round it is, is judged from the picture's border, where a digit picture has its
 *   background: a light border means dark ink on light paper (inverted so ink is high), a dark
 *   border light ink on a dark ground (as MNIST itself).
 * - The background's level becomes 0 and the strongest ink 1, so grey paper and a faint pencil
 *   still fill the range MNIST's digits do; what is left within a tenth of the range above the
 *   background (paper texture, JPEG ringing) is taken as no ink, so it does not stretch the
 *   digit's bounding box to the whole picture.
 */

/** An RGBA picture as decoders give it: width × height × 4 bytes, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export interface InkImage extends Drawing {
  pixels: Float32Array;
  /** Whether the picture was dark ink on light paper (and so was inverted). */
  inverted: boolean;
}

/** Differences below this share of the ink's range above the background count as no ink. */
const NOISE_SHARE = 0.1;

export function inkFromRgba(image: RgbaImage): InkImage {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`A picture needs a whole-number width and height of at least 1; got ${width}×${height}.`);
  }
  if (data.length !== width * height * 4) throw new RangeError(`A ${width}×${height} RGBA picture has ${width * height * 4} bytes, but ${data.length} were given.`);
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const alpha = data[i * 4 + 3] / 255;
    const luminance = (0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2]) / 255;
    // Composited over white paper: a transparent pixel is background in a dark-on-light picture.
    grey[i] = alpha * luminance + (1 - alpha);
  }
  const border = median(borderValues(grey, width, height));
  const inverted = border >= 0.5;
  const ink = inverted ? grey.map((g) => 1 - g) : grey;
  const background = inverted ? 1 - border : border;
  let strongest = 0;
  for (const v of ink) if (v > strongest) strongest = v;
  const range = strongest - background;
  const pixels = new Float32Array(ink.length);
  if (range > 0) {
    for (let i = 0; i < ink.length; i++) {
      const level = (ink[i] - background) / range;
      pixels[i] = level > NOISE_SHARE ? level : 0;
    }
  }
  return { pixels, width, height, inverted };
}

/** Every pixel of the outermost rows and columns. */
function borderValues(grey: Float32Array, width: number, height: number): Float32Array {
  const values: number[] = [];
  for (let x = 0; x < width; x++) values.push(grey[x], grey[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) values.push(grey[y * width], grey[y * width + width - 1]);
  return Float32Array.from(values);
}

function median(values: Float32Array): number {
  const sorted = values.slice().sort();
  return sorted[Math.floor(sorted.length / 2)];
}
