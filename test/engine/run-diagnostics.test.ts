// The run diagnostics on made-up histories whose shape is known, one finding at a time, and at the
// edges of each threshold. Real MNIST runs made to show each one are in run-diagnostics-mnist.test.ts.
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/engine/training/events';
import {
  CHANCE_FACTOR,
  DEAD_MOST,
  FLAT_DROP,
  OVERFIT_GAP,
  SATURATED_MOST,
  UNSTABLE_RISE,
  WINDOW_IMAGES,
  diagnoseRun,
  type HiddenLayerHealth,
  type RunRecord,
} from '../../src/engine/teaching/run-diagnostics';
import { lossWindows } from '../../src/engine/teaching/loss-windows';
import { meanUnitSpread } from '../../src/engine/teaching/unit-health';

const BLIND = Math.log(10);

function epoch(n: number, trainAccuracy: number, testAccuracy: number): EpochMetrics {
  return { epoch: n, trainLoss: 0.5, trainAccuracy, testLoss: 0.5, testAccuracy, seconds: 1, samplesPerSecond: 1000 };
}

/** A loss curve of `batches` minibatches following `shape(t)` for t from 0 to 1. */
function curve(batches: number, shape: (t: number) => number): number[] {
  return Array.from({ length: batches }, (_, i) => shape(i / (batches - 1)));
}

/** A healthy run: the loss falls smoothly from a blind guess to 0.1, test 97 %, train 98 %. */
function healthy(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    activation: 'relu',
    optimizer: 'sgd',
    learningRate: 0.1,
    batchSize: 100,
    classes: 10,
    losses: curve(600, (t) => 0.1 + (BLIND - 0.1) * Math.exp(-6 * t)),
    epochs: [epoch(1, 0.95, 0.96), epoch(2, 0.98, 0.97)],
    ...overrides,
  };
}

function layer(overrides: Partial<HiddenLayerHealth>): HiddenLayerHealth {
  return { layer: 1, units: 100, deadFraction: 0, saturatedFraction: null, spread: 0.5, ...overrides };
}

const ids = (run: RunRecord) => diagnoseRun(run).map((f) => f.id);

describe('run diagnostics', () => {
  it('find nothing wrong with a healthy run, with or without unit measurements', () => {
    expect(diagnoseRun(healthy())).toEqual([]);
    expect(diagnoseRun(healthy({ hiddenLayers: [layer({ deadFraction: 0.03 }), layer({ layer: 2, deadFraction: 0.1 })] }))).toEqual([]);
  });

  it('say "did not learn" when test accuracy stays under 1.5 × chance, and name the numbers', () => {
    const run = healthy({ epochs: [epoch(1, 0.11, 0.112)] });
    const [finding] = diagnoseRun(run);
    expect(finding.id).toBe('did-not-learn');
    expect(finding.severity).toBe('problem');
    expect(finding.detail).toContain('11.2 %');
    expect(finding.detail).toContain('10.0 % with 10 classes');
    // Just above the line (15 % on MNIST) is slow learning, not none; 2 classes have a 75 % line.
    expect(ids(healthy({ epochs: [epoch(1, 0.2, CHANCE_FACTOR / 10 + 0.001)] }))).not.toContain('did-not-learn');
    expect(ids(healthy({ classes: 2, epochs: [epoch(1, 0.7, 0.7)] }))).toContain('did-not-learn');
    // No epoch finished (stopped early), or no test measured: nothing to judge.
    expect(ids(healthy({ epochs: [] }))).not.toContain('did-not-learn');
    expect(ids(healthy({ epochs: [{ ...epoch(1, 0.1, 0.1), testAccuracy: Number.NaN }] }))).not.toContain('did-not-learn');
  });

  it('say the loss jumps up and down when it climbs back more than 50 % above its best, and blame the learning rate', () => {
    // Falls to 1.0 and stays there a while, jumps to 1.8 mid-run, ends at 0.6 (500 batches of 100:
    // 50 windows of 1000 images).
    const losses = curve(500, (t) => (t < 0.3 ? BLIND - (BLIND - 1) * (t / 0.3) : t < 0.4 ? 1 : t < 0.6 ? 1.8 : 0.6));
    const finding = diagnoseRun(healthy({ losses, learningRate: 1 })).find((f) => f.id === 'loss-unstable');
    expect(finding?.title).toBe('The loss jumps up and down');
    expect(finding?.detail).toContain('fell to 1.00, then climbed back to 1.80');
    expect(finding?.detail).toContain(`${WINDOW_IMAGES} images`);
    expect(finding?.advice).toContain('learning rate (1) is probably too high');
  });

  it('say the loss is rising when it ends far above its best', () => {
    const losses = curve(600, (t) => (t < 0.5 ? BLIND - (BLIND - 0.8) * 2 * t : 0.8 + 3 * (t - 0.5)));
    expect(diagnoseRun(healthy({ losses })).find((f) => f.id === 'loss-unstable')?.title).toBe('The loss is rising');
  });

  it('let rises up to 50 % pass, and measure rises on a low loss against 0.2 nats', () => {
    const within = curve(600, (t) => (t < 0.5 ? 1 : 1 + UNSTABLE_RISE - 0.01));
    expect(ids(healthy({ losses: within }))).not.toContain('loss-unstable');
    // 0.05 → 0.12 is +140 % of 0.05 but only +35 % of the 0.2 floor: a harmless wiggle.
    const low = curve(600, (t) => (t < 0.1 ? BLIND : t < 0.7 ? 0.05 : 0.12));
    expect(ids(healthy({ losses: low }))).not.toContain('loss-unstable');
  });

  it('do not mistake single noisy minibatches for a trend: windows average 1000 images', () => {
    // Batch 10: every other batch scores 3× the loss of its neighbour; windows of 100 batches smooth it.
    const losses = curve(2000, (t) => BLIND * Math.exp(-3 * t)).map((l, i) => (i % 2 === 0 ? l * 0.5 : l * 1.5));
    expect(ids(healthy({ losses, batchSize: 10 }))).toEqual([]);
  });

  it('say the loss barely moves when it never gets 5 % below where it started, blaming a low rate for ReLU', () => {
    const losses = curve(600, (t) => BLIND - 0.01 * t);
    const finding = diagnoseRun(healthy({ losses, learningRate: 1e-5 })).find((f) => f.id === 'loss-flat');
    expect(finding?.advice).toContain('learning rate (0.00001) is probably too low');
    const moving = curve(600, (t) => BLIND * (1 - (FLAT_DROP + 0.01) * t));
    expect(ids(healthy({ losses: moving }))).not.toContain('loss-flat');
    // A loss that fell and came back (units that died mid-run) moved: that is not a low rate.
    const back = curve(600, (t) => (t < 0.2 ? BLIND * (1 - 0.5 * t) : BLIND));
    expect(ids(healthy({ losses: back }))).not.toContain('loss-flat');
  });

  it('name the gradient and the units that say the same for every image in a flat sigmoid run', () => {
    const losses = curve(600, () => BLIND);
    const layers = [layer({ saturatedFraction: 0, spread: 0.03 }), layer({ layer: 2, saturatedFraction: 0, spread: 0.002 })];
    const finding = diagnoseRun(healthy({ activation: 'sigmoid', losses, hiddenLayers: layers })).find((f) => f.id === 'loss-flat');
    expect(finding?.detail).toContain('hidden layer 2 give almost the same output for every image (it changes by 0.0020');
    expect(finding?.detail).toContain('at most 0.25');
    expect(finding?.advice).toContain('Xavier');
  });

  it('do not call a low, flat loss a problem (a model continued after training)', () => {
    expect(ids(healthy({ losses: curve(600, () => 0.05) }))).toEqual([]);
  });

  it('judge the loss shape only with four full windows (4000 images) or more', () => {
    const flat = curve(39, () => BLIND);
    expect(lossWindows(flat, 10)).toHaveLength(3);
    expect(ids(healthy({ losses: flat }))).not.toContain('loss-flat');
    expect(ids(healthy({ losses: curve(40, () => BLIND) }))).toContain('loss-flat');
  });

  it('say most ReLUs are dead from half a layer on, with the count of units', () => {
    const finding = diagnoseRun(healthy({ hiddenLayers: [layer({ units: 4, deadFraction: 0.75 })] })).find((f) => f.id === 'dead-relus');
    expect(finding?.title).toBe('Most ReLUs of hidden layer 1 are dead');
    expect(finding?.detail).toContain('3 of its 4 units');
    expect(ids(healthy({ hiddenLayers: [layer({ deadFraction: DEAD_MOST - 0.01 })] }))).toEqual([]);
    expect(ids(healthy({ hiddenLayers: [layer({}), layer({ layer: 2, deadFraction: DEAD_MOST })] }))).toEqual(['dead-relus']);
  });

  it('say sigmoid or tanh units are saturated from half their outputs on', () => {
    const run = healthy({ activation: 'tanh', hiddenLayers: [layer({ saturatedFraction: 0.99 })] });
    const finding = diagnoseRun(run).find((f) => f.id === 'saturated-units');
    expect(finding?.title).toBe("Hidden layer 1's tanh units are saturated");
    expect(finding?.detail).toContain('99.0 %');
    expect(ids(healthy({ activation: 'sigmoid', hiddenLayers: [layer({ saturatedFraction: SATURATED_MOST - 0.01 })] }))).toEqual([]);
  });

  it('say the network overfits when training accuracy is 5 points or more above test', () => {
    const finding = diagnoseRun(healthy({ epochs: [epoch(1, 1, 0.84)] })).find((f) => f.id === 'overfitting');
    expect(finding?.detail).toContain('100.0 %');
    expect(finding?.detail).toContain('84.0 %');
    expect(ids(healthy({ epochs: [epoch(1, 0.99, 0.99 - OVERFIT_GAP + 0.001)] }))).toEqual([]);
  });

  it('do not call a gap between the accuracies overfitting while the loss jumps about', () => {
    const losses = curve(500, (t) => (t < 0.3 ? BLIND - (BLIND - 1) * (t / 0.3) : t < 0.4 ? 1 : t < 0.6 ? 1.8 : 0.6));
    expect(ids(healthy({ losses, epochs: [epoch(1, 0.76, 0.63)] }))).toEqual(['loss-unstable']);
  });

  it('put the most serious first: did not learn, then the loss, then the units', () => {
    const run = healthy({ losses: curve(600, () => BLIND), epochs: [epoch(1, 0.1, 0.1)], hiddenLayers: [layer({ units: 4, deadFraction: 1 })] });
    expect(ids(run)).toEqual(['did-not-learn', 'loss-flat', 'dead-relus']);
  });
});

describe('loss windows', () => {
  it('average full windows only, leaving out non-finite losses', () => {
    expect(lossWindows([1, 3, Number.NaN, 5, 7, 8, 9], 2)).toEqual([2, 5, 7.5]);
    expect(lossWindows([Number.NaN, Infinity, 1, 1], 2)).toEqual([1]);
    expect(lossWindows([], 3)).toEqual([]);
  });

  it('refuse a window that is not a whole number of minibatches', () => {
    expect(() => lossWindows([1], 0)).toThrow(/at least 1; got 0/);
    expect(() => lossWindows([1], 1.5)).toThrow(/whole number/);
  });
});

describe('meanUnitSpread', () => {
  it('averages over units the standard deviation of each unit over the batch', () => {
    // 2 samples × 2 units: unit 0 says 0 then 1 (σ 0.5), unit 1 says 0.5 both times (σ 0).
    expect(meanUnitSpread(Float32Array.of(0, 0.5, 1, 0.5), 2, 2)).toBeCloseTo(0.25, 12);
    expect(meanUnitSpread(Float32Array.of(0.3, 0.3, 0.3), 1, 3)).toBeCloseTo(0, 7);
  });
});
