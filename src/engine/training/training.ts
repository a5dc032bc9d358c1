import { batchesPerEpoch, epochOrder, fillBatch } from './batching';
import type { Dataset } from './dataset';
import { evaluate } from './evaluate';
import type { BatchEvent, DivergedEvent, EpochEvent, EpochMetrics, TrainingEvent } from './events';
import type { Network } from '../nn/network';
import { fusedSgdBackward } from '../nn/fused-sgd';
import type { Optimizer } from '../nn/optimizers';
import type { Rng } from '../nn/rng';
import { softmaxCrossEntropy } from '../nn/softmax-cross-entropy';
import type { NetworkWeights } from '../nn/weights';

export interface TrainingOptions {
  network: Network;
  optimizer: Optimizer;
  data: Dataset;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  /** Draws each epoch's order when shuffling (kept apart from the initialisation stream). */
  shuffleRng: Rng;
  /** Measure test loss and accuracy after every epoch (on by default). */
  evaluateTest?: boolean;
  /** A clock in milliseconds; injectable so tests need not depend on time. */
  now?: () => number;
}

export type TrainingStatus = 'running' | 'completed' | 'diverged';

/**
 * Minibatch training as a step function: each `step()` trains one minibatch and returns what
 * happened (a batch event; at an epoch's end also an epoch event; or a divergence). Because the
 * state lives here and not in a loop, a driver can pause, resume or cancel between any two batches
 * and nothing about the result changes.
 */
export class Training {
  readonly batchesPerEpoch: number;
  readonly history: EpochMetrics[] = [];
  private statusValue: TrainingStatus = 'running';
  /** 0-based epoch in progress. */
  private epochIndex = 0;
  /** 0-based batch within the epoch, next to train. */
  private batchIndex = 0;
  private iterationCount = 0;
  private readonly order: Uint32Array;
  private readonly x: Float32Array;
  private readonly y: Uint8Array;
  private readonly gradLogits: Float32Array;
  private epochLossSum = 0;
  private epochCorrect = 0;
  private epochSeen = 0;
  private epochMillis = 0;
  /** The weights at the end of the last finite epoch (the initial ones before the first). */
  private lastGood: { epoch: number; weights: NetworkWeights };
  private readonly now: () => number;
  /**
   * A mean loss above 100× that of a blind guess (ln C nats) means the weights are exploding even
   * while the numbers are still finite: softmax cross-entropy is computed stably, so a learning
   * rate of 10⁴ can produce losses of 10⁹ without ever reaching Infinity.
   */
  private readonly explosionLimit: number;
  /** Backward, then the optimiser's step (or plain SGD's fused walk where it applies: fused-sgd.ts). */
  private readonly backwardAndStep: (gradLogits: Float32Array) => void;

  constructor(private readonly options: TrainingOptions) {
    const { network, data, batchSize } = options;
    this.batchesPerEpoch = batchesPerEpoch(data.train.count, batchSize);
    this.order = new Uint32Array(data.train.count);
    this.x = network.kernels.createBuffer(batchSize * network.inputSize);
    this.y = new Uint8Array(batchSize);
    this.gradLogits = network.kernels.createBuffer(batchSize * network.outputSize);
    this.lastGood = { epoch: 0, weights: network.getWeights() };
    this.now = options.now ?? (() => performance.now());
    this.explosionLimit = 100 * Math.log(data.classes);
    const { optimizer } = options;
    this.backwardAndStep =
      fusedSgdBackward(network, optimizer) ??
      ((gradLogits) => {
        network.backward(gradLogits);
        optimizer.step(network.params());
      });
    network.kernels.holdImages?.(data.train.images);
  }

  get status(): TrainingStatus {
    return this.statusValue;
  }

  get done(): boolean {
    return this.statusValue !== 'running';
  }

  /** Minibatches trained so far. */
  get iteration(): number {
    return this.iterationCount;
  }

  /** 1-based epoch in progress (or the last one, when done). */
  get epoch(): number {
    return Math.min(this.epochIndex + 1, this.options.epochs);
  }

  /** Minibatches in the whole run. */
  get totalIterations(): number {
    return this.batchesPerEpoch * this.options.epochs;
  }

  /** Trains one minibatch. Returns the events it caused; nothing once the run is done. */
  step(): TrainingEvent[] {
    if (this.done) return [];
    const { network, data, batchSize, shuffle, shuffleRng } = this.options;
    const started = this.now();
    const train = data.train;
    if (this.batchIndex === 0) epochOrder(train.count, shuffle, shuffleRng, this.order);

    const start = this.batchIndex * batchSize;
    const size = Math.min(batchSize, train.count - start);
    const pixels = network.inputSize;
    // The partial last batch works on the front of the same buffers.
    const x = size === batchSize ? this.x : this.x.subarray(0, size * pixels);
    const grad = size === batchSize ? this.gradLogits : this.gradLogits.subarray(0, size * network.outputSize);
    fillBatch(train, this.order, start, size, x, this.y, network.kernels);

    const logits = network.forward(x, size);
    const { loss, correct } = network.kernels.softmaxCrossEntropy?.(logits, this.y, size, data.classes, grad) ?? softmaxCrossEntropy(logits, this.y, size, data.classes, grad);
    this.iterationCount++;
    if (!(loss <= this.explosionLimit)) return [this.diverge(loss)];
    this.backwardAndStep(grad);

    this.epochLossSum += loss * size;
    this.epochCorrect += correct;
    this.epochSeen += size;
    this.batchIndex++;
    this.epochMillis += this.now() - started;

    const batchEvent: BatchEvent = {
      type: 'batch',
      iteration: this.iterationCount,
      epoch: this.epochIndex + 1,
      batch: this.batchIndex,
      batchesPerEpoch: this.batchesPerEpoch,
      loss,
      accuracy: correct / size,
    };
    if (this.batchIndex < this.batchesPerEpoch) return [batchEvent];
    return [batchEvent, this.finishEpoch()];
  }

  private finishEpoch(): EpochEvent | DivergedEvent {
    const { network, data, epochs } = this.options;
    if (!allFinite(network)) return this.diverge(Number.NaN, 'weights');
    const test = this.options.evaluateTest === false
      ? { loss: Number.NaN, accuracy: Number.NaN }
      : evaluate(network, data.test, data.classes);
    const seconds = this.epochMillis / 1000;
    const metrics: EpochMetrics = {
      epoch: this.epochIndex + 1,
      trainLoss: this.epochLossSum / this.epochSeen,
      trainAccuracy: this.epochCorrect / this.epochSeen,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      seconds,
      samplesPerSecond: seconds > 0 ? this.epochSeen / seconds : 0,
    };
    this.history.push(metrics);
    this.lastGood = { epoch: metrics.epoch, weights: network.getWeights() };
    this.epochIndex++;
    this.batchIndex = 0;
    this.epochLossSum = 0;
    this.epochCorrect = 0;
    this.epochSeen = 0;
    this.epochMillis = 0;
    if (this.epochIndex >= epochs) this.statusValue = 'completed';
    return { type: 'epoch', ...metrics };
  }

  /** Stops the run, restores the last good weights and says what happened and what to try. */
  private diverge(loss: number, noticed: 'loss' | 'weights' = 'loss'): DivergedEvent {
    const { network, optimizer, data } = this.options;
    network.setWeights(this.lastGood.weights);
    this.statusValue = 'diverged';
    const where = `at epoch ${this.epochIndex + 1}, batch ${this.batchIndex + 1}`;
    const what = noticed === 'weights'
      ? `weights became NaN (not a number) during epoch ${this.epochIndex + 1}`
      : Number.isNaN(loss)
        ? `loss became NaN (not a number) ${where}`
        : loss === Number.POSITIVE_INFINITY
          ? `loss grew to infinity ${where}`
          : `loss exploded to ${loss.toPrecision(3)} ${where} (a blind guess scores ${Math.log(data.classes).toFixed(2)})`;
    const kept = this.lastGood.epoch === 0 ? 'the initial weights were restored' : `the weights from the end of epoch ${this.lastGood.epoch} were kept`;
    const advice = `The learning rate (${optimizer.settings.learningRate}) is probably too high: try one 10× smaller.`;
    return {
      type: 'diverged',
      epoch: this.epochIndex + 1,
      iteration: this.iterationCount,
      reason: `Training diverged: the ${what}; ${kept}. ${advice}`,
      restoredEpoch: this.lastGood.epoch,
    };
  }
}

function allFinite(network: Network): boolean {
  for (const p of network.params()) {
    const v = p.value;
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  }
  return true;
}
