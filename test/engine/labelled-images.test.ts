import { describe, expect, it } from 'vitest';
import { IdxError } from '../../src/engine/files/idx';
import { DatasetError, makeDataset, makeImageSet } from '../../src/engine/files/labelled-images';
import { idxBytes, TWO_IMAGES, TWO_LABELS } from '../helpers/idx-bytes';

const IMAGES = 'train-images-idx3-ubyte';
const LABELS = 'train-labels-idx1-ubyte';

function datasetRefusal(make: () => unknown): DatasetError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('makeImageSet', () => {
  it('pairs images and labels as views into the file bytes', () => {
    const set = makeImageSet(TWO_IMAGES, IMAGES, TWO_LABELS, LABELS, 10);
    expect(set.count).toBe(2);
    expect(set.rows).toBe(3);
    expect(set.cols).toBe(2);
    expect(Array.from(set.images)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from(set.labels)).toEqual([7, 3]);
    expect(set.images.buffer).toBe(TWO_IMAGES.buffer);
  });

  it('refuses image and label counts that differ, naming both files and both counts', () => {
    const threeLabels = idxBytes([3], [1, 2, 3]);
    const error = datasetRefusal(() => makeImageSet(TWO_IMAGES, IMAGES, threeLabels, LABELS, 10));
    expect(error.message).toMatch(new RegExp(`${IMAGES} holds 2 images but ${LABELS} holds 3 labels`));
    expect(error.fileNames).toEqual([IMAGES, LABELS]);
  });

  it('refuses a label at or above the class count, naming the file, the index and the value', () => {
    const labels = idxBytes([2], [1, 10]);
    const error = datasetRefusal(() => makeImageSet(TWO_IMAGES, IMAGES, labels, LABELS, 10));
    expect(error.message).toMatch(new RegExp(`${LABELS}: label 1 is 10, but the dataset has 10 classes, so labels must be 0 to 9`));
    expect(error.fileNames).toEqual([LABELS]);
  });

  it('accepts the largest label below the class count', () => {
    expect(makeImageSet(TWO_IMAGES, IMAGES, idxBytes([2], [0, 7]), LABELS, 8).count).toBe(2);
  });

  it('refuses an empty split', () => {
    const error = datasetRefusal(() => makeImageSet(idxBytes([0, 3, 2], []), IMAGES, idxBytes([0], []), LABELS, 10));
    expect(error.message).toMatch(/hold no images/);
  });

  it('passes IDX problems through as IdxErrors naming the file', () => {
    expect(() => makeImageSet(TWO_IMAGES, IMAGES, TWO_LABELS.subarray(0, 9), LABELS, 10)).toThrow(IdxError);
    expect(() => makeImageSet(TWO_LABELS, IMAGES, TWO_LABELS, LABELS, 10)).toThrow(new RegExp(`${IMAGES} has the wrong magic`));
  });

  it('refuses a class count that labels cannot express', () => {
    expect(() => makeImageSet(TWO_IMAGES, IMAGES, TWO_LABELS, LABELS, 1)).toThrow(/class count.*2 to 256.*got 1/);
    expect(() => makeImageSet(TWO_IMAGES, IMAGES, TWO_LABELS, LABELS, 2.5)).toThrow(RangeError);
  });
});

describe('makeDataset', () => {
  const train = makeImageSet(TWO_IMAGES, IMAGES, TWO_LABELS, LABELS, 10);

  it('joins train and test splits of one image size', () => {
    const test = makeImageSet(idxBytes([1, 3, 2], [9, 9, 9, 9, 9, 9]), 't10k-images', idxBytes([1], [4]), 't10k-labels', 10);
    const dataset = makeDataset('tiny', train, test, 10);
    expect(dataset).toEqual({ name: 'tiny', train, test, classes: 10 });
  });

  it('refuses train and test images of different sizes', () => {
    const test = makeImageSet(idxBytes([1, 2, 3], [9, 9, 9, 9, 9, 9]), 't10k-images', idxBytes([1], [4]), 't10k-labels', 10);
    const error = datasetRefusal(() => makeDataset('tiny', train, test, 10));
    expect(error.message).toMatch(/tiny: the training images are 3 × 2 pixels but the test images are 2 × 3/);
  });
});
