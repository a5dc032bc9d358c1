/** The Data screen's gallery: one page of a split's images, optionally one class, and the class counts. */
import type { Split } from '$shared/insight-api';
import type { LabApi } from '$shared/lab-api';
import { errorMessage } from '$ui/errors';
import type { LoadedImages } from '$ui/loaded-images';

export const PAGE_SIZE = 60;

export class DataGallery {
  split = $state<Split>('train');
  /** Only this class; null for all. */
  label = $state<number | null>(null);
  page = $state(0);
  images = $state.raw<LoadedImages | null>(null);
  counts = $state.raw<{ train: number[]; test: number[] } | null>(null);
  message = $state<string | null>(null);
  private countsFor: string | null = null;

  constructor(private readonly lab: LabApi) {}

  /** Pages of the current filter (at least 1). */
  get pages(): number {
    return this.images === null ? 1 : Math.max(1, Math.ceil(this.images.total / PAGE_SIZE));
  }

  async load(datasetId: string): Promise<void> {
    try {
      if (this.countsFor !== datasetId) {
        const counts = await this.lab.getClassCounts(datasetId);
        if (counts.ok) {
          this.counts = { train: counts.train, test: counts.test };
          this.countsFor = datasetId;
        }
      }
      const request = { datasetId, split: this.split, offset: this.page * PAGE_SIZE, count: PAGE_SIZE, ...(this.label === null ? {} : { label: this.label }) };
      const result = await this.lab.getImages(request);
      if (!result.ok) {
        this.message = result.message;
        return;
      }
      this.images = result;
      this.message = null;
    } catch (error) {
      this.message = errorMessage(error);
    }
  }

  show(change: { split?: Split; label?: number | null; page?: number }): void {
    if (change.split !== undefined) this.split = change.split;
    if (change.label !== undefined) this.label = change.label;
    this.page = change.page ?? 0;
  }
}
