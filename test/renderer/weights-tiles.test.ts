// The Weights screen's tile grid as numbers: where tiles sit, which one a point is over, where the
// keyboard moves, how large they are drawn, and the colours painted into the one grid image.
import { describe, expect, it } from 'vitest';
import { moveTile, tileAt, tileLayout, tileOrigin, tileScale } from '../../src/renderer/src/features/weights/tile-layout';
import { divergingTable, fillTileGrid, LEVELS, levelOf, unitWeights } from '../../src/renderer/src/features/weights/tile-painter';
import { divergingColour, NAN_COLOUR } from '../../src/renderer/src/ui/colour-scale';

describe('tile layout', () => {
  // 10 units of 3×3: gridShape gives 4 columns × 3 rows (the last row holds 8 and 9); step 4.
  const layout = tileLayout(10, 3);

  it('places tiles in rows with one pixel between them', () => {
    expect(layout).toEqual({ units: 10, side: 3, cols: 4, rows: 3, step: 4, width: 15, height: 11 });
    expect(tileOrigin(layout, 0)).toEqual({ x: 0, y: 0 });
    expect(tileOrigin(layout, 3)).toEqual({ x: 12, y: 0 });
    expect(tileOrigin(layout, 4)).toEqual({ x: 0, y: 4 });
    expect(tileOrigin(layout, 9)).toEqual({ x: 4, y: 8 });
  });

  it('finds the tile under a point, and none over a gap, past the last tile or outside', () => {
    expect(tileAt(layout, 0, 0)).toBe(0);
    expect(tileAt(layout, 2, 2)).toBe(0);
    expect(tileAt(layout, 3, 0)).toBeNull(); // the gap after tile 0
    expect(tileAt(layout, 4, 0)).toBe(1);
    expect(tileAt(layout, 6, 10)).toBe(9);
    expect(tileAt(layout, 8, 8)).toBeNull(); // where unit 10 would be
    expect(tileAt(layout, 9, 3)).toBeNull(); // the gap between the rows
    expect(tileAt(layout, -1, 0)).toBeNull();
    expect(tileAt(layout, 15, 0)).toBeNull();
    expect(tileAt(layout, 0, 11)).toBeNull();
    expect(tileAt(layout, Number.NaN, 0)).toBeNull();
    // Every tile's every pixel maps back to that tile.
    for (let unit = 0; unit < 10; unit++) {
      const { x, y } = tileOrigin(layout, unit);
      for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) expect(tileAt(layout, x + dx, y + dy)).toBe(unit);
    }
  });

  it('moves the keyboard cursor as a grid does, never off the grid', () => {
    expect(moveTile(layout, 0, 'ArrowRight')).toBe(1);
    expect(moveTile(layout, 3, 'ArrowRight')).toBe(4); // on to the next row
    expect(moveTile(layout, 9, 'ArrowRight')).toBe(9);
    expect(moveTile(layout, 0, 'ArrowLeft')).toBe(0);
    expect(moveTile(layout, 2, 'ArrowDown')).toBe(6);
    expect(moveTile(layout, 5, 'ArrowDown')).toBe(9);
    expect(moveTile(layout, 6, 'ArrowDown')).toBe(6); // nothing below in the short last row
    expect(moveTile(layout, 6, 'ArrowUp')).toBe(2);
    expect(moveTile(layout, 2, 'ArrowUp')).toBe(2);
    expect(moveTile(layout, 6, 'Home')).toBe(4);
    expect(moveTile(layout, 6, 'End')).toBe(7);
    expect(moveTile(layout, 8, 'End')).toBe(9);
    expect(moveTile(layout, 9, 'PageUp')).toBe(1);
    expect(moveTile(layout, 1, 'PageDown')).toBe(9);
    expect(moveTile(layout, 3, 'PageDown')).toBe(7);
    expect(moveTile(layout, 3, 'x')).toBeNull();
  });

  it('knows a short last row: no tile past the last unit', () => {
    const short = tileLayout(7, 2); // 4 columns × 2 rows, the second row has 3 tiles
    expect(short.cols).toBe(4);
    expect(tileAt(short, tileOrigin(short, 6).x, tileOrigin(short, 6).y)).toBe(6);
    expect(tileAt(short, 3 * short.step, short.step)).toBeNull();
  });

  it('moves the keyboard cursor in a grid with a short last row', () => {
    const short = tileLayout(7, 2);
    expect(moveTile(short, 3, 'PageDown')).toBe(3); // column 3 has no tile in the short last row
    expect(moveTile(short, 5, 'End')).toBe(6);
    expect(moveTile(short, 3, 'ArrowDown')).toBe(3);
  });

  it('draws the grid as wide as the panel: whole pixels per weight from 2 up, at most 6', () => {
    const grid = tileLayout(256, 28); // 21 columns: 608 canvas pixels wide
    expect(grid.width).toBe(608);
    expect(tileScale(grid, 1300)).toBe(2);
    expect(tileScale(grid, 1823)).toBe(2);
    expect(tileScale(grid, 1824)).toBe(3);
    expect(tileScale(grid, 100_000)).toBe(6);
    expect(tileScale(grid, 912)).toBeCloseTo(1.5, 10);
    expect(tileScale(grid, 304)).toBeCloseTo(0.5, 10);
    expect(tileScale(grid, 0)).toBe(1);
  });
});

describe('tile painting', () => {
  const table = divergingTable();
  const rgbAt = (level: number) => Array.from(table.subarray(level * 3, level * 3 + 3));

  it('looks colours up in a table of the diverging scale', () => {
    expect(table).toHaveLength((LEVELS + 1) * 3);
    expect(rgbAt(0)).toEqual(divergingColour(-1, 1));
    expect(rgbAt(LEVELS - 1)).toEqual(divergingColour(1, 1));
    expect(rgbAt(100)).toEqual(divergingColour(-1 + 200 / (LEVELS - 1), 1));
    expect(rgbAt(LEVELS)).toEqual([...NAN_COLOUR]);
  });

  it.each([
    ['−maxAbs', -0.5, 0.5, 0],
    ['+maxAbs', 0.5, 0.5, LEVELS - 1],
    ['beyond the range (clamped)', 7, 0.5, LEVELS - 1],
    ['zero', 0, 0.5, 128],
    ['NaN', Number.NaN, 0.5, LEVELS],
    ['a positive value on an all-zero scale', 0.1, 0, LEVELS - 1],
    ['−∞ on an infinite scale', -Infinity, Infinity, 0],
  ])('levels: %s', (_name, value, maxAbs, level) => {
    expect(levelOf(value, maxAbs)).toBe(level);
  });

  it('paints tile j from column j of the weight matrix, and leaves the gaps transparent', () => {
    // 3 units of 2×2 (3 columns × 1 row, 8×2 canvas pixels); unit j's weights are all j − 1.
    const layout = tileLayout(3, 2);
    expect(layout).toMatchObject({ cols: 3, rows: 1, width: 8, height: 2 });
    const weights = new Float32Array(4 * 3);
    for (let p = 0; p < 4; p++) for (let j = 0; j < 3; j++) weights[p * 3 + j] = j - 1;
    weights[3 * 3 + 2] = Number.NaN; // the last pixel of unit 2
    const out = new Uint8ClampedArray(8 * 2 * 4).fill(9);
    fillTileGrid(out, weights, layout, 1, table);
    const pixel = (x: number, y: number) => Array.from(out.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 4));
    expect(pixel(0, 0)).toEqual([...divergingColour(-1, 1), 255]);
    expect(pixel(1, 1)).toEqual([...divergingColour(-1, 1), 255]);
    expect(pixel(2, 0)).toEqual([0, 0, 0, 0]); // gap
    expect(pixel(3, 0)).toEqual([...rgbAt(levelOf(0, 1)), 255]);
    expect(pixel(6, 0)).toEqual([...divergingColour(1, 1), 255]);
    expect(pixel(7, 1)).toEqual([...NAN_COLOUR, 255]);
  });

  it('colours every pixel of a full 256-unit grid as levelOf says, whatever the values and scale', () => {
    const layout = tileLayout(256, 28);
    const special = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e30];
    const weights = Float32Array.from({ length: 784 * 256 }, (_, i) => (i % 97 === 0 ? special[i % special.length] : Math.sin(i) * 0.3));
    for (const maxAbs of [0.25, 0, Infinity]) {
      const out = new Uint8ClampedArray(layout.width * layout.height * 4);
      fillTileGrid(out, weights, layout, maxAbs, table);
      const wrong: string[] = [];
      for (let unit = 0; unit < 256 && wrong.length < 3; unit += 17) {
        const { x, y } = tileOrigin(layout, unit);
        for (let p = 0; p < 784; p++) {
          const o = ((y + Math.floor(p / 28)) * layout.width + x + (p % 28)) * 4;
          const expected = [...rgbAt(levelOf(weights[p * 256 + unit], maxAbs)), 255];
          if (Array.from(out.subarray(o, o + 4)).join() !== expected.join()) wrong.push(`unit ${unit} pixel ${p} on ±${maxAbs}`);
        }
      }
      expect(wrong).toEqual([]);
    }
  });

  it('refuses a buffer or weights of the wrong size with a message', () => {
    const layout = tileLayout(3, 2);
    expect(() => fillTileGrid(new Uint8ClampedArray(4), new Float32Array(12), layout, 1, table)).toThrow(/8×2 grid needs 64 RGBA bytes/);
    expect(() => fillTileGrid(new Uint8ClampedArray(64), new Float32Array(11), layout, 1, table)).toThrow(/need 12 weights; there are 11/);
  });

  it("picks one unit's weights out of the matrix as an image", () => {
    const weights = Float32Array.from({ length: 12 }, (_, i) => i); // 4 pixels × 3 units
    expect(Array.from(unitWeights(weights, 3, 1))).toEqual([1, 4, 7, 10]);
  });
});
