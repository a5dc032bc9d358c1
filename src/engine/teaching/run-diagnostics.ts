/**
 * What went wrong (or is going wrong) with a training run, in words a student can act on. Each
 * diagnostic reads only the run's own record: the loss of every minibatch, the metrics of every
 * finished epoch and, where given, how the hidden units behave on test images after the run. Every
 * threshold is a named constant below with the reason for its value.
 */
import type { ActivationName, OptimizerName } from '../training/run-config';
import type { EpochMetrics } from '../training/events';
import { lossWindows } from './loss-windows';

/** How the units of one hidden layer behave on a batch of test images (see unit-health.ts). */
export interface HiddenLayerHealth {
  /** 1-based hidden layer number. */
  layer: number;
  units: number;
  /** Fraction of units that output exactly 0 for every image (dead ReLUs). */
  deadFraction: number;
  /** Sigmoid or tanh: fraction of outputs on a flat end of the curve; null for ReLU. */
  saturatedFraction: number | null;
  /** How much a unit's output changes from image to image: the mean over units of its standard deviation. */
  spread: number;
}

/** Everything the diagnostics read about a run. */
export interface RunRecord {
  activation: ActivationName;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  /** Classes of the dataset: a blind guess is right 1/classes of the time. */
  classes: number;
  /** The loss of every minibatch so far, in order (non-finite values are skipped). */
  losses: ArrayLike<number>;
  /** Metrics of every finished epoch. */
  epochs: readonly EpochMetrics[];
  /** The hidden units measured after the run; absent while it trains or when not measured. */
  hiddenLayers?: readonly HiddenLayerHealth[];
}

export type FindingId = 'did-not-learn' | 'loss-unstable' | 'loss-flat' | 'dead-relus' | 'saturated-units' | 'overfitting';

export interface Finding {
  id: FindingId;
  /** `problem`: the run failed at its job; `warning`: it worked, but something holds it back. */
  severity: 'problem' | 'warning';
  /** A short headline: "The network did not learn". */
  title: string;
  /** What the run's numbers show, with the numbers. */
  detail: string;
  /** What to try next. */
  advice: string;
}

/**
 * "Near chance": test accuracy below 1.5 × a blind guess (15 % on MNIST's 10 classes). A network
 * that learned anything at all passes this within its first epoch (the blog's slow unshuffled SGD
 * run reaches about 25 %); runs that stay under it (sigmoid with the course's tiny initial weights,
 * a learning rate of 1e-5) sit at 10–12 %.
 */
export const CHANCE_FACTOR = 1.5;

/**
 * The loss curve is judged on window means, each over at least this many images, so that the noise
 * of single minibatches (a batch of 8 can score 0 or 5) does not look like a trend; a window of
 * 1000 MNIST images has a mean loss steady to a few hundredths.
 */
export const WINDOW_IMAGES = 1000;
/** At most this many windows: a long run gets longer windows rather than more of them. */
export const MAX_WINDOWS = 50;
/** The loss shape is judged only once there are this many windows (4000 images at least). */
export const MIN_WINDOWS = 4;

/**
 * "Oscillating or rising": a window's mean loss climbs back more than 50 % above the lowest mean
 * before it. Healthy SGD runs, even noisy ones with batch 8, climb back by at most about 30 %; the
 * blog's network at learning rate 1.0 climbs back by about 70 %.
 */
export const UNSTABLE_RISE = 0.5;
/**
 * Rises are measured against at least this loss (nats): once a run's loss is down near 0.05, a
 * wiggle to 0.08 is 60 % but harmless.
 */
export const LOSS_FLOOR = 0.2;

/**
 * "Barely moves": no window's mean loss got 5 % below the first one's. Runs that
 * learn drop by far more within 4000 images (the default preset by over 60 %); a learning rate of
 * 1e-5, or sigmoid with the course's initial weights, moves by under 1 %.
 */
export const FLAT_DROP = 0.05;
/**
 * ...and only while the loss is still above half a blind guess's (ln C / 2, 1.15 on MNIST): a run
 * continued from a trained model starts low, and a flat loss there means little is left to learn.
 */
export const FLAT_ONLY_ABOVE = 0.5;

/**
 * "Most ReLUs dead": at least half of a hidden layer's units output 0 for every test image checked.
 * Such a unit passes back no gradient, so it never recovers; with half gone the layer has half its
 * width. (A healthy He-initialised ReLU net has a few per cent.)
 */
export const DEAD_MOST = 0.5;

/**
 * "Saturated": at least half of a sigmoid or tanh layer's outputs lie on a flat end of the curve
 * (within 2 % of the range of an asymptote, where the slope is below about 8 % of its peak).
 */
export const SATURATED_MOST = 0.5;

/**
 * "Units that say the same for every image": a sigmoid or tanh layer whose units' outputs change
 * from image to image by less than 1 % of the output range (standard deviation, averaged over
 * units). With tiny weights each unit sits near its midpoint whatever the image (the blog network
 * with sigmoid and the course's init: 0.002 in its second layer), and the gradient shrinks by
 * σ' ≤ 0.25 times a tiny weight at every layer on its way back. Layers that learn vary by 2 % or more.
 */
export const NARROW_SPREAD = 0.01;

/**
 * "Overfitting": training accuracy at least 5 percentage points above test accuracy at the last
 * epoch. A well-regularised MNIST run stays within about 2 points (the default preset: 99.5 vs
 * 98 %); a network trained on a few hundred images reaches 100 % on them and about 84 % on the test.
 */
export const OVERFIT_GAP = 0.05;

/** The findings, most serious first; an empty list when nothing looks wrong. */
export function diagnoseRun(run: RunRecord): Finding[] {
  const findings: Finding[] = [];
  const last = run.epochs.at(-1);
  const lossShape = lossWindows(run.losses, windowBatches(run));

  if (last !== undefined && Number.isFinite(last.testAccuracy) && last.testAccuracy < CHANCE_FACTOR / run.classes) {
    findings.push({
      id: 'did-not-learn',
      severity: 'problem',
      title: 'The network did not learn',
      detail: `Test accuracy is ${percent(last.testAccuracy)} after ${plural(run.epochs.length, 'epoch')}: about what guessing gives (${percent(1 / run.classes)} with ${run.classes} classes).`,
      advice: 'The cause is most often the learning rate or the initial weights; any other note here says which.',
    });
  }

  if (lossShape.length >= MIN_WINDOWS) {
    const unstable = largestRise(lossShape);
    if (unstable !== null) {
      findings.push({
        id: 'loss-unstable',
        severity: 'warning',
        title: unstable.endsHigh ? 'The loss is rising' : 'The loss jumps up and down',
        detail: `The loss fell to ${unstable.best.toFixed(2)}, then climbed back to ${unstable.value.toFixed(2)} (each an average over ${imagesPerWindow(run)} images): the steps overshoot the bottom of the valley.`,
        advice: `The learning rate (${run.learningRate}) is probably too high: try one 10× smaller.`,
      });
    }
    const first = lossShape[0];
    const final = lossShape[lossShape.length - 1];
    const lowest = Math.min(...lossShape);
    if (final > FLAT_ONLY_ABOVE * Math.log(run.classes) && first - lowest < FLAT_DROP * first) {
      findings.push(flatLoss(run, first, final));
    }
  }

  for (const layer of run.hiddenLayers ?? []) {
    if (run.activation === 'relu' && layer.deadFraction >= DEAD_MOST) {
      const dead = Math.round(layer.deadFraction * layer.units);
      findings.push({
        id: 'dead-relus',
        severity: 'warning',
        title: `Most ReLUs of hidden layer ${layer.layer} are dead`,
        detail: `${dead} of its ${layer.units} units output 0 for every test image checked, so no gradient flows through them and they can never learn again.`,
        advice: 'Try a smaller learning rate (a big step can push a unit where it never fires), He initialisation, or more units.',
      });
      break;
    }
    if (layer.saturatedFraction !== null && layer.saturatedFraction >= SATURATED_MOST) {
      findings.push({
        id: 'saturated-units',
        severity: 'warning',
        title: `Hidden layer ${layer.layer}'s ${run.activation} units are saturated`,
        detail: `${percent(layer.saturatedFraction)} of its outputs sit on a flat end of the ${run.activation} curve, where the slope is nearly 0, so almost no gradient passes back.`,
        advice: 'Try a smaller learning rate, Xavier initialisation, or ReLU.',
      });
      break;
    }
  }

  // A jumping loss makes the two accuracies differ by chance (training accuracy is averaged over the
  // epoch's changing weights, test accuracy taken at its end): that gap is not memorising.
  const unstable = findings.some((f) => f.id === 'loss-unstable');
  if (last !== undefined && !unstable && last.trainAccuracy - last.testAccuracy >= OVERFIT_GAP) {
    findings.push({
      id: 'overfitting',
      severity: 'warning',
      title: 'The network is memorising the training images',
      detail: `Training accuracy ${percent(last.trainAccuracy)} is well above test accuracy ${percent(last.testAccuracy)}: it does better on images it has seen than on new ones (overfitting).`,
      advice: 'Try more training images, fewer epochs, weight decay (e.g. 0.0001) or a smaller network.',
    });
  }
  return findings;
}

/** Diagnostics that can be judged while the run trains (they need no test images or weights). */
export const LIVE_FINDINGS: readonly FindingId[] = ['loss-unstable', 'loss-flat'];

function flatLoss(run: RunRecord, first: number, final: number): Finding {
  const detail = `The loss went from ${first.toFixed(3)} to ${final.toFixed(3)}: it has hardly changed (a blind guess scores ${Math.log(run.classes).toFixed(2)}).`;
  if (run.activation === 'relu') {
    return {
      id: 'loss-flat',
      severity: 'warning',
      title: 'The loss barely moves',
      detail,
      advice: `The learning rate (${run.learningRate}) is probably too low: try one 10× larger.`,
    };
  }
  const range = run.activation === 'sigmoid' ? 1 : 2;
  const same = (run.hiddenLayers ?? []).find((l) => l.spread < NARROW_SPREAD * range);
  const why = same
    ? ` The units of hidden layer ${same.layer} give almost the same output for every image (it changes by ${same.spread.toPrecision(2)} on average), so the layers after it cannot tell the digits apart.`
    : '';
  return {
    id: 'loss-flat',
    severity: 'warning',
    title: 'The loss barely moves',
    detail: `${detail}${why} With ${run.activation}, the gradient shrinks at every layer on its way back (its slope is at most ${run.activation === 'sigmoid' ? '0.25' : '1'}), more so with small initial weights or saturated units.`,
    advice: `Try Xavier initialisation, ReLU, or a learning rate 10× larger than ${run.learningRate}.`,
  };
}

/** Minibatches per window: at least WINDOW_IMAGES images, and at most MAX_WINDOWS windows. */
function windowBatches(run: RunRecord): number {
  const byImages = Math.ceil(WINDOW_IMAGES / run.batchSize);
  const byCount = Math.ceil(run.losses.length / MAX_WINDOWS);
  return Math.max(1, byImages, byCount);
}

function imagesPerWindow(run: RunRecord): number {
  return windowBatches(run) * run.batchSize;
}

/**
 * The window whose mean rose most above the lowest mean before it, when that rise is too large;
 * `endsHigh` when the last window is itself too far above the lowest mean before it.
 */
function largestRise(means: readonly number[]): { best: number; value: number; endsHigh: boolean } | null {
  let best = means[0];
  let worst: { best: number; value: number; rise: number } | null = null;
  let endsHigh = false;
  for (let i = 1; i < means.length; i++) {
    const rise = (means[i] - best) / Math.max(best, LOSS_FLOOR);
    if (rise > UNSTABLE_RISE && (worst === null || rise > worst.rise)) worst = { best, value: means[i], rise };
    endsHigh = rise > UNSTABLE_RISE;
    best = Math.min(best, means[i]);
  }
  return worst && { best: worst.best, value: worst.value, endsHigh };
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
