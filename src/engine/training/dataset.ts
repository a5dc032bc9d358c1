/**
 * Labelled images as the engine sees them: pixels stay unsigned bytes (60 000 MNIST images are
 * 47 MB as bytes, 188 MB as floats) and are scaled to [0, 1] only when a batch is cut.
 */
export interface ImageSet {
  /** count × rows × cols pixel bytes, image after image, row-major. */
  readonly images: Uint8Array;
  /** count class indices, each < the dataset's class count. */
  readonly labels: Uint8Array;
  /** Number of images. */
  readonly count: number;
  /** Image height in pixels. */
  readonly rows: number;
  /** Image width in pixels. */
  readonly cols: number;
}

/** A training split and a test split of images of one size, with a fixed number of classes. */
export interface Dataset {
  /** Human-readable name, e.g. "MNIST". */
  readonly name: string;
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** Number of classes; every label is below it. */
  readonly classes: number;
}

/** Pixels per image: the width of the network's input layer. */
export function pixelsPerImage(set: ImageSet): number {
  return set.rows * set.cols;
}
