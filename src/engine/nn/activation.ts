import { BatchBuffer } from './buffers';
import type { Kernels } from '../kernels/kernels';
import { ShapeError, type Layer, type Param } from './layer';

/** The activations a hidden layer can use. */
export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/**
 * An elementwise activation y = f(x) as a layer. Each function sits next to its derivative, and
 * every derivative is written in terms of the output y that forward already computed.
 *
 * (The course's blog evaluated the derivative on the activation's output as if it were the input —
 * σ(σ(x)) instead of σ(x) — and then multiplied by it twice; sigmoid and tanh barely learned.
 * A gradient check catches both mistakes.)
 */
abstract class Activation implements Layer {
  readonly outputSize: number;
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private lastOutput: Float32Array | null = null;

  constructor(
    readonly inputSize: number,
    protected readonly kernels: Kernels,
  ) {
    this.outputSize = inputSize;
    this.output = new BatchBuffer(kernels, inputSize);
    this.inputGrad = new BatchBuffer(kernels, inputSize);
  }

  /** y[i] = f(x[i]) for i < n. */
  protected abstract apply(x: Float32Array, y: Float32Array, n: number): void;
  /** dx[i] = dy[i] · f′ expressed through y[i], for i < n. */
  protected abstract derive(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void;
  abstract describe(): string;

  forward(input: Float32Array, batch: number): Float32Array {
    const n = batch * this.inputSize;
    if (input.length !== n) {
      throw new ShapeError(`${this.describe()} expects ${this.inputSize} values per row; got ${input.length / batch}.`);
    }
    const y = this.output.forRows(batch);
    this.apply(input, y, n);
    this.lastOutput = y;
    return y;
  }

  /** ∂L/∂x from ∂L/∂y, through the output of the last forward pass. */
  backward(gradOutput: Float32Array, needInputGradient: boolean): Float32Array | null {
    if (!needInputGradient) return null;
    const y = this.lastOutput;
    if (y === null) throw new Error(`${this.describe()}: backward called before forward.`);
    const dx = this.inputGrad.forRows(y.length / this.inputSize);
    this.derive(y, gradOutput, dx, y.length);
    return dx;
  }

  params(): readonly Param[] {
    return [];
  }
}

/** ReLU: y = max(0, x); y′ = 1 where x > 0, else 0 (0 at the kink, by convention). */
export class ReLU extends Activation {
  protected apply(x: Float32Array, y: Float32Array, n: number): void {
    reluForward(x, y, n, this.kernels);
  }
  protected derive(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    reluBackward(y, dy, dx, n, this.kernels);
  }
  describe(): string {
    return 'ReLU';
  }
}

/** y = max(0, x) for the first n entries (NaN gives 0). */
export function reluForward(x: Float32Array, y: Float32Array, n: number, kernels: Kernels): void {
  if (kernels.relu?.(x, y, n)) return;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    y[i] = v > 0 ? v : 0;
  }
}

/** dx = dy where the ReLU's output y > 0 (exactly where its input was > 0), else 0. */
export function reluBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number, kernels: Kernels): void {
  if (kernels.reluBackward?.(y, dy, dx, n)) return;
  for (let i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}

/** Sigmoid: y = 1 / (1 + e^−x); y′ = y(1 − y). */
export class Sigmoid extends Activation {
  protected apply(x: Float32Array, y: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      // Written per sign so e^|x| never overflows: for x < 0, σ(x) = e^x / (1 + e^x).
      if (v >= 0) {
        y[i] = 1 / (1 + Math.exp(-v));
      } else {
        const e = Math.exp(v);
        y[i] = e / (1 + e);
      }
    }
  }
  protected derive(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const s = y[i];
      dx[i] = dy[i] * s * (1 - s);
    }
  }
  describe(): string {
    return 'Sigmoid';
  }
}

/** Tanh: y = tanh(x); y′ = 1 − y². */
export class Tanh extends Activation {
  protected apply(x: Float32Array, y: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
  }
  protected derive(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const t = y[i];
      dx[i] = dy[i] * (1 - t * t);
    }
  }
  describe(): string {
    return 'Tanh';
  }
}

const ACTIVATION_CLASSES: Record<ActivationName, new (size: number, kernels: Kernels) => Activation> = {
  relu: ReLU,
  sigmoid: Sigmoid,
  tanh: Tanh,
};

/** The activation layer for a name, over `size` units. */
export function createActivation(name: ActivationName, size: number, kernels: Kernels): Layer {
  return new ACTIVATION_CLASSES[name](size, kernels);
}
