/**
 * Paints every first-layer tile into one RGBA image, fast enough to do several times a second
 * while a run trains: the diverging colour scale is looked up in a table of 256 colours made once
 * (no allocation per pixel), and the whole grid is one image, put on the canvas in one call.
 */
import { divergingColour, NAN_COLOUR } from '$ui/colour-scale';
import type { TileLayout } from './tile-layout';

/** Levels of the lookup table: finer than the eye tells apart on a tile. */
export const LEVELS = 256;

/**
 * The diverging scale at LEVELS evenly spaced points from −1 to +1 (RGB, 3 bytes each), then the
 * NaN colour: level k is divergingColour(−1 + 2k/(LEVELS−1), 1).
 */
export function divergingTable(): Uint8ClampedArray {
  const table = new Uint8ClampedArray((LEVELS + 1) * 3);
  for (let k = 0; k < LEVELS; k++) table.set(divergingColour(-1 + (2 * k) / (LEVELS - 1), 1), k * 3);
  table.set(NAN_COLOUR, LEVELS * 3);
  return table;
}

/** The table level of `value` on a scale from −maxAbs to +maxAbs (clamped); LEVELS for NaN. */
export function levelOf(value: number, maxAbs: number): number {
  if (Number.isNaN(value)) return LEVELS;
  const t = maxAbs > 0 ? value / maxAbs : Math.sign(value);
  const clamped = Number.isNaN(t) ? Math.sign(value) : Math.max(-1, Math.min(1, t));
  return Math.round(((clamped + 1) / 2) * (LEVELS - 1));
}

/**
 * Fills `out` (layout.width × layout.height RGBA, as ImageData.data) with one tile per unit: tile j
 * is column j of the pixels × units weight matrix, coloured on −maxAbs…+maxAbs. The gaps between
 * tiles and the cells past the last tile are left transparent, so the page shows through.
 */
export function fillTileGrid(out: Uint8ClampedArray, weights: Float32Array, layout: TileLayout, maxAbs: number, table: Uint8ClampedArray): void {
  const { units, side, cols, step, width, height } = layout;
  if (out.length !== width * height * 4) throw new RangeError(`A ${width}×${height} grid needs ${width * height * 4} RGBA bytes; the buffer has ${out.length}.`);
  if (weights.length !== side * side * units) throw new RangeError(`${units} tiles of ${side}×${side} need ${side * side * units} weights; there are ${weights.length}.`);
  // One 32-bit word per pixel and levelOf's arithmetic inline: the grid is repainted with every
  // live snapshot (200 000 pixels for 256 units of 28×28), inside one frame's budget.
  const pixels = new Uint32Array(out.buffer, out.byteOffset, out.length / 4);
  const colours = packedColours(table);
  const top = LEVELS - 1;
  pixels.fill(0);
  for (let unit = 0; unit < units; unit++) {
    const left = (unit % cols) * step;
    const first = Math.floor(unit / cols) * step;
    for (let row = 0; row < side; row++) {
      let o = (first + row) * width + left;
      let w = row * side * units + unit;
      for (let col = 0; col < side; col++, o++, w += units) {
        const value = weights[w];
        let level: number;
        if (Number.isNaN(value)) level = LEVELS;
        else if (maxAbs > 0 && maxAbs < Infinity) {
          const t = value / maxAbs;
          level = Math.round(((t < -1 ? -1 : t > 1 ? 1 : t) + 1) * 0.5 * top);
        } else level = levelOf(value, maxAbs);
        pixels[o] = colours[level];
      }
    }
  }
}

/** The table's RGB colours as opaque RGBA words, in the machine's byte order (as ImageData reads them). */
function packedColours(table: Uint8ClampedArray): Uint32Array {
  const bytes = new Uint8ClampedArray(table.length / 3 * 4);
  for (let k = 0; k < table.length / 3; k++) bytes.set([table[k * 3], table[k * 3 + 1], table[k * 3 + 2], 255], k * 4);
  return new Uint32Array(bytes.buffer);
}

/** Unit `unit`'s incoming weights (column `unit` of the pixels × units matrix), as one image. */
export function unitWeights(weights: Float32Array, units: number, unit: number): Float32Array {
  const pixels = weights.length / units;
  const out = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) out[p] = weights[p * units + unit];
  return out;
}
