import { reluBackward, reluForward } from './activation';
import { BatchBuffer } from './buffers';
import { Dense } from './dense';
import type { Kernels } from '../kernels/kernels';
import { sgdStep } from './optimizers';

/** Where a layer of a ReLU network sits among its ReLUs. */
export interface ReluNeighbours {
  /** A ReLU follows this layer (a hidden layer); the output layer's logits have none. */
  reluAfter: boolean;
  /** This layer's input is a ReLU's output (every layer but the first). */
  reluBefore: boolean;
}

/**
 * The speed path of a ReLU network: a dense layer with the ReLUs around it computed in the same
 * kernel passes, for kernels that have those passes (the WebAssembly ones). The numbers are
 * bitwise those of Dense → ReLU → Dense → … (test/engine/fused-relu.test.ts); the layers a student
 * reads are Dense and ReLU, and Network builds this stack only on kernels that fuse.
 *
 * - Forward, y = max(0, x·W + b) is one pass: the ReLU is applied to each finished sum as it is
 *   stored. The output layer (no ReLU after it) stops at x·W + b.
 * - Backward, the input gradient G·Wᵀ is masked by the ReLU that made this layer's input, as each
 *   row is stored: that mask is the lower ReLU's whole backward pass, and it needs only this
 *   layer's own input (the ReLU's output is > 0 exactly where its gradient passes). So the
 *   gradient a DenseReLU hands down is already below the ReLU under it, and the gradient it is
 *   handed is already below its own ReLU: `denseReluStack` builds the layers of a network
 *   together so that every hand-over is of that kind.
 *
 * Where the kernels decline (arrays that are not their own buffers) the same numbers come from
 * the separate passes.
 */
export class DenseReLU extends Dense {
  /** max(0, x·W + b), the output of a hidden layer (its pre-activation goes to `output`). */
  private readonly activated: BatchBuffer;
  /** The fallback's product G·Wᵀ before the mask. */
  private readonly unmasked: BatchBuffer;

  constructor(
    inputSize: number,
    outputSize: number,
    kernels: Kernels,
    readonly neighbours: ReluNeighbours,
  ) {
    super(inputSize, outputSize, kernels);
    this.activated = new BatchBuffer(kernels, outputSize);
    this.unmasked = new BatchBuffer(kernels, inputSize);
  }

  override forward(input: Float32Array, batch: number): Float32Array {
    this.checkInput(input, batch);
    const { kernels, weights, biases, inputSize: k, outputSize: n } = this;
    const z = this.output.forRows(batch);
    this.lastInput = input;
    this.lastBatch = batch;
    if (!this.neighbours.reluAfter) {
      if (!kernels.matmulBias?.(input, weights, biases, z, batch, k, n)) {
        kernels.matmul(input, weights, z, batch, k, n);
        kernels.addBias(z, biases, batch, n);
      }
      return z;
    }
    const y = this.activated.forRows(batch);
    if (!kernels.matmulBiasRelu?.(input, weights, biases, z, y, batch, k, n)) {
      kernels.matmul(input, weights, z, batch, k, n);
      kernels.addBias(z, biases, batch, n);
      reluForward(z, y, batch * n, kernels);
    }
    return y;
  }

  /**
   * Given the gradient below this layer's ReLU (or ∂L/∂logits for the output layer), fills ∂L/∂W
   * and ∂L/∂b and returns the gradient for the layer below: below its ReLU when there is one.
   */
  override backward(gradOutput: Float32Array, needInputGradient: boolean): Float32Array | null {
    const x = this.inputOfLastForward();
    const n = this.lastBatch;
    this.kernels.matmulTransA(x, gradOutput, this.weightGrad, n, this.inputSize, this.outputSize);
    this.kernels.sumRows(gradOutput, this.biasGrad, n, this.outputSize);
    return needInputGradient ? this.inputGradient(gradOutput, n) : null;
  }

  /**
   * backward and a plain SGD step (no decay) at once: the input gradient from the weights before
   * the step, then W ← W − η·Xᵀ·G and b ← b − η·ΣG, bitwise as backward then Sgd.step on these
   * kernels give. Where the kernels fuse the gradients with their steps (weight and bias in one
   * call) the gradients are never stored (weightGrad and biasGrad keep whatever they held).
   */
  backwardSgd(gradOutput: Float32Array, needInputGradient: boolean, learningRate: number): Float32Array | null {
    const x = this.inputOfLastForward();
    const n = this.lastBatch;
    const dx = needInputGradient ? this.inputGradient(gradOutput, n) : null;
    if (this.kernels.weightGradientSgd?.(x, gradOutput, this.weights, n, this.inputSize, this.outputSize, learningRate, this.biases)) return dx;
    this.kernels.matmulTransA(x, gradOutput, this.weightGrad, n, this.inputSize, this.outputSize);
    sgdStep(this.parameters[0], learningRate, 0, this.kernels);
    this.kernels.sumRows(gradOutput, this.biasGrad, n, this.outputSize);
    sgdStep(this.parameters[1], learningRate, 0, this.kernels);
    return dx;
  }

  /** G·Wᵀ, masked where this layer's input (the ReLU output below) is not > 0 when there is one. */
  private inputGradient(gradOutput: Float32Array, n: number): Float32Array {
    const { kernels, weights, inputSize: k, outputSize: m } = this;
    const dx = this.inputGrad.forRows(n);
    if (!this.neighbours.reluBefore) {
      kernels.matmulTransB(gradOutput, weights, dx, n, m, k);
      return dx;
    }
    const x = this.inputOfLastForward();
    if (kernels.matmulTransBReluMask?.(gradOutput, weights, x, dx, n, m, k)) return dx;
    const product = this.unmasked.forRows(n);
    kernels.matmulTransB(gradOutput, weights, product, n, m, k);
    reluBackward(x, product, dx, n * k, kernels);
    return dx;
  }

  /** As the separate layers describe themselves, e.g. "Dense(784→128) → ReLU". */
  override describe(): string {
    return this.neighbours.reluAfter ? `${super.describe()} → ReLU` : super.describe();
  }
}

/** Whether the kernels compute a dense layer and its ReLUs in one pass (see DenseReLU). */
export function fusesRelu(kernels: Kernels): boolean {
  return kernels.matmulBiasRelu !== undefined && kernels.matmulTransBReluMask !== undefined;
}

/**
 * The layers of a ReLU network of these widths, each with its neighbouring ReLUs fused in; built
 * together, so that each layer's backward pass hands down the gradient the one below expects.
 */
export function denseReluStack(widths: readonly number[], kernels: Kernels): DenseReLU[] {
  const last = widths.length - 2;
  return widths.slice(0, -1).map((inputs, i) => new DenseReLU(inputs, widths[i + 1], kernels, { reluAfter: i < last, reluBefore: i > 0 }));
}
