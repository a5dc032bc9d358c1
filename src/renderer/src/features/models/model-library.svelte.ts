/** The Models screen's state: the saved models, the one whose details are open, and what the last action said. */
import type { ModelHeader } from '$engine/files/model-file';
import type { LabApi } from '$shared/lab-api';
import type { ModelListEntry, ModelSummary } from '$shared/model-library';
import { errorMessage } from '$ui/errors';
import { runAction, type ActionResult, type Notice } from '$ui/notice';
import { RecentRunList } from './recent-runs.svelte';

export class ModelLibrary {
  entries = $state.raw<ModelListEntry[]>([]);
  loaded = $state(false);
  selectedId = $state<string | null>(null);
  details = $state.raw<ModelHeader | null>(null);
  /** What the last action did or why it failed. */
  notice = $state<Notice | null>(null);
  busy = $state(false);
  /** The name typed to save the current model under. */
  saveName = $state('');
  /** The new name typed for the chosen model. */
  renameTo = $state('');
  /** The model (or unreadable file) whose deletion waits for the student's confirmation. */
  confirmingDelete = $state<string | null>(null);

  /** The last few finished runs, kept until saved here or dropped. */
  readonly recent: RecentRunList;

  constructor(
    private readonly lab: LabApi,
    /** Told when a model is loaded as the current one. */
    private readonly onModelLoaded: () => void = () => {},
  ) {
    this.recent = new RecentRunList(lab, async (id) => {
      this.selectedId = id;
      await this.refresh();
      await this.select(id);
    });
  }

  /** Keeps each run that finishes as a recent run; returns the function that stops listening. */
  connect(): () => void {
    return this.recent.connect();
  }

  async refresh(): Promise<void> {
    void this.recent.refresh();
    try {
      this.entries = await this.lab.listModels();
      this.loaded = true;
      if (this.selectedId !== null && !this.entries.some((e) => e.id === this.selectedId)) {
        this.selectedId = null;
        this.details = null;
      }
    } catch (error) {
      this.notice = { kind: 'error', text: errorMessage(error) };
    }
  }

  async select(id: string): Promise<void> {
    this.selectedId = id;
    this.details = null;
    const result = await this.lab.getModelDetails(id);
    if (this.selectedId !== id) return;
    if (result.ok) this.details = result.header;
    else this.notice = { kind: 'error', text: result.message };
  }

  /** Another model chosen in the list: no rename typed, no deletion asked. */
  choose(id: string): void {
    this.confirmingDelete = null;
    this.renameTo = '';
    void this.select(id);
  }

  /** Saves the current model under the typed name; the box empties once it is saved. */
  async saveAsTyped(): Promise<void> {
    if (await this.save(this.saveName)) this.saveName = '';
  }

  async renameAsTyped(id: string): Promise<void> {
    if (await this.rename(id, this.renameTo)) this.renameTo = '';
  }

  /** Deletes after the student confirmed (the Delete… button only asks). */
  removeConfirmed(id: string | null): void {
    this.confirmingDelete = null;
    if (id !== null) void this.remove(id);
  }

  /** Runs one action, says how it went, and lists the models again. */
  act(action: () => Promise<ActionResult>, success: string): Promise<boolean> {
    return runAction(this, action, success, async () => {
      await this.refresh();
      if (this.selectedId !== null) await this.select(this.selectedId);
    });
  }

  save(name: string): Promise<boolean> {
    return this.act(async () => {
      const result = await this.lab.saveModel(name);
      if (result.ok) this.selectedId = result.id;
      return result;
    }, `Saved “${name.trim()}”.`);
  }

  rename(id: string, name: string): Promise<boolean> {
    return this.act(() => this.lab.renameModel(id, name), `Renamed to “${name.trim()}”.`);
  }

  duplicate(id: string): Promise<boolean> {
    return this.act(() => this.lab.duplicateModel(id), 'Duplicated.');
  }

  remove(id: string): Promise<boolean> {
    return this.act(() => this.lab.deleteModel(id), 'Deleted.');
  }

  async load(id: string, name: string): Promise<boolean> {
    const loaded = await this.act(() => this.lab.loadModel(id), `Loaded “${name}”: see it on the Evaluate and Weights screens.`);
    if (loaded) this.onModelLoaded();
    return loaded;
  }

  /** Loads a saved model and trains it further with its own settings on the dataset given. */
  async continueTraining(model: ModelSummary, datasetId: string | null): Promise<void> {
    const details = this.details;
    if (!details || datasetId === null) return;
    if (!(await this.load(model.id, model.name))) return;
    await this.act(() => this.lab.continueTraining(details.config, datasetId), `Training “${model.name}” further: watch it on the Train screen.`);
  }

  exportModel(id: string): Promise<boolean> {
    return this.act(async () => {
      const result = await this.lab.exportModel(id);
      if (!result.ok && !result.canceled) return { ok: false, message: result.message };
      return { ok: true, text: result.ok ? `Exported to ${result.path}.` : 'Export cancelled.' };
    }, 'Exported.');
  }

  exportModelOnnx(id: string): Promise<boolean> {
    return this.act(async () => {
      const result = await this.lab.exportModelOnnx(id);
      if (!result.ok && !result.canceled) return { ok: false, message: result.message };
      return { ok: true, text: result.ok ? `Exported as ONNX to ${result.path}.` : 'Export cancelled.' };
    }, 'Exported.');
  }

  importModel(): Promise<boolean> {
    return this.act(async () => {
      const result = await this.lab.importModel();
      if (!result.ok && !result.canceled) return { ok: false, message: result.message };
      if (!result.ok) return { ok: true, text: 'Import cancelled.' };
      this.selectedId = result.id;
      return { ok: true };
    }, 'Imported.');
  }
}
