/**
 * Where each hidden unit's tile sits on the Weights screen's one canvas, which tile a point is
 * over, and where the keyboard's arrow keys move the chosen tile: plain numbers, no DOM, so every
 * rule here is unit-tested.
 */
import { gridShape, TILE_GAP } from '$ui/tile-grid';

export interface TileLayout {
  /** Tiles (hidden units). */
  units: number;
  /** Each tile is side × side weights (28 for MNIST), one canvas pixel each. */
  side: number;
  cols: number;
  rows: number;
  /** Canvas pixels from one tile's left edge to the next one's (side + gap). */
  step: number;
  /** The whole grid, in canvas pixels. */
  width: number;
  height: number;
}

export function tileLayout(units: number, side: number): TileLayout {
  const { cols, rows } = gridShape(units);
  const step = side + TILE_GAP;
  return { units, side, cols, rows, step, width: cols * step - TILE_GAP, height: rows * step - TILE_GAP };
}

/** The top-left canvas pixel of a unit's tile. */
export function tileOrigin(layout: TileLayout, unit: number): { x: number; y: number } {
  return { x: (unit % layout.cols) * layout.step, y: Math.floor(unit / layout.cols) * layout.step };
}

/** The unit whose tile holds canvas pixel (x, y); null over a gap, past the last tile or outside. */
export function tileAt(layout: TileLayout, x: number, y: number): number | null {
  if (!(x >= 0 && y >= 0 && x < layout.width && y < layout.height)) return null;
  const col = Math.floor(x / layout.step);
  const row = Math.floor(y / layout.step);
  if (x - col * layout.step >= layout.side || y - row * layout.step >= layout.side) return null;
  const unit = row * layout.cols + col;
  return unit < layout.units ? unit : null;
}

/**
 * CSS pixels per weight for a grid shown `available` CSS pixels wide: the grid fills the width, in
 * whole screen pixels per weight once there is room for 2 (so every weight is a crisp square), at
 * most `most`; below 2 it is scaled to the width as it is (shrunk on a narrow panel).
 */
export function tileScale(layout: TileLayout, available: number, most = 6): number {
  const fit = available / layout.width;
  if (!(fit > 0)) return 1;
  return fit >= 2 ? Math.min(most, Math.floor(fit)) : fit;
}

/** Keys that move the chosen tile, as a grid does: arrows, Home/End (row), PageUp/PageDown (top/bottom). */
export function moveTile(layout: TileLayout, unit: number, key: string): number | null {
  const { cols, units } = layout;
  const col = unit % cols;
  const rowStart = unit - col;
  const last = units - 1;
  switch (key) {
    case 'ArrowRight':
      return Math.min(last, unit + 1);
    case 'ArrowLeft':
      return Math.max(0, unit - 1);
    case 'ArrowDown':
      return unit + cols <= last ? unit + cols : unit;
    case 'ArrowUp':
      return unit - cols >= 0 ? unit - cols : unit;
    case 'Home':
      return rowStart;
    case 'End':
      return Math.min(last, rowStart + cols - 1);
    case 'PageUp':
      return col;
    case 'PageDown': {
      // The lowest tile of this column (the last row may be short).
      const lowest = last - (last % cols) + col;
      return lowest <= last ? lowest : lowest - cols;
    }
    default:
      return null;
  }
}
