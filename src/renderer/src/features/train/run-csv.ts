/**
 * A training run's numbers as CSV files (RFC 4180: comma-separated, CRLF line ends), for a
 * spreadsheet or a report: one row per minibatch, and one row per finished epoch.
 */
import type { EpochMetrics } from '$engine/training/events';
import type { Point } from '$ui/charts/curves';

/** The per-iteration curves as the Train screen keeps them: one point per minibatch, x = iteration. */
export interface IterationSeries {
  loss: readonly Point[];
  accuracy: readonly Point[];
}

/**
 * `iteration,epoch,loss,accuracy`: every minibatch's loss and accuracy, each measured before its
 * update. A non-finite loss (a diverging run) is an empty field.
 */
export function iterationsCsv(series: IterationSeries, batchesPerEpoch: number): string {
  const rows = series.loss.map((point, i) => [
    String(point.x),
    String(Math.ceil(point.x / Math.max(1, batchesPerEpoch))),
    numberField(point.y),
    numberField(series.accuracy[i]?.y ?? Number.NaN),
  ]);
  return toCsv([['iteration', 'epoch', 'loss', 'accuracy'], ...rows]);
}

/** One row per finished epoch: train loss and accuracy (minibatch averages), test loss and accuracy, time and speed. */
export function epochsCsv(epochs: readonly EpochMetrics[]): string {
  const header = ['epoch', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'seconds', 'samplesPerSecond'];
  const rows = epochs.map((e) => [e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy, e.seconds, e.samplesPerSecond].map(numberField));
  return toCsv([header, ...rows]);
}

function numberField(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.join(',')).join('\r\n') + '\r\n';
}
