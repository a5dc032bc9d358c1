/**
 * A small MNIST on disk for end-to-end runs that must finish quickly on a crowded machine: the
 * first `train` training and `test` test images of the real MNIST, written under MNIST's own file
 * names, so the datasets service and every forked worker read it like the real folder.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSet } from '../../src/engine/training/dataset';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { idxBytes } from '../helpers/idx-bytes';

function writeSet(dir: string, images: string, labels: string, set: ImageSet, count: number): void {
  const pixels = set.rows * set.cols;
  writeFileSync(join(dir, images), idxBytes([count, set.rows, set.cols], set.images.subarray(0, count * pixels)));
  writeFileSync(join(dir, labels), idxBytes([count], set.labels.subarray(0, count)));
}

/** Writes the folder and returns its path (under the system's temporary folder). */
export function writeSmallMnist(train: number, test: number): string {
  const mnist = loadDatasetFolder(defaultMnistDir());
  const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-small-mnist-'));
  writeSet(dir, 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', mnist.train, train);
  writeSet(dir, 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', mnist.test, test);
  return dir;
}
