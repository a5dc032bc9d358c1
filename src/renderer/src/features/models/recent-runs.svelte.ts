/**
 * The Models screen's "Recent runs": main keeps the last few finished runs by itself, so training
 * again never throws the last model away. This state asks main to keep each run that finishes,
 * lists the kept ones, and saves one into the model library under a name, or drops it.
 */
import type { LabApi } from '$shared/lab-api';
import type { ModelListEntry } from '$shared/model-library';
import { errorMessage } from '$ui/errors';
import { runAction, type ActionResult, type Notice } from '$ui/notice';

export class RecentRunList {
  entries = $state.raw<ModelListEntry[]>([]);
  /** What the last action did or why it failed. */
  notice = $state<Notice | null>(null);
  busy = $state(false);
  /** The recent run being named to save, and the name typed for it. */
  namingId = $state<string | null>(null);
  saveName = $state('');

  constructor(
    private readonly lab: LabApi,
    /** Told when a recent run became a saved model, so the saved list is read again. */
    private readonly onSaved: (id: string) => Promise<void>,
  ) {}

  /** Keeps every run that finishes (completed or stopped); returns the function that stops listening. */
  connect(): () => void {
    return this.lab.onRunEvent((event) => {
      if (event.type === 'finished') void this.keepFinished();
    });
  }

  /** Asks main to keep the run that just finished. A run main will not keep (none, diverged) is simply not listed. */
  async keepFinished(): Promise<void> {
    try {
      const result = await this.lab.keepRecentRun();
      if (result.ok) await this.refresh();
    } catch (error) {
      this.notice = { kind: 'error', text: errorMessage(error) };
    }
  }

  async refresh(): Promise<void> {
    try {
      this.entries = await this.lab.listRecentRuns();
      if (this.namingId !== null && !this.entries.some((e) => e.id === this.namingId)) this.namingId = null;
    } catch (error) {
      this.notice = { kind: 'error', text: errorMessage(error) };
    }
  }

  /** Opens the name box for a recent run, filled with its present name. */
  startNaming(id: string, name: string): void {
    this.namingId = id;
    this.saveName = name;
  }

  cancelNaming(): void {
    this.namingId = null;
  }

  /** Saves the recent run being named under the typed name. */
  async saveAsTyped(): Promise<boolean> {
    const id = this.namingId;
    if (id === null) return false;
    const name = this.saveName;
    let savedId: string | null = null;
    const done = await this.act(async () => {
      const result = await this.lab.saveRecentRun(id, name);
      if (result.ok) savedId = result.id;
      return result;
    }, `Saved “${name.trim()}” in the model library.`);
    if (done) {
      this.namingId = null;
      if (savedId !== null) await this.onSaved(savedId);
    }
    return done;
  }

  drop(id: string): Promise<boolean> {
    return this.act(() => this.lab.dropRecentRun(id), 'Dropped the recent run.');
  }

  private act(action: () => Promise<ActionResult>, success: string): Promise<boolean> {
    return runAction(this, action, success, () => this.refresh());
  }
}
