import type { ImageSet } from '../../src/engine/training/dataset';
import type { LabHandlers } from '../../src/main/handlers/ipc-handlers';

/**
 * A `getImages` handler that pages through an image set held in this process, for e2e tests whose
 * engine holds no dataset (the Backprop screen draws real MNIST test images without a model).
 */
export function imagesFrom(set: ImageSet): LabHandlers['getImages'] {
  return async (_sender, request) => {
    const { offset, count } = request as { offset: number; count: number };
    const size = set.rows * set.cols;
    const indices = Array.from({ length: count }, (_, i) => offset + i);
    return {
      ok: true,
      total: set.count,
      rows: set.rows,
      cols: set.cols,
      indices,
      labels: indices.map((i) => set.labels[i]),
      pixels: set.images.slice(offset * size, (offset + count) * size),
    };
  };
}
