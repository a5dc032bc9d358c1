import { createActivation, type ActivationName } from './activation';
import { Dense } from './dense';
import { denseReluStack, fusesRelu } from './dense-relu';
import { initialiseWeights, type InitName } from './init';
import type { Kernels } from '../kernels/kernels';
import { ShapeError, type Layer, type Param } from './layer';
import type { Rng } from './rng';
import type { NetworkWeights } from './weights';

/** What decides a network's shape and its starting point. */
export interface NetworkSpec {
  /** Widths from input to output, e.g. [784, 128, 64, 10]. */
  layers: readonly number[];
  /** After every hidden Dense; the last Dense gives logits for softmax. */
  activation: ActivationName;
  init: InitName;
}

/**
 * A multilayer perceptron: Dense → activation → … → Dense, producing logits. The loss
 * (softmax cross-entropy) is applied outside, so the same network serves training and prediction.
 *
 * On kernels that compute a dense layer and its ReLUs in one pass, a ReLU network is built of
 * DenseReLU layers instead (dense-relu.ts): the same numbers, faster. Either way forward and
 * backward are the plain loops over `layers` below.
 */
export class Network {
  /** All layers in order: Dense, activation, …, Dense (or DenseReLU, …, DenseReLU). */
  readonly layers: readonly Layer[];
  /** The dense layers, in order. */
  readonly dense: readonly Dense[];
  /** The layers whose outputs are the hidden layers' activations, in order. */
  private readonly hiddenEnds: readonly Layer[];
  private readonly parameters: readonly Param[];

  constructor(
    readonly spec: NetworkSpec,
    /** The arithmetic every layer uses; buffers fed to forward should come from its createBuffer. */
    readonly kernels: Kernels,
  ) {
    if (spec.layers.length < 2) throw new ShapeError('A network needs at least an input and an output width.');
    if (spec.activation === 'relu' && fusesRelu(kernels)) {
      const stack = denseReluStack(spec.layers, kernels);
      this.layers = stack;
      this.dense = stack;
      this.hiddenEnds = stack.slice(0, -1);
    } else {
      const layers: Layer[] = [];
      const dense: Dense[] = [];
      const hiddenEnds: Layer[] = [];
      for (let i = 0; i + 1 < spec.layers.length; i++) {
        const d = new Dense(spec.layers[i], spec.layers[i + 1], kernels);
        dense.push(d);
        layers.push(d);
        if (i + 2 < spec.layers.length) {
          const activation = createActivation(spec.activation, spec.layers[i + 1], kernels);
          layers.push(activation);
          hiddenEnds.push(activation);
        }
      }
      this.layers = layers;
      this.dense = dense;
      this.hiddenEnds = hiddenEnds;
    }
    this.parameters = this.layers.flatMap((l) => l.params());
  }

  get inputSize(): number {
    return this.spec.layers[0];
  }

  get outputSize(): number {
    return this.spec.layers[this.spec.layers.length - 1];
  }

  /** Draws every weight by the spec's initialiser; zeroes every bias. */
  initialise(rng: Rng): void {
    for (const d of this.dense) {
      initialiseWeights(d.weights, d.inputSize, d.outputSize, this.spec.init, rng, this.inputSize);
      d.biases.fill(0);
    }
  }

  /** Logits for a batch (a buffer owned by the last layer; valid until the next forward). */
  forward(input: Float32Array, batch: number): Float32Array {
    let x = input;
    for (const layer of this.layers) x = layer.forward(x, batch);
    return x;
  }

  /** Backpropagates ∂L/∂logits through every layer, filling every parameter's gradient. */
  backward(gradLogits: Float32Array): void {
    let g: Float32Array | null = gradLogits;
    // The first layer's input is the data: nobody needs its gradient.
    for (let i = this.layers.length - 1; i >= 0 && g !== null; i--) g = this.layers[i].backward(g, i > 0);
  }

  /**
   * Runs a batch forward and gives every hidden layer's activations (batch × width each, in order),
   * as copies: for pictures and statistics of what the units do.
   */
  hiddenActivations(input: Float32Array, batch: number): Float32Array[] {
    const found: Float32Array[] = [];
    let x = input;
    for (const layer of this.layers) {
      x = layer.forward(x, batch);
      if (this.hiddenEnds.includes(layer)) found.push(x.slice());
    }
    return found;
  }

  params(): readonly Param[] {
    return this.parameters;
  }

  /** A copy of every dense layer's weights and biases. */
  getWeights(): NetworkWeights {
    return this.dense.map((d) => ({
      inputs: d.inputSize,
      outputs: d.outputSize,
      weights: Float32Array.from(d.weights),
      biases: Float32Array.from(d.biases),
    }));
  }

  /** Copies weights in; every layer's shape must match. */
  setWeights(weights: NetworkWeights): void {
    if (weights.length !== this.dense.length) {
      throw new ShapeError(`The weights have ${weights.length} dense layers; this network has ${this.dense.length}.`);
    }
    weights.forEach((w, i) => {
      const d = this.dense[i];
      if (w.inputs !== d.inputSize || w.outputs !== d.outputSize || w.weights.length !== d.weights.length || w.biases.length !== d.biases.length) {
        throw new ShapeError(`Layer ${i + 1}: the weights are ${w.inputs}→${w.outputs}, the network's layer is ${d.inputSize}→${d.outputSize}.`);
      }
    });
    weights.forEach((w, i) => {
      this.dense[i].weights.set(w.weights);
      this.dense[i].biases.set(w.biases);
    });
  }

  /** e.g. "Dense(784→128) → ReLU → Dense(128→10)". */
  describe(): string {
    return this.layers.map((l) => l.describe()).join(' → ');
  }
}

/**
 * Checks that images of rows × cols pixels fit the network's input layer, before any training,
 * with the advice the course's notebook needed (it built Dense(28→100) for 28×28 images).
 */
export function checkInputFits(network: Network, rows: number, cols: number): void {
  const pixels = rows * cols;
  if (network.inputSize === pixels) return;
  const hint = network.inputSize === cols
    ? ` The first layer was sized by one image row (${cols}); an image is ${rows}×${cols} = ${pixels} pixels once flattened.`
    : '';
  throw new ShapeError(
    `The first layer takes ${network.inputSize} inputs but each image has ${rows}×${cols} = ${pixels} pixels.${hint} Set the input width to ${pixels}.`,
  );
}

/** Checks that the output layer has one unit per class. */
export function checkOutputFits(network: Network, classes: number): void {
  if (network.outputSize !== classes) {
    throw new ShapeError(`The output layer has ${network.outputSize} units but the data has ${classes} classes. Set the last width to ${classes}.`);
  }
}
