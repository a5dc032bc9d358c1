/**
 * The Evaluate screen's state: the current model on the test split, the confusion-matrix cell the
 * student opened, the misclassified images sorted by how confident the model was, and the digit
 * the student draws. The model is evaluated by itself whenever it changes for good — a run ends
 * or a saved model is loaded — so the numbers are there when a class turns to this screen.
 */
import type { EvaluationReport } from '$shared/insight-api';
import type { LabApi } from '$shared/lab-api';
import { errorMessage } from '$ui/errors';
import type { LoadedImages } from '$ui/loaded-images';
import { DigitPad } from './digit-pad.svelte';
import { cellIndices, misclassified, type Cell } from './evaluation-lists';

export type { Cell };

/** Images shown at once in a gallery. */
export const GALLERY_SIZE = 40;

export class EvaluationView {
  report = $state.raw<EvaluationReport | null>(null);
  running = $state(false);
  message = $state<string | null>(null);
  cell = $state.raw<Cell | null>(null);
  cellTotal = $state(0);
  cellImages = $state.raw<LoadedImages | null>(null);
  mostConfident = $state(true);
  wrongImages = $state.raw<LoadedImages | null>(null);
  wrongTotal = $state(0);
  /** The report describes a model that has since been replaced (a new run, or one loaded). */
  stale = $state(false);
  readonly pad: DigitPad;
  private datasetId: string | null = null;
  /** The dataset the latest run trained on: its model is measured on that dataset's test split. */
  private runDatasetId: string | null = null;
  /** Counts model changes, so an evaluation that a new run overtook is still marked stale. */
  private modelVersion = 0;
  /** An evaluation asked for while one runs: it runs next, on this dataset. */
  private queued: string | null = null;

  /** `selectedDataset` gives the dataset chosen on the Train screen (null while there is none). */
  constructor(
    private readonly lab: LabApi,
    private readonly selectedDataset: () => string | null,
  ) {
    this.pad = new DigitPad(lab);
  }

  /**
   * Listens for runs: a run's start makes the numbers stale; its end (completed, stopped, or
   * diverged and rolled back to its last good epoch) evaluates the model it left. Returns the
   * function that stops listening.
   */
  connect(): () => void {
    return this.lab.onRunEvent((event) => {
      if (event.type === 'started') {
        this.runDatasetId = event.dataset.id;
        this.markStale();
      } else if (event.type === 'finished' || event.type === 'diverged') {
        this.evaluateCurrent(this.runDatasetId);
      }
    });
  }

  /** Called when a saved model becomes the current one: measures it on the selected dataset. */
  modelLoaded(): void {
    this.markStale();
    this.evaluateCurrent(this.selectedDataset());
  }

  private evaluateCurrent(datasetId: string | null): void {
    const id = datasetId ?? this.selectedDataset();
    if (id !== null) void this.evaluate(id);
  }

  async evaluate(datasetId: string): Promise<void> {
    if (this.running) {
      this.queued = datasetId;
      return;
    }
    this.running = true;
    this.message = null;
    const version = this.modelVersion;
    try {
      const result = await this.lab.evaluateModel(datasetId);
      if (!result.ok) {
        this.report = null;
        this.message = result.message;
        return;
      }
      this.report = result.report;
      this.stale = version !== this.modelVersion;
      this.datasetId = datasetId;
      this.cell = null;
      this.cellImages = null;
      await this.loadWrong();
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.running = false;
      const next = this.queued;
      this.queued = null;
      if (next !== null) void this.evaluate(next);
    }
  }

  /** Called when the current model changes, so old numbers are not taken for the new model's. */
  markStale(): void {
    this.modelVersion++;
    if (this.report !== null) this.stale = true;
  }

  async openCell(cell: Cell): Promise<void> {
    const report = this.report;
    if (report === null || this.datasetId === null) return;
    this.cell = cell;
    const indices = cellIndices(report, cell);
    this.cellTotal = indices.length;
    this.cellImages = await this.fetch(indices.slice(0, GALLERY_SIZE));
  }

  async sortWrong(mostConfident: boolean): Promise<void> {
    this.mostConfident = mostConfident;
    await this.loadWrong();
  }

  private async loadWrong(): Promise<void> {
    const report = this.report;
    if (report === null) return;
    const wrong = misclassified(report, this.mostConfident);
    this.wrongTotal = wrong.length;
    this.wrongImages = await this.fetch(wrong.slice(0, GALLERY_SIZE));
  }

  private async fetch(indices: number[]): Promise<LoadedImages | null> {
    if (this.datasetId === null) return null;
    const result = await this.lab.getImagesAt({ datasetId: this.datasetId, split: 'test', indices });
    if (!result.ok) {
      this.message = result.message;
      return null;
    }
    return result;
  }
}
