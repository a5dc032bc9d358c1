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
 * One colour per run, each a line at least 3 : 1 against its theme's chart background (WCAG's
 * minimum for graphics; test/renderer/run-palette.test.ts measures it against app.css). On light
 * backgrounds Paul Tol's "muted" scheme, with its three pale colours (sand, cyan, olive), which
 * vanished on white, swapped for darker ones of nearby hue from his other schemes (ochre, blue,
 * teal) and a grey; on dark backgrounds his "light" scheme, where muted's indigo and wine would
 * vanish. A tenth run and beyond reuse them with a dashed line.
 */
export const RUN_PALETTE = ['#CC6677', '#332288', '#997700', '#117733', '#0077BB', '#882255', '#009988', '#666666', '#AA4499'] as const;
export const RUN_PALETTE_DARK = ['#EE8866', '#77AADD', '#EEDD88', '#44BB99', '#99DDFF', '#FFAABB', '#BBCC33', '#AAAA00', '#DDDDDD'] as const;

export function runColour(index: number, dark = false): string {
  const palette = dark ? RUN_PALETTE_DARK : RUN_PALETTE;
  return palette[index % palette.length];
}

export function runDash(index: number): number[] {
  return index < RUN_PALETTE.length ? [] : [6, 4];
}

/**
 * What the x axis of a per-iteration metric counts. Iterations squeeze a small batch's long run
 * against a large batch's short one (batch 16 takes 8× the iterations of batch 128 for the same
 * epoch); images seen and epochs put runs that saw the same data at the same x.
 */
export const STUDY_X_AXES = [
  { id: 'epochs', label: 'Epochs', title: 'Epoch' },
  { id: 'images', label: 'Images seen', title: 'Images seen' },
  { id: 'iterations', label: 'Iterations', title: 'Iteration (minibatch)' },
] as const;
export type StudyXAxis = (typeof STUDY_X_AXES)[number]['id'];

/**
 * What an iteration number is multiplied by for the chosen axis: 1 for iterations, the batch size
 * for images seen, 1 / iterations per epoch for epochs (null while the run's length is unknown).
 * Images seen are counted as whole batches: an epoch's last, partial batch counts as full, so a
 * run reads at most one batch per epoch more than it saw (6 016 for 6 000 images in batches of 128).
 */
export function iterationScale(axis: StudyXAxis, run: { config: { batchSize: number; epochs: number }; totalIterations: number | null }): number | null {
  switch (axis) {
    case 'iterations':
      return 1;
    case 'images':
      return run.config.batchSize;
    case 'epochs':
      return run.totalIterations ? run.config.epochs / run.totalIterations : null;
  }
}

/** The points with x multiplied by `scale`. */
export function scaleX(points: readonly Point[], scale: number): Point[] {
  return scale === 1 ? points.slice() : points.map(({ x, y }) => ({ x: x * scale, y }));
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
