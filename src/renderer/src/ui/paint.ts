/** Drawing numbers to canvases with putImageData, in the colour scales of src/shared/colour-scale. */
import { fillDivergingRgba, symmetricRange } from './colour-scale';

/** Paints one grey-level image (0–255, ink high) as dark ink on white, one canvas pixel per image pixel. */
export function paintGrey(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, width: number, height: number): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) return;
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const v = 255 - pixels[i];
    image.data[i * 4] = v;
    image.data[i * 4 + 1] = v;
    image.data[i * 4 + 2] = v;
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/**
 * Paints a rows × cols matrix (row-major) as a heatmap, symmetric around 0, one canvas pixel a value:
 * a layer's weights, or one unit's first-layer weights as a picture (the Backprop screen's zoom).
 */
export function paintHeatmap(canvas: HTMLCanvasElement, values: ArrayLike<number>, rows: number, cols: number, maxAbs = symmetricRange(values)): void {
  // Setting a canvas's size reallocates and clears it even when unchanged; a live view repaints often.
  if (canvas.width !== cols) canvas.width = cols;
  if (canvas.height !== rows) canvas.height = rows;
  const context = canvas.getContext('2d');
  if (context === null) return;
  const image = context.createImageData(cols, rows);
  fillDivergingRgba(image.data, values, cols, rows, maxAbs);
  context.putImageData(image, 0, 0);
}

/** Which cell of a canvas drawn at `cellsWide × cellsHigh` the pointer is over, from its CSS size. */
export function cellAt(event: MouseEvent, canvas: HTMLCanvasElement): { x: number; y: number } {
  const box = canvas.getBoundingClientRect();
  const x = Math.floor(((event.clientX - box.left) / box.width) * canvas.width);
  const y = Math.floor(((event.clientY - box.top) / box.height) * canvas.height);
  return { x: Math.min(canvas.width - 1, Math.max(0, x)), y: Math.min(canvas.height - 1, Math.max(0, y)) };
}
