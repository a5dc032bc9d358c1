/**
 * The model the worker holds between and during runs: the last (or ongoing) run's network, or a
 * model main loaded from the library. It answers main's requests about that model. While a run
 * trains, a request is only ever handled when the training loop yields, that is between two
 * minibatches, so a copy of the weights is always a consistent one and training is never slowed
 * by more than the copy itself.
 */
import { fillBatch } from '../engine/training/batching';
import type { Dataset } from '../engine/training/dataset';
import { evaluate } from '../engine/training/evaluate';
import type { EpochMetrics } from '../engine/training/events';
import { deadFraction, histogram, saturatedFraction } from '../engine/teaching/histogram';
import { meanUnitSpread } from '../engine/teaching/unit-health';
import type { Kernels } from '../engine/kernels/kernels';
import type { WasmKernels } from '../engine/kernels/wasm/wasm-kernels';
import { Network } from '../engine/nn/network';
import type { ModelDatasetInfo } from '../engine/files/model-file';
import { softmaxCrossEntropy } from '../engine/nn/softmax-cross-entropy';
import { ACTIVATION_BATCH, ACTIVATION_BINS, type EngineReplyValue, type EngineRequest, type RequestDataset } from '../shared/engine-requests';
import type { CurrentModel, LayerActivationStats } from '../shared/engine-requests';
import type { RunConfig } from '../engine/training/run-config';

interface Held {
  source: CurrentModel['source'];
  name: string | null;
  config: RunConfig;
  network: Network;
  /** The metrics so far (a live run's history grows). */
  history: () => EpochMetrics[];
  dataset: ModelDatasetInfo;
  /** Input buffers for this network's kernels, made once (freed with the network's: release). */
  buffers: { batch?: Float32Array; one?: Float32Array };
}

export interface ModelKeeperDeps {
  loadDataset(dataset: RequestDataset): Dataset;
  getKernels(): Promise<Kernels>;
}

export class ModelKeeper {
  private held: Held | null = null;

  constructor(private readonly deps: ModelKeeperDeps) {}

  /**
   * Lets go of the held model and frees the buffers of `kernels` (those that keep their own
   * memory), before a new model is made with them. The worker holds one model at a time, so no
   * other model uses those buffers, and the kernels' memory does not grow from one model to the
   * next (see process-kernels.ts). Anything wanted from the held model (its weights, to continue
   * training) must be copied first.
   */
  release(kernels: Kernels): void {
    this.held = null;
    (kernels as Partial<WasmKernels>).freeBuffers?.();
  }

  /** Holds a run's live network; `earlier` is the history of the model it continues, if any. */
  holdRun(config: RunConfig, network: Network, data: Dataset, history: EpochMetrics[], earlier: EpochMetrics[]): void {
    const { name, classes, train, test } = data;
    this.held = {
      dataset: { name, rows: train.rows, cols: train.cols, classes, trainCount: train.count, testCount: test.count },
      source: 'training',
      name: null,
      config,
      network,
      history: () => [...earlier, ...history.map((m) => ({ ...m, epoch: m.epoch + earlier.length }))],
      buffers: {},
    };
  }

  /** The held model's weights and its history, to continue training from; null when none. */
  startingPoint(): { config: RunConfig; network: Network; history: EpochMetrics[] } | null {
    return this.held && { config: this.held.config, network: this.held.network, history: this.held.history() };
  }

  async answer(request: EngineRequest): Promise<EngineReplyValue> {
    if (request.kind === 'load-model') {
      await this.load(request.model);
      return { kind: 'load-model' };
    }
    if (request.kind === 'current-model') return { kind: 'current-model', model: this.current() };
    const held = this.held;
    if (held === null) throw new Error('There is no model yet: train one or load one from the Models screen.');
    switch (request.kind) {
      case 'predict':
        return { kind: 'predict', probabilities: predict(held, request.pixels) };
      case 'hidden-outputs':
        return { kind: 'hidden-outputs', ...hiddenOutputs(held, request.pixels) };
      case 'evaluate':
        return { kind: 'evaluate', report: this.evaluate(held, request.dataset) };
      case 'activations': {
        const data = this.fitting(held, request.dataset);
        return { kind: 'activations', ...activationStats(held, data) };
      }
    }
  }

  private current(): CurrentModel | null {
    const held = this.held;
    if (held === null) return null;
    return { source: held.source, name: held.name, config: held.config, weights: held.network.getWeights(), history: held.history(), dataset: held.dataset };
  }

  private async load(model: CurrentModel): Promise<void> {
    const kernels = await this.deps.getKernels();
    this.release(kernels);
    const network = new Network({ layers: model.config.layers, activation: model.config.activation, init: model.config.init }, kernels);
    network.setWeights(model.weights);
    const history = model.history;
    this.held = { source: 'library', name: model.name, config: model.config, network, history: () => history, dataset: model.dataset, buffers: {} };
  }

  private fitting(held: Held, dataset: RequestDataset): Dataset {
    const data = this.deps.loadDataset(dataset);
    const { network } = held;
    if (data.test.rows * data.test.cols !== network.inputSize || data.classes !== network.outputSize) {
      throw new Error(
        `This model takes ${network.inputSize} pixels and gives ${network.outputSize} classes; ${data.name} has ${data.test.rows}×${data.test.cols} images in ${data.classes} classes.`,
      );
    }
    return data;
  }

  private evaluate(held: Held, dataset: RequestDataset): Extract<EngineReplyValue, { kind: 'evaluate' }>['report'] {
    const data = this.fitting(held, dataset);
    const result = evaluate(held.network, data.test, data.classes, { keepProbabilities: true });
    return {
      count: result.count,
      accuracy: result.accuracy,
      loss: result.loss,
      confusion: result.confusion,
      perClassAccuracy: result.perClassAccuracy,
      labels: Uint8Array.from(data.test.labels),
      predictions: result.predictions,
      probabilities: result.probabilities ?? new Float32Array(0),
      classes: data.classes,
    };
  }
}

/** One image in the network's input buffer (made once, in its kernels' memory). */
function oneInput(held: Held, pixels: Float32Array, what: string): Float32Array {
  const { network } = held;
  if (pixels.length !== network.inputSize) {
    throw new Error(`This model takes ${network.inputSize} pixels; ${what} has ${pixels.length}.`);
  }
  const input = (held.buffers.one ??= network.kernels.createBuffer(network.inputSize));
  input.set(pixels);
  return input;
}

/** Softmax probabilities for one image. */
function predict(held: Held, pixels: Float32Array): number[] {
  const { network } = held;
  const logits = network.forward(oneInput(held, pixels, 'the drawing'), 1);
  const probabilities = new Float32Array(network.outputSize);
  softmaxCrossEntropy(logits, new Uint8Array(1), 1, network.outputSize, undefined, probabilities);
  return Array.from(probabilities);
}

/**
 * What every hidden unit does with one image, and what the network makes of it: a few hundred
 * numbers, so the Weights screen can show a unit's activation without copying a batch.
 */
function hiddenOutputs(held: Held, pixels: Float32Array): { layers: Float32Array[]; probabilities: number[] } {
  const layers = held.network.hiddenActivations(oneInput(held, pixels, 'the image'), 1);
  return { layers, probabilities: predict(held, pixels) };
}

/** Each hidden layer's outputs on the first test images: histogram, dead and saturated fractions. */
function activationStats(held: Held, data: Dataset): { batch: number; layers: LayerActivationStats[] } {
  const { network, config } = held;
  const size = Math.min(ACTIVATION_BATCH, data.test.count);
  const x = (held.buffers.batch ??= network.kernels.createBuffer(ACTIVATION_BATCH * network.inputSize)).subarray(0, size * network.inputSize);
  const order = Uint32Array.from({ length: size }, (_, i) => i);
  fillBatch(data.test, order, 0, size, x, new Uint8Array(size));
  const layers = network.hiddenActivations(x, size).map((outputs, i): LayerActivationStats => {
    const units = outputs.length / size;
    const h = histogram(outputs, ACTIVATION_BINS);
    return {
      layer: i + 1,
      units,
      counts: Array.from(h.counts),
      min: h.edges[0],
      max: h.edges[ACTIVATION_BINS],
      deadFraction: deadFraction(outputs, units, size),
      saturatedFraction: config.activation === 'relu' ? null : saturatedFraction(outputs, config.activation),
      spread: meanUnitSpread(outputs, units, size),
    };
  });
  return { batch: size, layers };
}
