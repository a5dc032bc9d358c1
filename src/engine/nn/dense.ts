import { BatchBuffer } from './buffers';
import type { Kernels } from '../kernels/kernels';
import { ShapeError, type Layer, type Param } from './layer';

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
  protected readonly parameters: readonly Param[];
  protected readonly output: BatchBuffer;
  protected readonly inputGrad: BatchBuffer;
  protected lastInput: Float32Array | null = null;
  protected lastBatch = 0;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    protected readonly kernels: Kernels,
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
    this.kernels.matmul(input, this.weights, y, batch, this.inputSize, this.outputSize);
    this.kernels.addBias(y, this.biases, batch, this.outputSize);
    this.lastInput = input;
    this.lastBatch = batch;
    return y;
  }

  backward(gradOutput: Float32Array, needInputGradient: boolean): Float32Array | null {
    const x = this.inputOfLastForward();
    const n = this.lastBatch;
    this.kernels.matmulTransA(x, gradOutput, this.weightGrad, n, this.inputSize, this.outputSize);
    this.kernels.sumRows(gradOutput, this.biasGrad, n, this.outputSize);
    if (!needInputGradient) return null;
    const dx = this.inputGrad.forRows(n);
    this.kernels.matmulTransB(gradOutput, this.weights, dx, n, this.outputSize, this.inputSize);
    return dx;
  }

  params(): readonly Param[] {
    return this.parameters;
  }

  /** The input of the last forward pass, which the weight gradient needs. */
  protected inputOfLastForward(): Float32Array {
    if (this.lastInput === null) throw new Error(`${this.describe()}: backward called before forward.`);
    return this.lastInput;
  }

  describe(): string {
    return `Dense(${this.inputSize}→${this.outputSize})`;
  }

  /** The edge check: a wrong width gets a message that says what was wrong and what to do. */
  protected checkInput(input: Float32Array, batch: number): void {
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
