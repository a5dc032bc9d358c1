/**
 * The study chart's series: which metric, per iteration or per epoch, smoothed or not, and a colour
 * per run from a palette colour-blind readers can tell apart.
 */
import type { IterationPoint } from '$shared/lab-api';
import type { StudyEpochMetrics } from '$shared/time-to-target';
import type { Point } from '$ui/charts/curves';

/** One run's curves so far. */
export interface RunCurves {
  iterations: IterationPoint[];
  /** Each with its time since the run's start (not in studies saved before it was kept). */
  epochs: StudyEpochMetrics[];
}

export const STUDY_METRICS = [
  { id: 'iteration-loss', label: 'Loss / iteration', axis: 'Loss', percent: false },
  { id: 'iteration-accuracy', label: 'Accuracy / iteration', axis: 'Train accuracy', percent: true },
  { id: 'epoch-train-loss', label: 'Train loss / epoch', axis: 'Train loss', percent: false },
  { id: 'epoch-train-accuracy', label: 'Train accuracy / epoch', axis: 'Train accuracy', percent: true },
  { id: 'epoch-test-accuracy', label: 'Test accuracy / epoch', axis: 'Test accuracy', percent: true },
] as const;
export type StudyMetric = (typeof STUDY_METRICS)[number]['id'];

/**
 * Paul Tol's "muted" scheme (nine colours distinguishable with the common colour-vision
 * deficiencies) on light backgrounds, his "light" scheme on dark ones, where muted's indigo and wine
 * would vanish; a tenth run and beyond reuse them with a dashed line.
 */
export const RUN_PALETTE = ['#CC6677', '#332288', '#DDCC77', '#117733', '#88CCEE', '#882255', '#44AA99', '#999933', '#AA4499'] as const;
export const RUN_PALETTE_DARK = ['#EE8866', '#77AADD', '#EEDD88', '#44BB99', '#99DDFF', '#FFAABB', '#BBCC33', '#AAAA00', '#DDDDDD'] as const;

export function runColour(index: number, dark = false): string {
  const palette = dark ? RUN_PALETTE_DARK : RUN_PALETTE;
  return palette[index % palette.length];
}

export function runDash(index: number): number[] {
  return index < RUN_PALETTE.length ? [] : [6, 4];
}

export function isEpochMetric(metric: StudyMetric): boolean {
  return metric.startsWith('epoch-');
}

/** The raw points of one run for a metric; non-finite values (a diverged run) are left out. */
export function rawSeries(curves: RunCurves, metric: StudyMetric): Point[] {
  const points: Point[] = [];
  const push = (x: number, y: number): void => {
    if (Number.isFinite(y)) points.push({ x, y });
  };
  switch (metric) {
    case 'iteration-loss':
      for (const p of curves.iterations) push(p.iteration, p.loss);
      break;
    case 'iteration-accuracy':
      for (const p of curves.iterations) push(p.iteration, p.accuracy);
      break;
    case 'epoch-train-loss':
      for (const e of curves.epochs) push(e.epoch, e.trainLoss);
      break;
    case 'epoch-train-accuracy':
      for (const e of curves.epochs) push(e.epoch, e.trainAccuracy);
      break;
    case 'epoch-test-accuracy':
      for (const e of curves.epochs) push(e.epoch, e.testAccuracy);
      break;
  }
  return points;
}

/**
 * Exponential moving average with TensorBoard's debiasing: s = 0 is the raw curve, s → 1 ever
 * smoother; the first points are not dragged towards zero.
 */
export function smooth(points: readonly Point[], s: number): Point[] {
  if (s <= 0) return points.slice();
  let mean = 0;
  let weight = 0;
  return points.map(({ x, y }) => {
    mean = s * mean + (1 - s) * y;
    weight = s * weight + (1 - s);
    return { x, y: mean / weight };
  });
}
