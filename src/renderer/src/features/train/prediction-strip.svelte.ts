/**
 * The prediction strip as the Train screen sees it: the network's latest guesses on the dozen fixed
 * test images the engine watches, and those images (asked of main once per run and dataset).
 */
import type { InsightApi } from '$shared/insight-api';
import type { StripGuess } from '$engine/teaching/prediction-strip';
import { errorMessage } from '$ui/errors';

/** The strip's images: rows × cols grey levels of each, by test index. */
export interface StripImages {
  rows: number;
  cols: number;
  pixels: ReadonlyMap<number, Uint8Array>;
}

export class PredictionStripView {
  /** The latest guesses, in strip order; null until the run's first. Kept after the run ends. */
  guesses = $state.raw<StripGuess[] | null>(null);
  /** The minibatch the guesses were taken after. */
  iteration = $state(0);
  images = $state.raw<StripImages | null>(null);
  /** Why the images could not be shown, if they could not. */
  problem = $state<string | null>(null);

  private datasetId: string | null = null;
  /** The dataset and indices the images are (or are being) fetched for. */
  private fetched = '';

  constructor(private readonly lab: Pick<InsightApi, 'getImagesAt'>) {}

  /** A new run on `datasetId`: no guesses yet; its images stay if the dataset is the same. */
  reset(datasetId: string): void {
    this.guesses = null;
    this.iteration = 0;
    this.datasetId = datasetId;
  }

  /** New guesses from the engine, after minibatch `iteration`; the first on another dataset fetch its images. */
  update(guesses: StripGuess[], iteration: number): void {
    this.guesses = guesses;
    this.iteration = iteration;
    const indices = guesses.map((g) => g.index);
    const key = `${this.datasetId}:${indices.join(',')}`;
    if (this.datasetId === null || key === this.fetched) return;
    this.fetched = key;
    void this.fetchImages(this.datasetId, indices, key);
  }

  private async fetchImages(datasetId: string, indices: number[], key: string): Promise<void> {
    this.images = null;
    this.problem = null;
    try {
      const result = await this.lab.getImagesAt({ datasetId, split: 'test', indices });
      if (key !== this.fetched) return;
      if (!result.ok) {
        this.problem = result.message;
        return;
      }
      const size = result.rows * result.cols;
      const pixels = new Map(result.indices.map((index, i) => [index, result.pixels.subarray(i * size, (i + 1) * size)]));
      this.images = { rows: result.rows, cols: result.cols, pixels };
    } catch (error) {
      if (key === this.fetched) this.problem = errorMessage(error);
    }
  }
}
