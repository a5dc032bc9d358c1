import type { ImageSet } from './dataset';
import type { Kernels } from '../kernels/kernels';
import type { Rng } from '../nn/rng';

/**
 * The order in which an epoch visits the training images: 0, 1, 2, … without shuffling (as the
 * course's blog did), or a fresh seeded permutation each epoch.
 */
export function epochOrder(count: number, shuffle: boolean, rng: Rng, into?: Uint32Array): Uint32Array {
  const order = into ?? new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (shuffle) rng.shuffle(order);
  return order;
}

/**
 * Minibatches per epoch. The last, partial batch is kept (60 000 images at batch 64 make 937 full
 * batches and one of 32), so every image is seen every epoch; the loss is a mean, so a smaller
 * batch takes a step of the same scale. (The course dropped the remainder silently.)
 */
export function batchesPerEpoch(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/**
 * Cuts one minibatch: the images order[start … start+size) scaled from bytes to [0, 1] into
 * `x` (size × pixels) and their labels into `y`. Kernels that can cut batches (the same numbers,
 * faster) scale the images when given.
 */
export function fillBatch(set: ImageSet, order: Uint32Array, start: number, size: number, x: Float32Array, y: Uint8Array, kernels?: Kernels): void {
  const pixels = set.rows * set.cols;
  const scale = 1 / 255;
  const images = set.images;
  if (kernels?.cutBatch?.(images, order, start, size, pixels, x)) {
    for (let r = 0; r < size; r++) y[r] = set.labels[order[start + r]];
    return;
  }
  for (let r = 0; r < size; r++) {
    const index = order[start + r];
    const src = index * pixels;
    const dst = r * pixels;
    for (let p = 0; p < pixels; p++) x[dst + p] = images[src + p] * scale;
    y[r] = set.labels[index];
  }
}
