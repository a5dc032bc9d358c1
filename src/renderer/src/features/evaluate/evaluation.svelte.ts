/**
 * The Evaluate screen's state: the current model on the test split, the confusion-matrix cell the
 * student opened, the misclassified images sorted by how confident the model was, and the digit
 * the student draws.
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

  constructor(private readonly lab: LabApi) {
    this.pad = new DigitPad(lab);
  }

  /** Listens for new runs, which replace the current model; returns the function that stops listening. */
  connect(): () => void {
    return this.lab.onRunEvent((event) => {
      if (event.type === 'started') this.markStale();
    });
  }

  async evaluate(datasetId: string): Promise<void> {
    this.running = true;
    this.message = null;
    try {
      const result = await this.lab.evaluateModel(datasetId);
      if (!result.ok) {
        this.report = null;
        this.message = result.message;
        return;
      }
      this.report = result.report;
      this.stale = false;
      this.datasetId = datasetId;
      this.cell = null;
      this.cellImages = null;
      await this.loadWrong();
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.running = false;
    }
  }

  /** Called when the current model changes, so old numbers are not taken for the new model's. */
  markStale(): void {
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
