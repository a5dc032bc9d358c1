/**
 * Colour maps for pictures of numbers (weight tiles, heatmaps, histograms), as 0–255 RGB.
 *
 * - Diverging, for signed values such as weights: ColorBrewer's 9-class RdBu — blue below zero, red
 *   above, a near-white #f7f7f7 at zero — which ColorBrewer rates safe for colour-blind viewers
 *   (it varies in lightness as well as hue, and red–blue stays apart for deuteranopes and
 *   protanopes). Mirrored values have nearly the same lightness (within 5 CIE L* units of 100),
 *   so neither sign looks stronger.
 * - Sequential, for magnitudes such as activations and counts: viridis (matplotlib's default),
 *   perceptually uniform, readable in greyscale and by colour-blind viewers.
 *
 * Colours between the listed stops are interpolated linearly in sRGB. NaN, which has no place on
 * either scale, is drawn mid grey: neither map contains that colour.
 */

export type Rgb = [r: number, g: number, b: number];

/** The colour of a NaN value on every map. */
export const NAN_COLOUR: Readonly<Rgb> = [128, 128, 128];

/** RdBu (9 classes), from −max (blue) through 0 to +max (red). */
const DIVERGING_STOPS: readonly Rgb[] = [
  [0x21, 0x66, 0xac],
  [0x43, 0x93, 0xc3],
  [0x92, 0xc5, 0xde],
  [0xd1, 0xe5, 0xf0],
  [0xf7, 0xf7, 0xf7],
  [0xfd, 0xdb, 0xc7],
  [0xf4, 0xa5, 0x82],
  [0xd6, 0x60, 0x4d],
  [0xb2, 0x18, 0x2b],
];

/** viridis at 9 evenly spaced points, from low (dark purple) to high (yellow). */
const SEQUENTIAL_STOPS: readonly Rgb[] = [
  [0x44, 0x01, 0x54],
  [0x47, 0x2d, 0x7b],
  [0x3b, 0x52, 0x8b],
  [0x2c, 0x72, 0x8e],
  [0x21, 0x90, 0x8c],
  [0x27, 0xad, 0x81],
  [0x5d, 0xc8, 0x63],
  [0xaa, 0xdc, 0x32],
  [0xfd, 0xe7, 0x25],
];

/**
 * The colour of `value` on a scale from −maxAbs (full blue) through 0 (near-white) to +maxAbs
 * (full red); values beyond the range take the end colours. With maxAbs 0 (an all-zero layer)
 * only the sign shows: zero is neutral, anything else an end colour.
 */
export function divergingColour(value: number, maxAbs: number): Rgb {
  if (Number.isNaN(value)) return [...NAN_COLOUR];
  return interpolate(DIVERGING_STOPS, (signedFraction(value, maxAbs) + 1) / 2);
}

/** The colour of `value` on viridis from `min` (dark) to `max` (bright), clamped at both ends. */
export function sequentialColour(value: number, min: number, max: number): Rgb {
  if (Number.isNaN(value)) return [...NAN_COLOUR];
  const t = max > min ? (value - min) / (max - min) : value > min ? 1 : 0;
  return interpolate(SEQUENTIAL_STOPS, t);
}

/** The largest |v| over the finite values; 0 when there are none (empty, all zero, all NaN or ±∞). */
export function symmetricRange(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    // NaN fails both comparisons; ±∞ would squash every finite value to the neutral middle.
    if (a > max && a < Infinity) max = a;
  }
  return max;
}

/** Where a tile's values sit in a larger array: value i of the tile is `values[start + i·stride]`. */
export interface TileLayout {
  start?: number;
  stride?: number;
}

/**
 * Fills `out` (RGBA, 4 bytes a pixel, opaque, as `ImageData.data`) with the diverging colours of a
 * width × height tile. The stride lets a tile be read straight out of a weight matrix: the first
 * layer's weights into hidden unit j form column j of the 784 × units matrix, so
 * `{ start: j, stride: units }`.
 */
export function fillDivergingRgba(
  out: Uint8ClampedArray,
  values: ArrayLike<number>,
  width: number,
  height: number,
  maxAbs: number,
  layout: TileLayout = {},
): Uint8ClampedArray {
  return fillRgba(out, values, width, height, layout, (v) => divergingColour(v, maxAbs));
}

/** As `fillDivergingRgba`, on viridis from `min` to `max`. */
export function fillSequentialRgba(
  out: Uint8ClampedArray,
  values: ArrayLike<number>,
  width: number,
  height: number,
  min: number,
  max: number,
  layout: TileLayout = {},
): Uint8ClampedArray {
  return fillRgba(out, values, width, height, layout, (v) => sequentialColour(v, min, max));
}

function fillRgba(
  out: Uint8ClampedArray,
  values: ArrayLike<number>,
  width: number,
  height: number,
  { start = 0, stride = 1 }: TileLayout,
  colour: (value: number) => Rgb,
): Uint8ClampedArray {
  const pixels = width * height;
  if (out.length !== pixels * 4) throw new RangeError(`A ${width}×${height} tile needs ${pixels * 4} RGBA bytes; the buffer has ${out.length}.`);
  const last = start + (pixels - 1) * stride;
  if (pixels > 0 && (start < 0 || last >= values.length)) {
    throw new RangeError(`The tile reads values ${start} to ${last}, but there are only ${values.length}.`);
  }
  for (let i = 0; i < pixels; i++) {
    const [r, g, b] = colour(values[start + i * stride]);
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** value / maxAbs within [−1, 1]; just the sign when maxAbs is 0 or the ratio is undefined (∞/∞). */
function signedFraction(value: number, maxAbs: number): number {
  const t = maxAbs > 0 ? value / maxAbs : Number.NaN;
  if (Number.isNaN(t)) return value > 0 ? 1 : value < 0 ? -1 : 0;
  return Math.max(-1, Math.min(1, t));
}

/** The colour at t ∈ [0, 1] along evenly spaced stops (t outside is clamped). */
export function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const position = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(Math.floor(position), stops.length - 2);
  const f = position - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}
