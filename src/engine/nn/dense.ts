import type { ReLU } from './activation';
import { BatchBuffer } from './buffers';
import type { Kernels } from '../kernels/kernels';
import { ShapeError, type Layer, type Param } from './layer';
import { sgdStep } from './optimizers';

/**
 * A fully connected layer: y = x·W + b, with W stored [inputs × outputs] so that a batch of rows
 * multiplies on the left.
 *
 * Gradients, for a batch X [N × in] and upstream G = ∂L/∂y [N × out]:
 *   ∂L/∂W = Xᵀ·G,  ∂L/∂b = Σ_rows G,  ∂L/∂X = G·Wᵀ.
 * The 1/N of the mean loss is already inside G (the loss divides once); dividing again here is
 * the classic double-averaging bug.
 */
export class Dense implements Layer {
  /** W, inputs × outputs, row-major. */
  readonly weights: Float32Array;
  /** b, one per output. */
  readonly biases: Float32Array;
  readonly weightGrad: Float32Array;
  readonly biasGrad: Float32Array;
  private readonly parameters: readonly Param[];
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private lastInput: Float32Array | null = null;
  private lastBatch = 0;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    private readonly kernels: Kernels,
  ) {
    if (!Number.isInteger(inputSize) || inputSize < 1 || !Number.isInteger(outputSize) || outputSize < 1) {
      throw new ShapeError(`Dense layer sizes must be whole numbers ≥ 1; got ${inputSize}→${outputSize}.`);
    }
    this.weights = kernels.createBuffer(inputSize * outputSize);
    this.biases = kernels.createBuffer(outputSize);
    this.weightGrad = kernels.createBuffer(inputSize * outputSize);
    this.biasGrad = kernels.createBuffer(outputSize);
    this.parameters = [
      { name: 'W', value: this.weights, grad: this.weightGrad, decays: true },
      { name: 'b', value: this.biases, grad: this.biasGrad, decays: false },
    ];
    this.output = new BatchBuffer(kernels, outputSize);
    this.inputGrad = new BatchBuffer(kernels, inputSize);
  }

  forward(input: Float32Array, batch: number): Float32Array {
    this.checkInput(input, batch);
    const y = this.output.forRows(batch);
    if (!this.kernels.matmulBias?.(input, this.weights, this.biases, y, batch, this.inputSize, this.outputSize)) {
      this.kernels.matmul(input, this.weights, y, batch, this.inputSize, this.outputSize);
      this.kernels.addBias(y, this.biases, batch, this.outputSize);
    }
    this.lastInput = input;
    this.lastBatch = batch;
    return y;
  }

  /**
   * forward, then the ReLU that follows this layer: returns the ReLU's output. One kernel pass
   * where the kernels have it, bitwise forward then relu.forward; either way both layers are left
   * as their own forward passes leave them.
   */
  forwardRelu(input: Float32Array, batch: number, relu: ReLU): Float32Array {
    this.checkInput(input, batch);
    const z = this.output.forRows(batch);
    const y = relu.outputFor(batch);
    if (!this.kernels.matmulBiasRelu?.(input, this.weights, this.biases, z, y, batch, this.inputSize, this.outputSize)) {
      return relu.forward(this.forward(input, batch), batch);
    }
    this.lastInput = input;
    this.lastBatch = batch;
    relu.tookOutput(y);
    return y;
  }

  /**
   * With `reluBelow` (the ReLU whose output is this layer's input), the gradient returned is the
   * one below that ReLU, as its backward would give it: computed in the same pass as G·Wᵀ where the
   * kernels can.
   */
  backward(gradOutput: Float32Array, needInputGradient: boolean, reluBelow?: ReLU): Float32Array | null {
    const x = this.lastInput;
    if (x === null) throw new Error(`${this.describe()}: backward called before forward.`);
    const n = this.lastBatch;
    this.kernels.matmulTransA(x, gradOutput, this.weightGrad, n, this.inputSize, this.outputSize);
    this.kernels.sumRows(gradOutput, this.biasGrad, n, this.outputSize);
    return needInputGradient ? this.inputGradient(gradOutput, n, reluBelow) : null;
  }

  /**
   * backward and a plain SGD step (no decay) at once: ∂L/∂X from the weights before the step,
   * then W ← W − η·Xᵀ·G and b ← b − η·ΣG, bitwise as backward then Sgd.step on these kernels
   * give. Where the kernels fuse the gradients with their steps (weight and bias in one call), the
   * gradients are never stored (weightGrad and biasGrad keep whatever they held).
   */
  backwardSgd(gradOutput: Float32Array, needInputGradient: boolean, learningRate: number, reluBelow?: ReLU): Float32Array | null {
    const x = this.lastInput;
    if (x === null) throw new Error(`${this.describe()}: backward called before forward.`);
    const n = this.lastBatch;
    const dx = needInputGradient ? this.inputGradient(gradOutput, n, reluBelow) : null;
    if (this.kernels.weightGradientSgd?.(x, gradOutput, this.weights, n, this.inputSize, this.outputSize, learningRate, this.biases)) return dx;
    this.kernels.matmulTransA(x, gradOutput, this.weightGrad, n, this.inputSize, this.outputSize);
    sgdStep(this.parameters[0], learningRate, 0, this.kernels);
    this.kernels.sumRows(gradOutput, this.biasGrad, n, this.outputSize);
    sgdStep(this.parameters[1], learningRate, 0, this.kernels);
    return dx;
  }

  params(): readonly Param[] {
    return this.parameters;
  }

  /** ∂L/∂X = G·Wᵀ, or with reluBelow the gradient below that ReLU (see backward). */
  private inputGradient(gradOutput: Float32Array, n: number, reluBelow: ReLU | undefined): Float32Array {
    const dx = this.inputGrad.forRows(n);
    if (reluBelow !== undefined && this.kernels.matmulTransBReluMask?.(gradOutput, this.weights, reluBelow.outputOfLastForward(), dx, n, this.outputSize, this.inputSize)) {
      return dx;
    }
    this.kernels.matmulTransB(gradOutput, this.weights, dx, n, this.outputSize, this.inputSize);
    return reluBelow === undefined ? dx : reluBelow.inputGradient(dx);
  }

  describe(): string {
    return `Dense(${this.inputSize}→${this.outputSize})`;
  }

  /** The edge check: a wrong width gets a message that says what was wrong and what to do. */
  private checkInput(input: Float32Array, batch: number): void {
    if (!Number.isInteger(batch) || batch < 1) {
      throw new ShapeError(`${this.describe()} needs a batch of at least 1 row; got ${batch}.`);
    }
    if (input.length === batch * this.inputSize) return;
    const width = input.length / batch;
    let advice = `Make the layer's input size equal the data's width, or fix the previous layer's output size.`;
    const side = Math.round(Math.sqrt(width));
    if (Number.isInteger(width) && side * side === width && side === this.inputSize) {
      advice = `It looks like ${side}×${side} images: flatten them to ${width} numbers per image and build the first layer as Dense(${width}→${this.outputSize}).`;
    } else if (Number.isInteger(width) && side * side === width) {
      advice = `If these are ${side}×${side} images, the first layer needs ${width} inputs: Dense(${width}→${this.outputSize}).`;
    }
    const got = Number.isInteger(width) ? `input width ${width}` : `${input.length} numbers, which is not a whole number of rows of ${this.inputSize}`;
    throw new ShapeError(`${this.describe()} got ${got} for a batch of ${batch}, but expects width ${this.inputSize}. ${advice}`);
  }
}
