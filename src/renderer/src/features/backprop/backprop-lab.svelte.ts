/**
 * The Backprop screen's state: a network (the engine's current model, or a freshly initialised
 * one from the Train form's settings, labelled untrained), a small batch of test images, the
 * gradient check on that batch with its breakage switches, and the step-through of one image —
 * by default one the network gets wrong or is unsure about (teaching-image.ts), so its errors
 * and gradients are not all about 10⁻⁵. Everything here is small enough to compute in the
 * renderer with the plain-JS kernels.
 */
import { checkNetworkLayers, type Breakage, type LayerCheck } from '$engine/teaching/broken-gradients';
import { traceBackprop, type BackpropTrace } from '$engine/teaching/backprop-trace';
import { jsKernels } from '$engine/kernels/js';
import { Network } from '$engine/nn/network';
import { Rng } from '$engine/nn/rng';
import type { NetworkWeights } from '$engine/nn/weights';
import type { LabApi } from '$shared/lab-api';
import type { RunConfig } from '$engine/training/run-config';
import { errorMessage } from '$ui/errors';
import { ACTIVATION_LABELS, INIT_SHORT_LABELS } from '$ui/plain-labels';
import { untrainedBanner } from './model-banner';
import { chooseTeachingImage, type TeachingImage } from './teaching-image';

export const BATCH = 8;
/** Test images scanned for the default image, a page at a time, and at most in all. */
const SCAN_PAGE = 100;
export const SCAN_LIMIT = 1000;

/** Why the step-through opened on its image: the choice, or none among the first `scanned`. */
export type Opening = ({ found: true; index: number } & TeachingImage) | { found: false; scanned: number };

export interface ModelSource {
  trained: boolean;
  /** What the panel says the network is. */
  description: string;
  config: RunConfig;
  weights: NetworkWeights;
}

export interface ImageBatch {
  rows: number;
  cols: number;
  labels: number[];
  indices: number[];
  /** BATCH × rows·cols, scaled to [0, 1]. */
  pixels: Float32Array;
}

export class BackpropLab {
  model = $state.raw<ModelSource | null>(null);
  images = $state.raw<ImageBatch | null>(null);
  message = $state<string | null>(null);
  loading = $state(false);
  breakage = $state<Breakage>({ dropMean: false, skipDerivative: null });
  checks = $state.raw<LayerCheck[] | null>(null);
  checking = $state(false);
  chosen = $state(0);
  trace = $state.raw<BackpropTrace | null>(null);
  stepIndex = $state(0);
  /** Which images of the test split the batch starts at. */
  offset = $state(0);
  /** How the shown image was chosen when the network was loaded. */
  opening = $state.raw<Opening | null>(null);

  constructor(private readonly lab: LabApi) {}

  /**
   * Takes the engine's current model if there is one, else a fresh network from `fallback`, and opens
   * on an image it gets wrong or is unsure about, unless `startAt` names the test image to show.
   */
  async load(fallback: RunConfig | null, datasetId: string | null, startAt: number | null = null): Promise<void> {
    this.loading = true;
    this.message = null;
    this.checks = null;
    try {
      this.model = await this.currentModel(fallback);
      this.opening = null;
      if (datasetId && startAt !== null) {
        this.offset = startAt;
        await this.loadImages(datasetId);
      } else if (datasetId) await this.openOnTeachingImage(datasetId);
      else this.message = 'Choose a dataset on the Train screen to load images.';
      this.retrace();
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }

  async nextBatch(datasetId: string | null): Promise<void> {
    if (!datasetId) return;
    this.offset += BATCH;
    this.checks = null;
    await this.loadImages(datasetId);
    this.retrace();
  }

  private async currentModel(fallback: RunConfig | null): Promise<ModelSource | null> {
    let reason = 'no model has been trained or loaded yet';
    try {
      const current = await this.lab.getCurrentModel();
      if (current.ok) {
        const what = current.source === 'library' ? `the library model “${current.name ?? 'unnamed'}”` : 'the model from training';
        const epochs = current.history.length;
        return {
          trained: true,
          description: `${what}: ${current.config.layers.join('-')}, ${ACTIVATION_LABELS[current.config.activation]}, ${epochs} epoch${epochs === 1 ? '' : 's'} trained`,
          config: current.config,
          weights: current.weights,
        };
      }
      reason = current.message;
    } catch (error) {
      reason = errorMessage(error);
    }
    if (!fallback) {
      this.message = `There is no current model (${reason}), and the Train form's settings are invalid; fix them to get an untrained network.`;
      return null;
    }
    const network = new Network({ layers: fallback.layers, activation: fallback.activation, init: fallback.init }, jsKernels);
    network.initialise(new Rng(fallback.seed));
    return {
      trained: false,
      description: untrainedBanner(
        { layers: fallback.layers, activation: ACTIVATION_LABELS[fallback.activation], init: INIT_SHORT_LABELS[fallback.init], seed: fallback.seed },
        reason,
      ),
      config: fallback,
      weights: network.getWeights(),
    };
  }

  /**
   * Scans the test split in order, a page at a time, for the first image the network gets wrong or
   * is unsure about, and shows the batch of BATCH that holds it; without one among the first
   * SCAN_LIMIT, the first batch and its first image, and `opening` says so.
   */
  private async openOnTeachingImage(datasetId: string): Promise<void> {
    const network = this.network();
    if (network === null) return this.loadImages(datasetId);
    let scanned = 0;
    for (let start = 0; start < SCAN_LIMIT; start += SCAN_PAGE) {
      const page = await this.lab.getImages({ datasetId, split: 'test', offset: start, count: SCAN_PAGE });
      if (!page.ok) {
        this.message = page.message;
        this.images = null;
        return;
      }
      const count = page.labels.length;
      const size = page.rows * page.cols;
      const pixels = Float32Array.from(page.pixels, (v) => v / 255);
      const classes = this.model?.config.layers.at(-1) ?? 10;
      const choice = chooseTeachingImage(network.forward(pixels, count), page.labels, classes);
      scanned = start + count;
      if (choice !== null) {
        const first = choice.position - (choice.position % BATCH);
        const end = Math.min(count, first + BATCH);
        this.offset = start + first;
        this.images = {
          rows: page.rows,
          cols: page.cols,
          labels: page.labels.slice(first, end),
          indices: page.indices.slice(first, end),
          pixels: pixels.slice(first * size, end * size),
        };
        this.chosen = choice.position - first;
        this.opening = { found: true, index: page.indices[choice.position], ...choice };
        return;
      }
      if (count < SCAN_PAGE || scanned >= page.total) break;
    }
    this.offset = 0;
    this.opening = { found: false, scanned };
    await this.loadImages(datasetId);
  }

  private async loadImages(datasetId: string): Promise<void> {
    const answer = await this.lab.getImages({ datasetId, split: 'test', offset: this.offset, count: BATCH });
    if (!answer.ok) {
      this.message = answer.message;
      this.images = null;
      return;
    }
    this.images = {
      rows: answer.rows,
      cols: answer.cols,
      labels: answer.labels,
      indices: answer.indices,
      pixels: Float32Array.from(answer.pixels, (v) => v / 255),
    };
    this.chosen = 0;
  }

  /** A network with the model's weights, in the renderer's plain-JS kernels. */
  network(): Network | null {
    if (!this.model) return null;
    const { config, weights } = this.model;
    const network = new Network({ layers: config.layers, activation: config.activation, init: config.init }, jsKernels);
    network.setWeights(weights);
    return network;
  }

  /** Runs the check on the batch, yielding first so the page can say it is checking. */
  async runCheck(): Promise<void> {
    const network = this.network();
    const images = this.images;
    if (!network || !images) return;
    this.checking = true;
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      const batch = images.labels.length;
      this.checks = checkNetworkLayers(network, images.pixels, images.labels, batch, new Rng(1), $state.snapshot(this.breakage), { maxEntries: 24 });
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.checking = false;
    }
  }

  /**
   * Steps through test image `index` (the batch of images starts there), loading a network first
   * when there is none yet: a lesson's step can point at the image it talks about.
   */
  async showImage(index: number, fallback: RunConfig | null, datasetId: string | null): Promise<void> {
    this.offset = index;
    this.chosen = 0;
    // A lesson's image wins over the wrong-or-unsure image the screen opens on by itself.
    if (this.model === null) return this.load(fallback, datasetId, index);
    if (!datasetId) return;
    this.checks = null;
    await this.loadImages(datasetId);
    this.retrace();
  }

  choose(index: number): void {
    this.chosen = index;
    this.retrace();
  }

  retrace(): void {
    const images = this.images;
    const model = this.model;
    if (!images || !model || images.labels.length === 0) {
      this.trace = null;
      return;
    }
    const size = images.rows * images.cols;
    const image = images.pixels.subarray(this.chosen * size, (this.chosen + 1) * size);
    try {
      this.trace = traceBackprop(model.weights, model.config.activation, image, images.labels[this.chosen], model.config.learningRate);
      this.stepIndex = Math.min(this.stepIndex, this.trace.steps.length - 1);
    } catch (error) {
      this.message = errorMessage(error);
      this.trace = null;
    }
  }
}
