/**
 * The points the charts draw, kept in plain arrays outside Svelte's reactivity: a long run has tens
 * of thousands of them, and the charts read them at most once per frame. Arrays keep their identity
 * for the life of a session (cleared in place), so a chart can hold on to them.
 */
import type { IterationPoint } from '$shared/lab-api';
import type { EpochMetrics } from '$engine/training/events';

/** One chart point: chart.js reads `{x, y}` directly when parsing is off. */
export interface Point {
  x: number;
  y: number;
}

/**
 * How many images the trend lines average over, whatever the batch size: each trend point is an
 * exponential moving average of the raw values whose memory spans about this many samples (50
 * minibatches of 64), so small noisy batches get a longer window.
 */
export const TREND_SAMPLES = 3200;

/** The moving average's decay for a batch size: 0.98 for 64, closer to 1 for smaller batches. */
export function trendDecay(batchSize: number): number {
  return Math.min(0.999, Math.max(0.5, 1 - batchSize / TREND_SAMPLES));
}

/** Exponential moving average with bias correction (as in Adam), so it starts on the data. */
class Trend {
  private mean = 0;
  private weight = 0;
  decay = trendDecay(64);

  next(value: number): number {
    this.mean = this.decay * this.mean + (1 - this.decay) * value;
    this.weight = this.decay * this.weight + (1 - this.decay);
    return this.mean / this.weight;
  }

  reset(decay: number): void {
    this.mean = 0;
    this.weight = 0;
    this.decay = decay;
  }
}

/** The blog's plot: loss and accuracy of every minibatch, raw and as a trend. */
export class IterationCurves {
  readonly loss: Point[] = [];
  readonly lossTrend: Point[] = [];
  readonly accuracy: Point[] = [];
  readonly accuracyTrend: Point[] = [];
  private readonly lossAverage = new Trend();
  private readonly accuracyAverage = new Trend();

  add(points: readonly IterationPoint[]): void {
    for (const { iteration, loss, accuracy } of points) {
      // A non-finite loss (a diverging run) becomes a gap, and stays out of the trend.
      if (Number.isFinite(loss)) {
        this.loss.push({ x: iteration, y: loss });
        this.lossTrend.push({ x: iteration, y: this.lossAverage.next(loss) });
      } else {
        this.loss.push({ x: iteration, y: Number.NaN });
      }
      this.accuracy.push({ x: iteration, y: accuracy });
      this.accuracyTrend.push({ x: iteration, y: this.accuracyAverage.next(accuracy) });
    }
  }

  get size(): number {
    return this.loss.length;
  }

  /** Empties the curves for a new run trained with `batchSize` images per minibatch. */
  clear(batchSize: number): void {
    for (const points of [this.loss, this.lossTrend, this.accuracy, this.accuracyTrend]) points.length = 0;
    this.lossAverage.reset(trendDecay(batchSize));
    this.accuracyAverage.reset(trendDecay(batchSize));
  }
}

/** The notebook's plot: train and test accuracy after every epoch. */
export class EpochCurves {
  readonly train: Point[] = [];
  readonly test: Point[] = [];

  add(metrics: EpochMetrics): void {
    this.train.push({ x: metrics.epoch, y: metrics.trainAccuracy });
    this.test.push({ x: metrics.epoch, y: metrics.testAccuracy });
  }

  clear(): void {
    this.train.length = 0;
    this.test.length = 0;
  }
}
