/**
 * The iteration chart's x axis: what it counts (minibatches, images seen or epochs) and what part
 * of the run it spans (the whole run, the first epoch, or the whole run on a log scale, which gives
 * the first few hundred minibatches, where the loss falls fastest, as much room as the rest). The
 * curves keep their points by iteration; these functions place them on the chosen axis.
 */
import { decimateMinMax } from '$ui/charts/decimate';
import type { Point } from '$ui/charts/curves';
import { formatCount } from '$ui/format';

export type XUnit = 'iterations' | 'images' | 'epochs';
export type XSpan = 'run' | 'first-epoch' | 'log';

export const X_UNITS: readonly { id: XUnit; label: string }[] = [
  { id: 'iterations', label: 'Iterations' },
  { id: 'images', label: 'Images seen' },
  { id: 'epochs', label: 'Epochs' },
];

export const X_SPANS: readonly { id: XSpan; label: string }[] = [
  { id: 'run', label: 'Whole run' },
  { id: 'first-epoch', label: 'First epoch' },
  { id: 'log', label: 'Log scale' },
];

/** What places a run's iterations on the axis. */
export interface RunShape {
  batchSize: number;
  batchesPerEpoch: number;
  /** Images in one epoch (the last minibatch of an epoch may be short). */
  trainCount: number;
  /** Minibatches in the whole run. */
  totalIterations: number;
}

/** Where iteration `iteration` (1-based; 0 is the start) lies on the axis. */
export function xOf(iteration: number, unit: XUnit, shape: RunShape): number {
  if (unit === 'iterations') return iteration;
  if (unit === 'epochs') return iteration / Math.max(1, shape.batchesPerEpoch);
  const perEpoch = Math.max(1, shape.batchesPerEpoch);
  const epochsDone = Math.floor(Math.max(0, iteration - 1) / perEpoch);
  const inEpoch = iteration - epochsDone * perEpoch;
  return epochsDone * shape.trainCount + Math.min(inEpoch * shape.batchSize, shape.trainCount);
}

export interface XAxisRange {
  type: 'linear' | 'logarithmic';
  min: number;
  max: number;
}

/** The axis for a run: from its start (from its first minibatch on a log scale) to its end or first epoch's end. */
export function xRange(unit: XUnit, span: XSpan, shape: RunShape): XAxisRange {
  const total = Math.max(1, shape.totalIterations);
  if (span === 'log') return { type: 'logarithmic', min: xOf(1, unit, shape), max: Math.max(xOf(total, unit, shape), xOf(1, unit, shape) * 10) };
  const end = span === 'first-epoch' ? Math.min(total, Math.max(1, shape.batchesPerEpoch)) : total;
  return { type: 'linear', min: 0, max: xOf(end, unit, shape) };
}

/** The axis title, in plain words. */
export function xTitle(unit: XUnit): string {
  if (unit === 'images') return 'Images seen';
  if (unit === 'epochs') return 'Epochs';
  return 'Iteration (minibatch)';
}

/** A tick's label: whole numbers with separators, epochs with up to two decimals. */
export function xTickLabel(value: number, unit: XUnit): string {
  if (unit === 'epochs') return String(Number(value.toFixed(2)));
  // Iterations and images are whole: an axis of 0 to 1 before a run would read "0 0 0 1 1 1".
  return Number.isInteger(value) ? formatCount(value) : '';
}

/** On a log axis only 1, 2 and 5 of each power of ten are labelled, so the labels never crowd. */
export function logTickShown(value: number): boolean {
  if (value <= 0) return false;
  const leading = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return [1, 2, 5].some((digit) => Math.abs(leading - digit) < 1e-6);
}

/**
 * The points of one curve as drawn: placed on the axis (by `shape`, the shape of the run that made
 * them, which for a previous run may differ from the axis's run), cut where the axis ends, and
 * decimated to at most four per pixel column of a plot `width` pixels wide.
 */
export function displayPoints(points: readonly Point[], unit: XUnit, shape: RunShape, range: XAxisRange, width: number): Point[] {
  const placed: Point[] = [];
  for (const point of points) {
    const x = xOf(point.x, unit, shape);
    placed.push({ x, y: point.y });
    // One point past the axis's end, so the line runs to the edge (the plot clips it there).
    if (x > range.max) break;
  }
  const position =
    range.type === 'logarithmic'
      ? (x: number) => (Math.log(x) - Math.log(range.min)) / (Math.log(range.max) - Math.log(range.min))
      : (x: number) => (x - range.min) / (range.max - range.min || 1);
  const columns = Math.max(1, Math.round(width));
  return decimateMinMax(placed, (x) => position(x) * columns);
}
