import type { Dataset, ImageSet } from '../training/dataset';
import { parseIdxImages, parseIdxLabels } from './idx';

/**
 * Pairing images with their labels: an IDX image file and an IDX label file become one checked
 * `ImageSet`, and a training set and a test set become one `Dataset`. Every check here is one a bad
 * download or a mixed-up folder fails, and each refusal says which files to look at.
 */

/** Files that are each well-formed but do not fit together as a dataset. */
export class DatasetError extends Error {
  /** The files or folders (names or paths, as the caller gave them) the problem concerns. */
  readonly fileNames: readonly string[];

  constructor(fileNames: readonly string[], message: string) {
    super(message);
    this.name = 'DatasetError';
    this.fileNames = fileNames;
  }
}

/** Labels are single bytes, so a dataset has at most 256 classes; one class would teach nothing. */
export const MAX_CLASSES = 256;

/**
 * Parses an image file and its label file into an `ImageSet` whose every label is below `classes`.
 * The image and label bytes are views into the given buffers, not copies. Throws an `IdxError` for
 * a malformed file and a `DatasetError` when the two files disagree.
 */
export function makeImageSet(
  imagesBytes: Uint8Array,
  imagesName: string,
  labelsBytes: Uint8Array,
  labelsName: string,
  classes: number,
): ImageSet {
  checkClassCount(classes);
  const images = parseIdxImages(imagesBytes, imagesName);
  const { count, labels } = parseIdxLabels(labelsBytes, labelsName);
  if (images.count !== count) {
    throw new DatasetError(
      [imagesName, labelsName],
      `${imagesName} holds ${images.count} images but ${labelsName} holds ${count} labels; ` +
        'every image needs exactly one label. Check that the two files belong to the same split (train or test).',
    );
  }
  if (count === 0) {
    throw new DatasetError([imagesName, labelsName], `${imagesName} and ${labelsName} hold no images; a dataset split needs at least one.`);
  }
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classes) {
      throw new DatasetError(
        [labelsName],
        `${labelsName}: label ${i} is ${labels[i]}, but the dataset has ${classes} classes, so labels must be 0 to ${classes - 1}. ` +
          'Set the class count to match the dataset, or check that this is a label file.',
      );
    }
  }
  return { images: images.pixels, labels, count, rows: images.rows, cols: images.cols };
}

/**
 * Joins a training split and a test split (each made by `makeImageSet` with the same class count)
 * into a `Dataset`. The network's input width is one image's pixel count, so both splits must have
 * images of one size.
 */
export function makeDataset(name: string, train: ImageSet, test: ImageSet, classes: number): Dataset {
  checkClassCount(classes);
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new DatasetError(
      [],
      `${name}: the training images are ${train.rows} × ${train.cols} pixels but the test images are ${test.rows} × ${test.cols}; ` +
        'both splits must have images of one size. Check that the training and test files come from the same dataset.',
    );
  }
  return { name, train, test, classes };
}

function checkClassCount(classes: number): void {
  if (!Number.isInteger(classes) || classes < 2 || classes > MAX_CLASSES) {
    throw new RangeError(
      `The class count must be a whole number from 2 to ${MAX_CLASSES} (labels are single bytes); got ${classes}.`,
    );
  }
}
