/**
 * Drawing 2-D data on a canvas: a data rectangle mapped onto the canvas (y up), the two classes as
 * blue circles and orange squares (Okabe–Ito colours, told apart by shape as well as hue).
 */
import type { Bounds } from '$engine/teaching/decision-grid';

export const CLASS_COLOURS = ['#0072B2', '#E69F00'] as const;

export interface PlaneView {
  context: CanvasRenderingContext2D;
  width: number;
  height: number;
  bounds: Bounds;
  toCanvas(x: number, y: number): [number, number];
  toData(px: number, py: number): [number, number];
}

/** Sizes the canvas to its box (device pixels) and maps `bounds` onto it; null without a 2-D context. */
export function planeView(canvas: HTMLCanvasElement, bounds: Bounds): PlaneView | null {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return null;
  const sx = width / (bounds.xMax - bounds.xMin);
  const sy = height / (bounds.yMax - bounds.yMin);
  return {
    context,
    width,
    height,
    bounds,
    toCanvas: (x, y) => [(x - bounds.xMin) * sx, (bounds.yMax - y) * sy],
    toData: (px, py) => [bounds.xMin + (px * ratio) / sx, bounds.yMax - (py * ratio) / sy],
  };
}

/** Square bounds around the points (equal units on both axes, so angles and w's direction look right). */
export function squareBounds(points: readonly (readonly number[])[], margin = 1.5): Bounds {
  let xMin = -1;
  let xMax = 1;
  let yMin = -1;
  let yMax = 1;
  if (points.length > 0) {
    xMin = Math.min(...points.map((p) => p[0]));
    xMax = Math.max(...points.map((p) => p[0]));
    yMin = Math.min(...points.map((p) => p[1]));
    yMax = Math.max(...points.map((p) => p[1]));
  }
  const half = Math.max(xMax - xMin, yMax - yMin) / 2 + margin;
  const cx = (xMin + xMax) / 2;
  const cy = (yMin + yMax) / 2;
  return { xMin: cx - half, xMax: cx + half, yMin: cy - half, yMax: cy + half };
}

export function drawAxes(view: PlaneView, grid: string, text: string): void {
  const { context, bounds } = view;
  const ratio = window.devicePixelRatio || 1;
  context.strokeStyle = grid;
  context.lineWidth = ratio;
  context.fillStyle = text;
  // The charts' text size (app.css: 14 px, more in presentation mode), in the canvas's pixels.
  const textPx = parseFloat(getComputedStyle(context.canvas).getPropertyValue('--chart-text')) || 14;
  context.font = `${textPx * ratio}px system-ui, sans-serif`;
  const step = niceStep((bounds.xMax - bounds.xMin) / 6);
  for (let v = Math.ceil(bounds.xMin / step) * step; v <= bounds.xMax; v += step) {
    const [px] = view.toCanvas(v, 0);
    context.beginPath();
    context.moveTo(px, 0);
    context.lineTo(px, view.height);
    context.stroke();
    context.fillText(formatTick(v), px + 2 * ratio, view.height - 4 * ratio);
  }
  for (let v = Math.ceil(bounds.yMin / step) * step; v <= bounds.yMax; v += step) {
    const [, py] = view.toCanvas(0, v);
    context.beginPath();
    context.moveTo(0, py);
    context.lineTo(view.width, py);
    context.stroke();
    // A label above the top line would be cut by the canvas's edge.
    if (py - 3 * ratio >= textPx * ratio) context.fillText(formatTick(v), 3 * ratio, py - 3 * ratio);
  }
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
}

function formatTick(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function drawPoints(view: PlaneView, points: readonly (readonly number[])[], labels: readonly number[], outline: string): void {
  const { context } = view;
  const ratio = window.devicePixelRatio || 1;
  const r = 3.6 * ratio;
  context.lineWidth = ratio;
  context.strokeStyle = outline;
  points.forEach((p, i) => {
    const [px, py] = view.toCanvas(p[0], p[1]);
    context.fillStyle = CLASS_COLOURS[labels[i] === 1 ? 1 : 0];
    context.beginPath();
    if (labels[i] === 1) context.rect(px - r, py - r, 2 * r, 2 * r);
    else context.arc(px, py, r, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  });
}
