import { ShapeError } from '../nn/layer';
import { Rng } from '../nn/rng';

/** A class label for a binary perceptron. */
export type Bit = 0 | 1;

/** Starting weights and bias; missing parts start at zero. */
export interface PerceptronInit {
  /** w, one per input coordinate. */
  weights?: ArrayLike<number>;
  /** b. */
  bias?: number;
}

/** What one step of the perceptron rule did, so the lab can highlight the point and show the change. */
export interface PerceptronUpdate {
  /** w·x + b before the step. */
  activation: number;
  /** ŷ = step(w·x + b) before the step. */
  predicted: Bit;
  /** y, the point's label. */
  target: Bit;
  /** ŷ ≠ y: only then do w and b move. */
  mistake: boolean;
  /** Copies of w before and after the step (equal when there was no mistake). */
  weightsBefore: Float64Array;
  weightsAfter: Float64Array;
  biasBefore: number;
  biasAfter: number;
}

/** One pass of the perceptron rule over the points. */
export interface EpochResult {
  /** Points misclassified when visited, i.e. steps that moved w and b. */
  mistakes: number;
  /** Fraction classified right *when visited* (the weights change during the pass). */
  accuracy: number;
  /** Indices of the points that caused an update, in the order they were visited. */
  updates: number[];
}

/** The outcome of training until an epoch makes no mistake, or a limit is reached. */
export interface PerceptronTrainingResult {
  /** True when some epoch made no mistake: every point is then on its correct side. */
  converged: boolean;
  /** Epochs run, the mistake-free one included. */
  epochs: number;
  /** One entry per epoch run. */
  history: EpochResult[];
  /** A sentence for the student saying what happened. */
  message: string;
}

/** Options for {@link trainPerceptron}. */
export interface PerceptronTrainingOptions {
  /** η > 0. */
  learningRate: number;
  /** Give up after this many epochs. */
  maxEpochs: number;
  /** When given, each epoch visits the points in a fresh seeded order; otherwise 0, 1, 2, … */
  rng?: Rng;
}

/**
 * Rosenblatt's binary perceptron over D-dimensional inputs:
 *
 *   ŷ = step(w·x + b),  step(a) = 1 if a > 0, else 0.
 *
 * The perceptron rule visits one point (x, y) at a time and, on a mistake only,
 *
 *   w ← w + η (y − ŷ) x,   b ← b + η (y − ŷ),
 *
 * so a missed 1 pulls w towards x and a false fire pushes it away. If the data is linearly separable
 * the rule makes finitely many mistakes (Novikoff: at most (R/γ)² from w = 0, b = 0, with R the
 * largest |(x, 1)| and γ the margin of a separator (w, b) of unit length); if it is not, it never
 * settles.
 *
 * Points are given as an array of coordinate arrays (`[[x₀, y₀], [x₁, y₁], …]`), the simplest shape for
 * a UI to draw, hit-test and highlight by index; labels are 0 or 1, one per point.
 *
 * Where the course's version differed, and why this one does not:
 * - Its bias update was `-sgn * ones_like(x)`, which turned b into a D-vector after the first mistake;
 *   `w·x + b` became a vector and `.item(0)` read only its first entry. Here b is one number.
 * - Its weight "gradient" was `-sgn * max(0, x)`: the ReLU clipped the *input*, so negative
 *   coordinates never moved their weights (points of class 0 at x ≈ −5 could not pull w_x).
 *   Here the whole x enters the update.
 * - It wrapped the step in a ReLU and called |y − ŷ| an absolute loss. relu(a) > 0 exactly when
 *   a > 0, so the ReLU changed nothing, and a step has no useful gradient: this is the perceptron
 *   rule, not gradient descent on a loss, and is named as such.
 */
export class Perceptron {
  /**
   * w, one weight per input coordinate. Float64, unlike the network's Float32 buffers: there are only
   * D of them, and in double precision a hand-worked step (0.5 + 0.1·1 = 0.6) shows as 0.6 in the lab
   * instead of 0.6000000238.
   */
  readonly weights: Float64Array;
  /** b: the threshold moved to the left-hand side, so the unit fires when w·x + b > 0. */
  bias: number;

  /**
   * @param dims D, the number of input coordinates.
   * @param init Given weights and bias (missing parts are zero), or an Rng to draw w ~ N(0, 1) with
   *   b = 0 as the course did. Without it, w = 0 and b = 0: the textbook start.
   */
  constructor(
    readonly dims: number,
    init?: PerceptronInit | Rng,
  ) {
    if (!Number.isInteger(dims) || dims < 1) throw new ShapeError(`A perceptron needs a whole number of inputs ≥ 1; got ${dims}.`);
    this.weights = new Float64Array(dims);
    this.bias = 0;
    if (init instanceof Rng) {
      for (let i = 0; i < dims; i++) this.weights[i] = init.normal();
    } else if (init !== undefined) {
      if (init.weights !== undefined) {
        if (init.weights.length !== dims) {
          throw new ShapeError(`${this.describe()} was given ${init.weights.length} starting weights; it needs one per input, ${dims}.`);
        }
        this.weights.set(init.weights);
      }
      this.bias = init.bias ?? 0;
    }
  }

  /** w·x + b, the signed (unnormalised) distance of x from the boundary. */
  activation(x: ArrayLike<number>): number {
    this.checkPoint(x);
    let a = this.bias;
    for (let i = 0; i < this.dims; i++) a += this.weights[i] * x[i];
    return a;
  }

  /** ŷ = 1 if w·x + b > 0, else 0. A point exactly on the boundary does not fire. */
  predict(x: ArrayLike<number>): Bit {
    return this.activation(x) > 0 ? 1 : 0;
  }

  /** One step of the perceptron rule on (x, y) with learning rate η, reported in full for the UI. */
  update(x: ArrayLike<number>, y: number, learningRate: number): PerceptronUpdate {
    checkLearningRate(learningRate);
    const target = checkLabel(y, 'The label');
    const weightsBefore = this.weights.slice();
    const biasBefore = this.bias;
    const activation = this.activation(x);
    const predicted = this.step(x, target, activation, learningRate);
    return {
      activation,
      predicted,
      target,
      mistake: predicted !== target,
      weightsBefore,
      weightsAfter: this.weights.slice(),
      biasBefore,
      biasAfter: this.bias,
    };
  }

  /**
   * One pass of the rule over the points, in `order` (indices into `points`) or 0, 1, 2, …
   * Accuracy is counted as each point is visited, before its own update, as the course did.
   */
  trainEpoch(points: ReadonlyArray<ArrayLike<number>>, labels: ArrayLike<number>, learningRate: number, order?: ArrayLike<number>): EpochResult {
    this.checkData(points, labels);
    checkLearningRate(learningRate);
    const n = points.length;
    if (order !== undefined && order.length !== n) {
      throw new ShapeError(`The visiting order lists ${order.length} indices for ${n} points; it needs each point once.`);
    }
    const updates: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = order === undefined ? k : order[k];
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`The visiting order has index ${i}; points are numbered 0…${n - 1}.`);
      const x = points[i];
      const target = labels[i] as Bit;
      if (this.step(x, target, this.activation(x), learningRate) !== target) updates.push(i);
    }
    return { mistakes: updates.length, accuracy: (n - updates.length) / n, updates };
  }

  /** Fraction of the points the current w, b classify right. */
  accuracy(points: ReadonlyArray<ArrayLike<number>>, labels: ArrayLike<number>): number {
    this.checkData(points, labels);
    let right = 0;
    for (let i = 0; i < points.length; i++) if (this.predict(points[i]) === labels[i]) right++;
    return right / points.length;
  }

  /** e.g. "Perceptron(2 inputs)", for error messages. */
  describe(): string {
    return `Perceptron(${this.dims} input${this.dims === 1 ? '' : 's'})`;
  }

  /** Applies the rule given w·x + b already computed; returns ŷ from before the step. */
  private step(x: ArrayLike<number>, target: Bit, activation: number, learningRate: number): Bit {
    const predicted: Bit = activation > 0 ? 1 : 0;
    const change = learningRate * (target - predicted);
    // A correct prediction leaves w and b exactly as they were (change would be ±0 anyway).
    if (change === 0) return predicted;
    for (let i = 0; i < this.dims; i++) this.weights[i] += change * x[i];
    this.bias += change;
    return predicted;
  }

  private checkPoint(x: ArrayLike<number>): void {
    if (x.length !== this.dims) {
      throw new ShapeError(`${this.describe()} got a point with ${x.length} coordinate${x.length === 1 ? '' : 's'}; every point needs ${this.dims}.`);
    }
  }

  private checkData(points: ReadonlyArray<ArrayLike<number>>, labels: ArrayLike<number>): void {
    if (points.length === 0) throw new ShapeError(`${this.describe()} needs at least one point to train or score on.`);
    if (labels.length !== points.length) {
      throw new ShapeError(`${this.describe()} got ${points.length} points but ${labels.length} labels; it needs one label per point.`);
    }
    for (let i = 0; i < points.length; i++) {
      if (points[i].length !== this.dims) {
        throw new ShapeError(`${this.describe()}: point ${i} has ${points[i].length} coordinates; every point needs ${this.dims}.`);
      }
      checkLabel(labels[i], `Label ${i}`);
    }
  }
}

/**
 * Runs epochs of the perceptron rule until one makes no mistake (converged) or `maxEpochs` have run.
 * Not converging proves nothing by itself, but on data that is not linearly separable, such as XOR,
 * no number of epochs will do.
 */
export function trainPerceptron(
  perceptron: Perceptron,
  points: ReadonlyArray<ArrayLike<number>>,
  labels: ArrayLike<number>,
  options: PerceptronTrainingOptions,
): PerceptronTrainingResult {
  const { learningRate, maxEpochs, rng } = options;
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1) throw new RangeError(`maxEpochs must be a whole number ≥ 1; got ${maxEpochs}.`);
  const order = Array.from({ length: points.length }, (_, i) => i);
  const history: EpochResult[] = [];
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    if (rng !== undefined) rng.shuffle(order);
    const result = perceptron.trainEpoch(points, labels, learningRate, order);
    history.push(result);
    if (result.mistakes === 0) {
      return {
        converged: true,
        epochs: epoch,
        history,
        message: `Converged in epoch ${epoch}: a full pass with no mistakes, so every point is on its correct side.`,
      };
    }
  }
  return {
    converged: false,
    epochs: maxEpochs,
    history,
    message:
      `Did not converge: every one of ${maxEpochs} epochs still made mistakes. ` +
      'If the data is not linearly separable (XOR is not), the perceptron rule cannot converge: no line puts every point on its side, ' +
      'so each correction undoes another. Separable data with a thin margin may just need more epochs.',
  };
}

function checkLearningRate(learningRate: number): void {
  // η = 0 would report mistakes but never learn; a negative η would learn the opposite.
  if (!Number.isFinite(learningRate) || learningRate <= 0) throw new RangeError(`The learning rate must be a number > 0; got ${learningRate}.`);
}

function checkLabel(y: number, what: string): Bit {
  if (y !== 0 && y !== 1) throw new RangeError(`${what} is ${y}; a binary perceptron's labels are 0 or 1.`);
  return y;
}
