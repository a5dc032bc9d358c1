import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IdxError } from '../../src/engine/files/idx';
import { DatasetError } from '../../src/engine/files/labelled-images';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { idxBytes } from '../helpers/idx-bytes';

const root = mkdtempSync(join(tmpdir(), 'mlp-lab-datasets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILES: Record<string, Uint8Array> = {
  'train-images-idx3-ubyte': idxBytes([3, 3, 2], Array.from({ length: 18 }, (_, i) => i * 10)),
  'train-labels-idx1-ubyte': idxBytes([3], [0, 9, 4]),
  't10k-images-idx3-ubyte': idxBytes([2, 3, 2], Array.from({ length: 12 }, (_, i) => 255 - i)),
  't10k-labels-idx1-ubyte': idxBytes([2], [5, 1]),
};

/** A fresh folder under the test's temp root holding the given files. */
function folder(name: string, files: Record<string, Uint8Array>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
  return dir;
}

function renamed(rename: (name: string) => string, transform: (bytes: Uint8Array) => Uint8Array = (b) => b): Record<string, Uint8Array> {
  return Object.fromEntries(Object.entries(FILES).map(([name, bytes]) => [rename(name), transform(bytes)]));
}

function datasetRefusal(load: () => unknown): DatasetError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('loadDatasetFolder', () => {
  const raw = loadDatasetFolder(folder('raw', FILES));

  it('loads the four raw IDX files', () => {
    expect(raw.name).toBe('raw');
    expect(raw.classes).toBe(10);
    expect(raw.train.count).toBe(3);
    expect(raw.test.count).toBe(2);
    expect([raw.train.rows, raw.train.cols]).toEqual([3, 2]);
    expect(Array.from(raw.train.labels)).toEqual([0, 9, 4]);
    expect(Array.from(raw.test.images.subarray(0, 3))).toEqual([255, 254, 253]);
    expect(Buffer.isBuffer(raw.train.images)).toBe(false);
  });

  it('loads gzipped files the same', () => {
    const gz = loadDatasetFolder(folder('gz', renamed((n) => `${n}.gz`, (b) => gzipSync(b))), { name: 'raw' });
    expect(gz).toEqual(raw);
  });

  it('loads the dotted variant of the names', () => {
    const dotted = loadDatasetFolder(folder('dotted', renamed((n) => n.replace('-idx', '.idx'))), { name: 'raw' });
    expect(dotted).toEqual(raw);
  });

  it('decompresses by content: a .gz name holding raw bytes, a raw name holding gzip', () => {
    const mixed = renamed((n) => (n.startsWith('train') ? `${n}.gz` : n), (b) => b);
    mixed['t10k-images-idx3-ubyte'] = gzipSync(FILES['t10k-images-idx3-ubyte']);
    expect(loadDatasetFolder(folder('mixed', mixed), { name: 'raw' })).toEqual(raw);
  });

  it('uses the name and class count given', () => {
    const dataset = loadDatasetFolder(join(root, 'raw'), { name: 'Tiny', classes: 12 });
    expect(dataset.name).toBe('Tiny');
    expect(dataset.classes).toBe(12);
  });

  it('refuses a missing folder, naming it', () => {
    const dir = join(root, 'nowhere');
    const error = datasetRefusal(() => loadDatasetFolder(dir));
    expect(error.message).toMatch(/dataset folder .*nowhere does not exist/);
    expect(error.fileNames).toEqual([dir]);
  });

  it('refuses a file given as the folder', () => {
    expect(datasetRefusal(() => loadDatasetFolder(join(root, 'raw', 'train-images-idx3-ubyte'))).message).toMatch(/is a file, not a folder/);
  });

  it('lists the missing files and the names it looked for', () => {
    const { ['t10k-images-idx3-ubyte']: _images, ['t10k-labels-idx1-ubyte']: _labels, ...trainOnly } = FILES;
    const dir = folder('train-only', trainOnly);
    const message = datasetRefusal(() => loadDatasetFolder(dir)).message;
    expect(message).toContain(dir);
    expect(message).toMatch(/missing 2 of the 4 dataset files/);
    expect(message).toMatch(/test images \(t10k-images-idx3-ubyte or t10k-images\.idx3-ubyte\)/);
    expect(message).toMatch(/each also accepted as \.gz/);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/test labels \(t10k-labels-idx1-ubyte or t10k-labels\.idx1-ubyte/);
    expect(message).not.toMatch(/training images/);
  });

  it('refuses a corrupt gzip file, naming it', () => {
    const files = renamed((n) => `${n}.gz`, (b) => gzipSync(b));
    const good = files['train-labels-idx1-ubyte.gz'];
    files['train-labels-idx1-ubyte.gz'] = good.subarray(0, good.length - 6);
    const dir = folder('bad-gzip', files);
    const error = datasetRefusal(() => loadDatasetFolder(dir));
    expect(error.message).toMatch(/train-labels-idx1-ubyte\.gz is gzip-compressed but cannot be decompressed \(.+\)\. The download may be incomplete/);
    expect(error.fileNames).toEqual([join(dir, 'train-labels-idx1-ubyte.gz')]);
  });

  it('passes on a malformed IDX file as an IdxError with its path', () => {
    const files = { ...FILES, 't10k-labels-idx1-ubyte': FILES['t10k-labels-idx1-ubyte'].subarray(0, 9) };
    const dir = folder('truncated', files);
    expect(() => loadDatasetFolder(dir)).toThrow(IdxError);
    expect(() => loadDatasetFolder(dir)).toThrow(`${join(dir, 't10k-labels-idx1-ubyte')} is truncated`);
  });

  it('refuses labels above the class count', () => {
    expect(datasetRefusal(() => loadDatasetFolder(join(root, 'raw'), { classes: 5 })).message).toMatch(/train-labels-idx1-ubyte: label 1 is 9/);
  });
});

describe('the real MNIST', () => {
  it('loads 60 000 training and 10 000 test images of 28×28 with labels below 10', () => {
    const mnist = loadDatasetFolder(defaultMnistDir(), { name: 'MNIST' });
    expect(mnist.name).toBe('MNIST');
    expect(mnist.train.count).toBe(60000);
    expect(mnist.test.count).toBe(10000);
    for (const set of [mnist.train, mnist.test]) {
      expect([set.rows, set.cols]).toEqual([28, 28]);
      expect(set.images.length).toBe(set.count * 784);
      expect(Math.max(...set.labels)).toBe(9);
    }
    // MNIST's well-known first labels.
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(mnist.test.labels.subarray(0, 3))).toEqual([7, 2, 1]);
  });
});
