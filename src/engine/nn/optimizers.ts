import type { Kernels } from '../kernels/kernels';
import type { Param } from './layer';

/** The optimisers a run can use. */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Settings every optimiser understands; each reads the ones it uses. */
export interface OptimizerSettings {
  /** Step size η. */
  learningRate: number;
  /** Momentum coefficient μ (momentum only). */
  momentum: number;
  /** L2 weight decay λ: adds λ·w to the gradient of every decaying parameter (weights, not biases). */
  weightDecay: number;
}

/**
 * Updates parameters in place from their gradients. An optimiser sees only parameter/gradient
 * pairs, never layers; its per-parameter state is created on the first step.
 *
 * Given kernels with update methods (the WebAssembly ones), an optimiser keeps its state in their
 * buffers and lets them do the update; they give exactly the numbers of the loops below, which run
 * wherever they cannot (other kernels, parameters that are not their buffers).
 */
export interface Optimizer {
  readonly name: OptimizerName;
  readonly settings: Readonly<OptimizerSettings>;
  step(params: readonly Param[]): void;
}

/** λ for a parameter: the decay if it decays, else 0. */
function decayOf(p: Param, weightDecay: number): number {
  return p.decays ? weightDecay : 0;
}

/** The gradient with L2 decay folded in, for element i. */
function decayedGradient(p: Param, i: number, weightDecay: number): number {
  return p.decays && weightDecay !== 0 ? p.grad[i] + weightDecay * p.value[i] : p.grad[i];
}

/** Plain stochastic gradient descent: w ← w − η·g. The course's optimiser. */
export class Sgd implements Optimizer {
  readonly name = 'sgd';
  constructor(
    readonly settings: Readonly<OptimizerSettings>,
    /** The kernels that step the parameters, where they can (see fused-sgd.ts for the fused step). */
    readonly kernels?: Kernels,
  ) {}

  step(params: readonly Param[]): void {
    const { learningRate: lr, weightDecay } = this.settings;
    for (const p of params) sgdStep(p, lr, weightDecay, this.kernels);
  }
}

/** One SGD step on one parameter: through the kernels where they can, else in float64 here. */
export function sgdStep(p: Param, lr: number, weightDecay: number, kernels: Kernels | undefined): void {
  const w = p.value;
  if (kernels?.sgdUpdate?.(w, p.grad, w.length, lr, decayOf(p, weightDecay))) return;
  for (let i = 0; i < w.length; i++) w[i] -= lr * decayedGradient(p, i, weightDecay);
}

/** SGD with (heavy-ball) momentum: v ← μ·v + g;  w ← w − η·v. */
export class Momentum implements Optimizer {
  readonly name = 'momentum';
  private readonly velocity = new Map<Param, Float32Array>();
  constructor(
    readonly settings: Readonly<OptimizerSettings>,
    private readonly kernels?: Kernels,
  ) {}

  step(params: readonly Param[]): void {
    const { learningRate: lr, momentum: mu, weightDecay } = this.settings;
    for (const p of params) {
      const v = stateFor(this.velocity, p, this.kernels);
      const w = p.value;
      if (this.kernels?.momentumUpdate?.(w, p.grad, v, w.length, lr, mu, decayOf(p, weightDecay))) continue;
      for (let i = 0; i < w.length; i++) {
        v[i] = mu * v[i] + decayedGradient(p, i, weightDecay);
        w[i] -= lr * v[i];
      }
    }
  }
}

/**
 * Adam (Kingma & Ba, 2015) with bias correction:
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  w ← w − η·m̂ / (√v̂ + ε),
 * with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Weight decay here is classic L2 (added to g), not AdamW.
 */
export class Adam implements Optimizer {
  readonly name = 'adam';
  static readonly beta1 = 0.9;
  static readonly beta2 = 0.999;
  static readonly epsilon = 1e-8;
  private readonly firstMoment = new Map<Param, Float32Array>();
  private readonly secondMoment = new Map<Param, Float32Array>();
  private steps = 0;
  /** The constants handed to the kernels each step (reused, so a step allocates nothing). */
  private readonly kernelStep = { stepSize: 0, epsHat: 0, beta1: Adam.beta1, beta2: Adam.beta2, weightDecay: 0 };
  constructor(
    readonly settings: Readonly<OptimizerSettings>,
    private readonly kernels?: Kernels,
  ) {}

  step(params: readonly Param[]): void {
    const { learningRate: lr, weightDecay } = this.settings;
    const { beta1, beta2, epsilon } = Adam;
    this.steps++;
    // Folding both bias corrections into the step size saves two divisions per element.
    const stepSize = (lr * Math.sqrt(1 - beta2 ** this.steps)) / (1 - beta1 ** this.steps);
    const epsHat = epsilon * Math.sqrt(1 - beta2 ** this.steps);
    this.kernelStep.stepSize = stepSize;
    this.kernelStep.epsHat = epsHat;
    for (const p of params) {
      const m = stateFor(this.firstMoment, p, this.kernels);
      const v = stateFor(this.secondMoment, p, this.kernels);
      const w = p.value;
      this.kernelStep.weightDecay = decayOf(p, weightDecay);
      if (this.kernels?.adamUpdate?.(w, p.grad, m, v, w.length, this.kernelStep)) continue;
      for (let i = 0; i < w.length; i++) {
        const g = decayedGradient(p, i, weightDecay);
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) + epsHat);
      }
    }
  }
}

/** A parameter's zeroed state, made on first use (in the kernels' memory when there are kernels). */
function stateFor(states: Map<Param, Float32Array>, p: Param, kernels: Kernels | undefined): Float32Array {
  let state = states.get(p);
  if (state === undefined) {
    state = kernels ? kernels.createBuffer(p.value.length) : new Float32Array(p.value.length);
    states.set(p, state);
  }
  return state;
}

const OPTIMIZER_CLASSES: Record<OptimizerName, new (settings: OptimizerSettings, kernels?: Kernels) => Optimizer> = {
  sgd: Sgd,
  momentum: Momentum,
  adam: Adam,
};

/** The optimiser for a name; with kernels, it updates through their update methods where they have them. */
export function createOptimizer(name: OptimizerName, settings: OptimizerSettings, kernels?: Kernels): Optimizer {
  return new OPTIMIZER_CLASSES[name]({ ...settings }, kernels);
}
