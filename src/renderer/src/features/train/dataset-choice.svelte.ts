/** The datasets main offers, which one is chosen, and "Open dataset folder…". */
import type { DatasetInfo, LabApi } from '$shared/lab-api';
import { errorMessage } from '$ui/errors';

export class DatasetChoice {
  list = $state.raw<DatasetInfo[]>([]);
  selectedId = $state('');
  readonly selected = $derived(this.list.find((d) => d.id === this.selectedId));
  /** What went wrong with the last load or open, in words; null when all is well. */
  message = $state<string | null>(null);
  loading = $state(false);

  constructor(private readonly lab: LabApi) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.list = await this.lab.listDatasets();
      if (!this.list.some((d) => d.id === this.selectedId)) this.selectedId = this.list[0]?.id ?? '';
      this.message = null;
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }

  /** Adds (or replaces) a dataset main opened elsewhere, e.g. a lesson's folder, and selects it. */
  add(dataset: DatasetInfo): void {
    this.list = [...this.list.filter((d) => d.id !== dataset.id), dataset];
    this.selectedId = dataset.id;
    this.message = null;
  }

  /** Shows the folder picker; an opened dataset becomes the selected one. */
  async openFolder(): Promise<DatasetInfo | undefined> {
    this.loading = true;
    try {
      const result = await this.lab.openDatasetFolder();
      if (!result.ok && result.canceled) return undefined;
      if (!result.ok) {
        this.message = result.message;
        return undefined;
      }
      this.list = [...this.list.filter((d) => d.id !== result.dataset.id), result.dataset];
      this.selectedId = result.dataset.id;
      this.message = null;
      return result.dataset;
    } catch (error) {
      this.message = errorMessage(error);
      return undefined;
    } finally {
      this.loading = false;
    }
  }
}
