/**
 * The perceptron lab's state: the 2-D points (generated, plus any the student clicked in), a
 * Perceptron stepped one point at a time with the engine's own rule, and what the last step did.
 */
import { Perceptron, type PerceptronUpdate } from '$engine/teaching/perceptron';
import { COURSE_PERCEPTRON_PRESET, circles, gaussianClusters, xorPoints, type LabelledPoints } from '$engine/teaching/gaussian-clusters';
import { Rng } from '$engine/nn/rng';
import { MlpLab } from './mlp-lab.svelte';

export type DataKind = 'clusters' | 'xor' | 'circles';

/** How often a playing perceptron visits the points due since the last time. */
const PLAY_TICK_MS = 30;

export interface ClusterSettings {
  c0x: number;
  c0y: number;
  c1x: number;
  c1y: number;
  spread: number;
  count: number;
  seed: number;
}

export const BLOG_CLUSTERS: ClusterSettings = {
  c0x: COURSE_PERCEPTRON_PRESET.centres[0][0],
  c0y: COURSE_PERCEPTRON_PRESET.centres[0][1],
  c1x: COURSE_PERCEPTRON_PRESET.centres[1][0],
  c1y: COURSE_PERCEPTRON_PRESET.centres[1][1],
  spread: COURSE_PERCEPTRON_PRESET.spread,
  count: COURSE_PERCEPTRON_PRESET.countPerClass,
  seed: COURSE_PERCEPTRON_PRESET.seed,
};

/** The points for a kind of data; XOR and circles are scaled to the clusters' size so one view fits all. */
export function makePoints(kind: DataKind, settings: ClusterSettings): LabelledPoints {
  switch (kind) {
    case 'clusters':
      return gaussianClusters({
        centres: [
          [settings.c0x, settings.c0y],
          [settings.c1x, settings.c1y],
        ],
        spread: settings.spread,
        countPerClass: settings.count,
        seed: settings.seed,
        shuffle: true,
      });
    case 'xor': {
      const data = xorPoints({ countPerCorner: Math.max(1, Math.round(settings.count / 2)), spread: 0.15, seed: settings.seed, shuffle: true });
      return { points: data.points.map(([x, y]) => [(x - 0.5) * 8, (y - 0.5) * 8]), labels: data.labels };
    }
    case 'circles': {
      const data = circles({ countPerClass: settings.count, seed: settings.seed, shuffle: true });
      return { points: data.points.map(([x, y]) => [x * 2.5, y * 2.5]), labels: data.labels };
    }
  }
}

/** The lab's points and settings, as a lesson keeps them to put back when it ends. */
export interface PerceptronSetup {
  kind: DataKind;
  settings: ClusterSettings;
  learningRate: number;
  maxEpochs: number;
  randomStart: boolean;
  points: number[][];
  labels: number[];
}

export class PerceptronLab {
  kind = $state<DataKind>('clusters');
  settings = $state<ClusterSettings>({ ...BLOG_CLUSTERS });
  learningRate = $state<number>(COURSE_PERCEPTRON_PRESET.learningRate);
  maxEpochs = $state<number>(COURSE_PERCEPTRON_PRESET.epochs);
  /** Start from the blog's seeded N(0, 1) weights, or from w = 0, b = 0. */
  randomStart = $state(true);
  points = $state.raw<number[][]>([]);
  labels = $state.raw<number[]>([]);
  /** Weights and bias now (copied out of the perceptron, so the view reacts). */
  weights = $state.raw<number[]>([0, 0]);
  bias = $state(0);
  /** 1-based epoch in progress (0 before the first step), and the next point's position in it. */
  epoch = $state(0);
  position = $state(0);
  mistakesThisEpoch = $state(0);
  /** Accuracy of each finished epoch, counted as each point was visited (as the engine's trainEpoch). */
  accuracies = $state.raw<number[]>([]);
  /** The last point visited and what the rule did. */
  last = $state.raw<{ index: number; update: PerceptronUpdate } | null>(null);
  updates = $state(0);
  /** Fraction of the points the current w, b classify right. */
  accuracy = $state(0);
  message = $state<string | null>(null);
  done = $state(false);
  /** Points visited per second while playing. */
  speed = $state(40);
  playing = $state(false);
  /** The small MLP trained on the same points. */
  readonly mlp = new MlpLab();
  private perceptron = new Perceptron(2);
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    this.regenerate();
  }

  /** New points from the settings; clicked-in points are dropped. */
  regenerate(): void {
    const data = makePoints(this.kind, $state.snapshot(this.settings));
    this.points = data.points;
    this.labels = Array.from(data.labels);
    this.mlp.use(this.points, this.labels);
    this.reset();
  }

  useBlogPreset(): void {
    this.kind = 'clusters';
    this.settings = { ...BLOG_CLUSTERS };
    this.learningRate = COURSE_PERCEPTRON_PRESET.learningRate;
    this.maxEpochs = COURSE_PERCEPTRON_PRESET.epochs;
    this.randomStart = true;
    this.regenerate();
  }

  /** A lesson's scenario: the blog's clusters, XOR or circles with the rule's settings, from the start. */
  useScenario(kind: DataKind, learningRate: number, epochs: number, randomStart: boolean): void {
    this.pauseAll();
    this.kind = kind;
    this.settings = { ...BLOG_CLUSTERS };
    this.learningRate = learningRate;
    this.maxEpochs = epochs;
    this.randomStart = randomStart;
    this.regenerate();
  }

  setup(): PerceptronSetup {
    return { ...$state.snapshot({ kind: this.kind, settings: this.settings, learningRate: this.learningRate, maxEpochs: this.maxEpochs, randomStart: this.randomStart }), points: this.points, labels: this.labels };
  }

  /** Puts back points and settings taken with `setup`, from the start. */
  restore(setup: PerceptronSetup): void {
    this.pauseAll();
    this.kind = setup.kind;
    this.settings = { ...setup.settings };
    this.learningRate = setup.learningRate;
    this.maxEpochs = setup.maxEpochs;
    this.randomStart = setup.randomStart;
    this.points = setup.points;
    this.labels = setup.labels;
    this.mlp.use(this.points, this.labels);
    this.reset();
  }

  addPoint(x: number, y: number, label: 0 | 1): void {
    this.points = [...this.points, [x, y]];
    this.labels = [...this.labels, label];
    this.mlp.use(this.points, this.labels);
    this.reset();
  }

  /** Back to the starting weights, before the first epoch. */
  reset(): void {
    this.perceptron = this.randomStart ? new Perceptron(2, new Rng(COURSE_PERCEPTRON_PRESET.initSeed)) : new Perceptron(2);
    this.syncWeights();
    this.epoch = 0;
    this.position = 0;
    this.mistakesThisEpoch = 0;
    this.accuracies = [];
    this.last = null;
    this.updates = 0;
    this.message = null;
    this.done = false;
  }

  /** Plays, visiting `speed` points a second until training ends; or pauses when playing. */
  toggle(): void {
    if (this.playing) return this.pause();
    this.playing = true;
    let carry = 0;
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      carry += ((now - last) / 1000) * this.speed;
      last = now;
      while (carry >= 1) {
        carry--;
        if (!this.step()) return this.pause();
      }
    }, PLAY_TICK_MS);
  }

  pause(): void {
    this.playing = false;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops both playing loops, the perceptron's and the MLP's (the screen is left or the app closes). */
  pauseAll(): void {
    this.pause();
    this.mlp.pause();
  }

  /** Visits one point with the perceptron rule; false when training has ended. */
  step(): boolean {
    if (this.done || this.points.length === 0) return false;
    if (this.epoch === 0) this.epoch = 1;
    const index = this.position;
    const update = this.perceptron.update(this.points[index], this.labels[index], this.learningRate);
    this.last = { index, update };
    if (update.mistake) {
      this.mistakesThisEpoch++;
      this.updates++;
      this.syncWeights();
    }
    this.position++;
    if (this.position === this.points.length) this.endEpoch();
    return !this.done;
  }

  /** Visits points until one causes an update (or the epoch ends): the next time the line moves. */
  stepToUpdate(): void {
    while (this.step() && !this.last?.update.mistake && this.position !== 0);
  }

  /** Runs to the end of the epoch in progress. */
  finishEpoch(): void {
    if (this.done) return;
    do this.step();
    while (!this.done && this.position !== 0);
  }

  private endEpoch(): void {
    const n = this.points.length;
    this.accuracies = [...this.accuracies, (n - this.mistakesThisEpoch) / n];
    if (this.mistakesThisEpoch === 0) {
      this.done = true;
      this.message = `Converged in epoch ${this.epoch}: a full pass with no mistakes, so every point is on its correct side of the line.`;
    } else if (this.epoch >= this.maxEpochs) {
      this.done = true;
      const separable = this.kind === 'clusters' ? 'Separable data with a thin margin may just need more epochs (or a larger η from a random start).' : '';
      this.message =
        `Did not converge: each of ${this.epoch} epoch${this.epoch === 1 ? '' : 's'} still made mistakes. ` +
        `If no straight line separates the classes (XOR, circles, overlapping clusters), the perceptron rule can never converge: each correction undoes another. ${separable}`;
    } else {
      this.epoch++;
    }
    this.position = 0;
    this.mistakesThisEpoch = 0;
  }

  private syncWeights(): void {
    this.weights = Array.from(this.perceptron.weights);
    this.bias = this.perceptron.bias;
    this.accuracy = this.points.length === 0 ? 0 : this.perceptron.accuracy(this.points, this.labels);
  }
}
