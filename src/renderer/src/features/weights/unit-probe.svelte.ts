/**
 * A few test images to try a hidden unit on, one of each class, and what the network's hidden
 * units do with the chosen one: measured by the engine (one image forward, a few hundred numbers
 * back), again with each snapshot while a run trains.
 */
import type { HiddenOutputs } from '$shared/insight-api';
import type { LabApi } from '$shared/lab-api';
import { errorMessage } from '$ui/errors';
import { firstOfEachClass } from './unit-reading';

/** Test images looked through to find one of each class (MNIST's first 8 is its 62nd test image). */
export const PROBE_POOL = 100;

export interface ProbeImage {
  /** Index in the test split. */
  index: number;
  label: number;
  rows: number;
  cols: number;
  /** rows × cols grey levels, 0–255. */
  pixels: Uint8Array;
}

export class UnitProbe {
  images = $state.raw<ProbeImage[]>([]);
  /** Position of the chosen image in `images`. */
  chosen = $state(0);
  outputs = $state.raw<HiddenOutputs | null>(null);
  message = $state<string | null>(null);
  private loadedFor: string | null = null;
  private asking = false;
  private again = false;

  constructor(private readonly lab: LabApi) {}

  get image(): ProbeImage | null {
    return this.images[this.chosen] ?? null;
  }

  /** Fetches the images of `datasetId`'s test split once (again only when the dataset changes). */
  async load(datasetId: string | null): Promise<void> {
    if (datasetId === null || datasetId === this.loadedFor) return;
    this.loadedFor = datasetId;
    const answer = await this.lab.getImages({ datasetId, split: 'test', offset: 0, count: PROBE_POOL });
    if (!answer.ok) {
      this.loadedFor = null;
      this.message = answer.message;
      return;
    }
    const size = answer.rows * answer.cols;
    this.images = firstOfEachClass(answer.labels).map((k) => ({
      index: answer.indices[k],
      label: answer.labels[k],
      rows: answer.rows,
      cols: answer.cols,
      pixels: answer.pixels.slice(k * size, (k + 1) * size),
    }));
    this.chosen = 0;
    this.outputs = null;
  }

  /** Chooses an image and measures the units on it. */
  async choose(position: number): Promise<void> {
    if (position < 0 || position >= this.images.length) return;
    this.chosen = position;
    this.outputs = null;
    await this.measure();
  }

  /**
   * Asks the engine what its hidden units do with the chosen image. One question at a time: asked
   * again while one is on its way, it asks once more when that answer is in.
   */
  async measure(): Promise<void> {
    if (this.image === null) return;
    if (this.asking) {
      this.again = true;
      return;
    }
    this.asking = true;
    try {
      do {
        this.again = false;
        await this.ask();
      } while (this.again);
    } finally {
      this.asking = false;
    }
  }

  private async ask(): Promise<void> {
    const image = this.image;
    if (image === null) return;
    try {
      const answer = await this.lab.getHiddenOutputs(Float32Array.from(image.pixels, (p) => p / 255));
      // The choice may have moved on while the engine answered: keep only the answer that fits.
      if (this.image !== image) return;
      if (answer.ok) {
        const { ok: _ok, ...outputs } = answer;
        this.outputs = outputs;
        this.message = null;
      } else {
        this.outputs = null;
        this.message = answer.message;
      }
    } catch (error) {
      this.message = errorMessage(error);
    }
  }
}
