/**
 * A small MLP on 2-D points, trained full-batch in the renderer with the engine's own Network,
 * softmax cross-entropy and Adam (plain-JS kernels: these networks are tiny). Inputs are
 * standardised (zero mean, unit spread per coordinate) so one learning rate suits every dataset.
 */
import { jsKernels } from '$engine/kernels/js';
import { Network } from '$engine/nn/network';
import { createOptimizer, type Optimizer } from '$engine/nn/optimizers';
import { Rng } from '$engine/nn/rng';
import { softmaxCrossEntropy } from '$engine/nn/softmax-cross-entropy';
import { sampleDecisionGrid, type Bounds, type DecisionGrid } from '$engine/teaching/decision-grid';
import type { ActivationName } from '$engine/training/run-config';

export interface MlpSettings {
  hidden: number[];
  activation: ActivationName;
  learningRate: number;
  seed: number;
}

export class MlpPlayground {
  readonly network: Network;
  private readonly optimizer: Optimizer;
  private readonly input: Float32Array;
  private readonly labels: Uint8Array;
  private readonly gradient: Float32Array;
  private readonly mean: [number, number];
  private readonly scale: [number, number];
  epochs = 0;
  loss = NaN;
  accuracy = 0;

  constructor(points: readonly (readonly number[])[], labels: readonly number[], settings: MlpSettings) {
    this.network = new Network({ layers: [2, ...settings.hidden, 2], activation: settings.activation, init: settings.activation === 'relu' ? 'he' : 'xavier' }, jsKernels);
    this.network.initialise(new Rng(settings.seed));
    this.optimizer = createOptimizer('adam', { learningRate: settings.learningRate, momentum: 0.9, weightDecay: 0 });
    const n = points.length;
    const mean: [number, number] = [0, 0];
    for (const p of points) {
      mean[0] += p[0] / n;
      mean[1] += p[1] / n;
    }
    const spread: [number, number] = [0, 0];
    for (const p of points) {
      spread[0] += (p[0] - mean[0]) ** 2 / n;
      spread[1] += (p[1] - mean[1]) ** 2 / n;
    }
    this.mean = mean;
    this.scale = [1 / (Math.sqrt(spread[0]) || 1), 1 / (Math.sqrt(spread[1]) || 1)];
    this.input = new Float32Array(2 * n);
    points.forEach((p, i) => {
      this.input[2 * i] = (p[0] - mean[0]) * this.scale[0];
      this.input[2 * i + 1] = (p[1] - mean[1]) * this.scale[1];
    });
    this.labels = Uint8Array.from(labels);
    this.gradient = new Float32Array(2 * n);
  }

  /** One full-batch gradient step per epoch. */
  train(epochs: number): void {
    const n = this.labels.length;
    for (let e = 0; e < epochs; e++) {
      const result = softmaxCrossEntropy(this.network.forward(this.input, n), this.labels, n, 2, this.gradient);
      this.network.backward(this.gradient);
      this.optimizer.step(this.network.params());
      this.loss = result.loss;
      this.accuracy = result.correct / n;
      this.epochs++;
    }
  }

  /** P(class 1) over a grid of the plane, every cell in one forward pass. */
  probabilities(bounds: Bounds, cols: number, rows: number): DecisionGrid {
    const cells = new Float32Array(2 * cols * rows);
    let k = 0;
    sampleDecisionGrid(
      (x, y) => {
        cells[k++] = (x - this.mean[0]) * this.scale[0];
        cells[k++] = (y - this.mean[1]) * this.scale[1];
        return 0;
      },
      bounds,
      { cols, rows },
    );
    const logits = this.network.forward(cells, cols * rows);
    const values = new Float32Array(cols * rows);
    for (let i = 0; i < values.length; i++) {
      // softmax over two classes is the logistic function of the difference.
      values[i] = 1 / (1 + Math.exp(logits[2 * i] - logits[2 * i + 1]));
    }
    return { cols, rows, values };
  }
}
