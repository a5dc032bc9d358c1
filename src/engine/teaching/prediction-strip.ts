/**
 * The prediction strip: a dozen fixed test images whose current guesses are shown while a network
 * learns (ConvNetJS shows this; students love it). The images are the same for every run on a
 * dataset, so a class sees the same digits go from wrong to right: the first test image of each
 * class, in class order, then the earliest test images not yet chosen, up to twelve.
 */
import type { Network } from '../nn/network';
import { softmaxCrossEntropy } from '../nn/softmax-cross-entropy';
import { fillBatch } from '../training/batching';
import type { ImageSet } from '../training/dataset';

/** Images on the strip (fewer only for a test split that has fewer). */
export const STRIP_SIZE = 12;

/** The network's current guess on one image of the strip. */
export interface StripGuess {
  /** The image's index in the test split. */
  index: number;
  /** Its true class. */
  label: number;
  /** The class the network finds most probable (the first of equals). */
  guess: number;
  /** That class's softmax probability, from 0 to 1. */
  confidence: number;
}

/**
 * The strip's test images by index: the first image of each class in class order (as many classes
 * as fit), then the earliest images not yet chosen, until there are `size` (or the split runs out).
 */
export function stripIndices(labels: ArrayLike<number>, classes: number, size = STRIP_SIZE): number[] {
  const chosen: number[] = [];
  const firstOf = new Array<number>(classes).fill(-1);
  for (let i = 0, found = 0; i < labels.length && found < classes; i++) {
    const label = labels[i];
    if (label < classes && firstOf[label] === -1) {
      firstOf[label] = i;
      found++;
    }
  }
  for (const index of firstOf) if (index !== -1 && chosen.length < size) chosen.push(index);
  const taken = new Set(chosen);
  for (let i = 0; i < labels.length && chosen.length < size; i++) if (!taken.has(i)) chosen.push(i);
  return chosen;
}

/**
 * Guesses on the strip's images by one network. The images are cut into the network's input
 * buffer once; each `guesses()` is then one forward pass of a dozen images, cheap enough to run
 * between two minibatches a few times a second. Between minibatches is the only safe time: the
 * forward pass uses the layers' scratch buffers, which the next minibatch fills afresh.
 */
export class PredictionStrip {
  readonly indices: readonly number[];
  private readonly labels: Uint8Array;
  private readonly input: Float32Array;
  private readonly probabilities: Float32Array;

  constructor(
    private readonly network: Network,
    test: ImageSet,
    private readonly classes: number,
  ) {
    const indices = stripIndices(test.labels, classes);
    this.indices = indices;
    this.labels = new Uint8Array(indices.length);
    this.input = network.kernels.createBuffer(indices.length * network.inputSize);
    fillBatch(test, Uint32Array.from(indices), 0, indices.length, this.input, this.labels);
    this.probabilities = new Float32Array(indices.length * classes);
  }

  /** The network's guess and its confidence on each image, in strip order. */
  guesses(): StripGuess[] {
    const count = this.indices.length;
    if (count === 0) return [];
    const { classes, probabilities } = this;
    const logits = this.network.forward(this.input, count);
    softmaxCrossEntropy(logits, this.labels, count, classes, undefined, probabilities);
    return this.indices.map((index, r) => {
      let guess = 0;
      for (let c = 1; c < classes; c++) if (probabilities[r * classes + c] > probabilities[r * classes + guess]) guess = c;
      return { index, label: this.labels[r], guess, confidence: probabilities[r * classes + guess] };
    });
  }
}
