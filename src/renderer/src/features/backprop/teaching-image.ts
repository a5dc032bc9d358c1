/**
 * Which test image the step-through opens on. An image the network gets right with p = 1.000 has
 * an output error of about 10⁻⁵ everywhere, and every gradient after it is as flat: nothing to see.
 * So the default is the first test image (in the test set's own order, so the same model always
 * opens on the same image) that the network gets wrong, or failing that the first it is unsure
 * about (its largest probability below `UNSURE_BELOW`).
 */

/** A largest class probability below this counts as unsure. */
export const UNSURE_BELOW = 0.9;

export interface TeachingImage {
  /** Position in the scanned rows. */
  position: number;
  reason: 'wrong' | 'unsure';
  /** The network's answer and its probability. */
  predicted: number;
  probability: number;
}

/** Softmax of one row of logits (max subtracted, so large logits do not overflow). */
export function softmaxRow(logits: ArrayLike<number>, start: number, classes: number): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, logits[start + c]);
  const p = new Float64Array(classes);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += p[c] = Math.exp(logits[start + c] - max);
  for (let c = 0; c < classes; c++) p[c] /= sum;
  return p;
}

/**
 * The first row the network gets wrong, else the first it is unsure about, else null (it is right
 * and sure of every one). `logits` holds labels.length rows of `classes` numbers.
 */
export function chooseTeachingImage(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number, unsureBelow = UNSURE_BELOW): TeachingImage | null {
  let unsure: TeachingImage | null = null;
  for (let row = 0; row < labels.length; row++) {
    const p = softmaxRow(logits, row * classes, classes);
    let predicted = 0;
    for (let c = 1; c < classes; c++) if (p[c] > p[predicted]) predicted = c;
    const probability = p[predicted];
    if (predicted !== labels[row]) return { position: row, reason: 'wrong', predicted, probability };
    if (unsure === null && probability < unsureBelow) unsure = { position: row, reason: 'unsure', predicted, probability };
  }
  return unsure;
}
