import type { ScratchArea, WasmHeap } from './heap';
import type { HeldImages } from './images';
import type { KernelExports } from './loader';
import { HelperOp, type KernelHelper } from './threads';
import type { LossResult } from '../kernels';

/*
 * The two per-batch steps around the network on the WebAssembly kernels (simd.ts
 * checks the arrays, then calls these): cutting a batch from image bytes, and softmax
 * cross-entropy. With a helper thread, each shares its rows out: the helper takes the first half,
 * the rows it goes on to compute in the products.
 */

/** The parts of the kernels these steps work with. */
export interface BatchSide {
  exports: KernelExports;
  heap: WasmHeap;
  scratch: ScratchArea;
  helperScratch: ScratchArea;
  images: HeldImages;
}

/**
 * Rows start ≤ r < start + size of `order` cut from `images` into the floats at xAt, as batching.ts
 * would; false, having written nothing, for an index past the images.
 */
export function cutBatchInWasm(side: BatchSide, helper: KernelHelper | null, images: Uint8Array, order: Uint32Array, start: number, size: number, pixels: number, xAt: number): boolean {
  const { exports, heap, scratch } = side;
  const held = side.images.pointerOf(images);
  if (held !== null) {
    // The batch's indices go to scratch, checked on the way, and the module does the rest.
    const indices = scratch.reserve(4 * size);
    const words = heap.words;
    const last = images.length / pixels;
    for (let r = 0; r < size; r++) {
      const index = order[start + r];
      if (!(index < last)) return false;
      words[indices / 4 + r] = index;
    }
    const half = helper ? size >> 1 : 0;
    helper?.start(HelperOp.ImagesToUnits, held, indices, half, pixels, xAt);
    exports.imagesToUnits(held, indices + 4 * half, size - half, pixels, xAt + 4 * half * pixels);
    helper?.join();
    return true;
  }
  // Not held (small sets): the bytes are gathered into scratch, a memcpy a row, then scaled.
  const length = size * pixels;
  const stage = scratch.reserve(length);
  const bytes = heap.bytes;
  for (let r = 0; r < size; r++) {
    const from = order[start + r] * pixels;
    if (from + pixels > images.length) return false;
    bytes.set(images.subarray(from, from + pixels), stage + r * pixels);
  }
  exports.unitFromBytes(stage, xAt, length);
  return true;
}

/**
 * Softmax cross-entropy of the logits at logitsAt (batch × classes), the gradient stored at
 * gradientAt unless it is 0; null, having done nothing, for a label that is not a class.
 */
export function softmaxInWasm(side: BatchSide, helper: KernelHelper | null, logitsAt: number, labels: ArrayLike<number>, batch: number, classes: number, gradientAt: number): LossResult | null {
  const { exports, heap, scratch } = side;
  const top = helper ? batch >> 1 : 0;
  const labelBytes = (4 * batch + 15) & ~15;
  const resultBytes = (12 * batch + 15) & ~15;
  const labelsAt = scratch.reserve(labelBytes + resultBytes + exports.softmaxScratch(batch - top, classes));
  const words = heap.words;
  for (let r = 0; r < batch; r++) {
    const answer = labels[r];
    if (!(Number.isInteger(answer) && answer >= 0 && answer < classes)) return null;
    words[labelsAt / 4 + r] = answer;
  }
  const results = labelsAt + labelBytes;
  helper?.start(HelperOp.SoftmaxRows, logitsAt, labelsAt, batch, classes, gradientAt, 0, top, results, side.helperScratch.reserve(exports.softmaxScratch(top, classes)));
  exports.softmaxRows(logitsAt, labelsAt, batch, classes, gradientAt, top, batch, results, results + resultBytes);
  helper?.join();
  // Added up in row order, as softmax-cross-entropy.ts does, however the rows were shared out.
  const losses = heap.doubles;
  let totalLoss = 0;
  let correct = 0;
  for (let r = 0; r < batch; r++) {
    totalLoss += losses[results / 8 + r];
    correct += words[(results + 8 * batch) / 4 + r];
  }
  return { loss: totalLoss * (1 / batch), correct };
}
