import { fillBatch } from './batching';
import type { ImageSet } from './dataset';
import type { Network } from '../nn/network';
import { softmaxCrossEntropy } from '../nn/softmax-cross-entropy';

/** How a network does on a set of labelled images. */
export interface Evaluation {
  /** Images evaluated. */
  count: number;
  /** Fraction classified right. */
  accuracy: number;
  /** Mean softmax cross-entropy. */
  loss: number;
  /** confusion[truth][predicted] = how many images of class `truth` were predicted `predicted`. */
  confusion: number[][];
  /** Accuracy within each true class; null for a class with no images. */
  perClassAccuracy: (number | null)[];
  /** The predicted class of every image (arg-max of the logits, ties to the lowest class). */
  predictions: Uint8Array;
  /** With `keepProbabilities`: count × classes softmax probabilities, image after image. */
  probabilities?: Float32Array;
}

export interface EvaluateOptions {
  /** Images per forward pass; larger is faster up to cache limits. */
  batchSize?: number;
  /** Keep every image's predicted probabilities (count × classes floats). */
  keepProbabilities?: boolean;
}

/**
 * Each network's input buffer for evaluation, kept between calls: kernels that compute in their own
 * memory (WebAssembly) never free a buffer, so a fresh one per evaluation would grow that memory by
 * 1.5 MB every epoch.
 */
const inputBuffers = new WeakMap<Network, Float32Array>();

function inputBuffer(network: Network, length: number): Float32Array {
  let buffer = inputBuffers.get(network);
  if (buffer === undefined || buffer.length < length) {
    buffer = network.kernels.createBuffer(length);
    inputBuffers.set(network, buffer);
  }
  return buffer.subarray(0, length);
}

/** Runs the network over every image of `set` (forward only; no weights change). */
export function evaluate(network: Network, set: ImageSet, classes: number, options: EvaluateOptions = {}): Evaluation {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, set.count));
  const pixels = set.rows * set.cols;
  const order = new Uint32Array(set.count);
  for (let i = 0; i < set.count; i++) order[i] = i;
  const x = inputBuffer(network, batchSize * pixels);
  const y = new Uint8Array(batchSize);
  const batchProbabilities = new Float32Array(batchSize * classes);
  const probabilities = options.keepProbabilities ? new Float32Array(set.count * classes) : undefined;
  const predictions = new Uint8Array(set.count);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let lossSum = 0;
  let correct = 0;

  for (let start = 0; start < set.count; start += batchSize) {
    const size = Math.min(batchSize, set.count - start);
    const input = size === batchSize ? x : x.subarray(0, size * pixels);
    fillBatch(set, order, start, size, input, y, network.kernels);
    const logits = network.forward(input, size);
    const result = softmaxCrossEntropy(logits, y, size, classes, undefined, batchProbabilities);
    lossSum += result.loss * size;
    correct += result.correct;
    for (let r = 0; r < size; r++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (logits[r * classes + c] > logits[r * classes + best]) best = c;
      predictions[start + r] = best;
      confusion[y[r]][best]++;
    }
    probabilities?.set(batchProbabilities.subarray(0, size * classes), start * classes);
  }

  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row[c] / total;
  });
  const count = set.count;
  return {
    count,
    accuracy: count === 0 ? 0 : correct / count,
    loss: count === 0 ? 0 : lossSum / count,
    confusion,
    perClassAccuracy,
    predictions,
    ...(probabilities ? { probabilities } : {}),
  };
}
