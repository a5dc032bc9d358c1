import type { LossResult } from '../kernels/kernels';
import { ShapeError } from './layer';

export type { LossResult };

/**
 * Softmax followed by cross-entropy, from logits, in one numerically stable pass.
 *
 * For a row z with answer c:  L = log Σ_j e^{z_j} − z_c, computed as m + log Σ_j e^{z_j − m} with
 * m = max_j z_j, so no exponential ever overflows (all arguments are ≤ 0) and the log never sees 0
 * (the term j = argmax contributes e⁰ = 1). The batch loss is the mean over rows.
 *
 * The gradient with respect to the logits is (p − onehot(c)) / N, with p = softmax(z): the 1/N
 * belongs here, once, because the loss is a mean.
 *
 * (The course computed e^z directly — e^{89} already overflows float32 — and its blog clipped
 * probabilities to [ε, 1 − ε], which hides the overflow instead of avoiding it.)
 *
 * @param logits   batch × classes scores
 * @param labels   batch class indices
 * @param gradient if given, batch × classes, receives ∂L/∂logits
 * @param probabilities if given, batch × classes, receives softmax(z)
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: ArrayLike<number>,
  batch: number,
  classes: number,
  gradient?: Float32Array,
  probabilities?: Float32Array,
): LossResult {
  if (logits.length !== batch * classes) {
    throw new ShapeError(`Softmax cross-entropy got ${logits.length} logits for ${batch} rows of ${classes} classes; the output layer must have one unit per class.`);
  }
  if (labels.length < batch) throw new ShapeError(`Softmax cross-entropy got ${labels.length} labels for a batch of ${batch}.`);
  let totalLoss = 0;
  let correct = 0;
  const invBatch = 1 / batch;
  for (let r = 0; r < batch; r++) {
    const row = r * classes;
    const answer = labels[r];
    if (!(answer >= 0 && answer < classes)) {
      throw new ShapeError(`Label ${answer} in row ${r} is outside the ${classes} classes.`);
    }
    let max = logits[row];
    let argmax = 0;
    for (let j = 1; j < classes; j++) {
      const z = logits[row + j];
      if (z > max) {
        max = z;
        argmax = j;
      }
    }
    // Each e^{z_j − m} is kept for p_j = e^{z_j − m} / Σ: one exponential per logit, not two (they
    // were a tenth of a training step's time at batch 128).
    const shifted = shiftedExps(classes);
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      const e = Math.exp(logits[row + j] - max);
      shifted[j] = e;
      sum += e;
    }
    const logSumExp = max + Math.log(sum);
    totalLoss += logSumExp - logits[row + answer];
    if (argmax === answer) correct++;
    if (gradient !== undefined || probabilities !== undefined) {
      for (let j = 0; j < classes; j++) {
        const p = shifted[j] / sum;
        if (probabilities !== undefined) probabilities[row + j] = p;
        if (gradient !== undefined) gradient[row + j] = (p - (j === answer ? 1 : 0)) * invBatch;
      }
    }
  }
  return { loss: totalLoss * invBatch, correct };
}

/** One row's e^{z_j − m}, in float64; kept between calls so that a training step allocates nothing. */
let exps = new Float64Array(16);

function shiftedExps(classes: number): Float64Array {
  if (exps.length < classes) exps = new Float64Array(classes);
  return exps;
}
