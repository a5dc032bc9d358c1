/**
 * The studies the Experiments screen shows: the study on screen (running in main, or reopened from
 * disk), its runs' table rows, and their curves; and the saved studies, which can be reopened,
 * renamed and deleted, with the files that cannot be read, which can only be deleted. Curves are
 * plain arrays outside Svelte's reactivity, grown in place from each `run-update`; `version` ticks
 * so charts redraw (at most once a frame).
 */
import type { LabApi } from '$shared/lab-api';
import type { RunCurves } from './study-series';
import type { SavedStudyEntry, StudyData, StudyEvent, StudyRequest, StudyRunSummary } from '$shared/study-api';
import { errorMessage } from '$ui/errors';
import { runAction, type ActionResult, type Notice } from '$ui/notice';

export class StudySession {
  /** The study on screen, without its runs (see `runs`); null before one is started or opened. */
  study = $state.raw<StudyData | null>(null);
  runs = $state.raw<StudyRunSummary[]>([]);
  /** Per run, in the study's order. */
  curves: RunCurves[] = [];
  version = $state(0);
  /** The study on screen is running in main now. */
  running = $state(false);
  /** Why the last command failed, or what happened at the end; null when there is nothing to say. */
  message = $state<string | null>(null);
  /** Readable studies newest first, then the files that cannot be read (main's order). */
  saved = $state.raw<SavedStudyEntry[]>([]);
  /** What the last rename or delete of a saved study did, or why it was refused. */
  notice = $state<Notice | null>(null);
  busy = $state(false);

  constructor(
    private readonly lab: LabApi,
    /** Told when another study comes on screen (opened, started or closed). */
    private readonly onStudyChanged: () => void = () => {},
  ) {}

  connect(): () => void {
    void this.refreshSaved();
    return this.lab.onStudyEvent((event) => this.receive(event));
  }

  async start(request: StudyRequest): Promise<void> {
    this.busy = true;
    this.message = null;
    try {
      const result = await this.lab.startStudy(request);
      if (!result.ok) this.message = result.message;
      else if (this.study?.id !== result.study.id) this.show(result.study, true);
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  async cancelRun(index: number): Promise<void> {
    if (!this.study) return;
    const result = await this.lab.cancelStudyRun(this.study.id, index);
    if (!result.ok) this.message = result.message;
  }

  async cancelAll(): Promise<void> {
    if (!this.study) return;
    const result = await this.lab.cancelStudy(this.study.id);
    if (!result.ok) this.message = result.message;
  }

  async open(id: string): Promise<void> {
    this.message = null;
    try {
      const result = await this.lab.openStudy(id);
      if (result.ok) this.show(result.study, !result.study.finished);
      else this.message = result.message;
    } catch (error) {
      this.message = errorMessage(error);
    }
  }

  /** Renames a saved study; the study on screen, if it is that one, takes the new name too. */
  async rename(id: string, name: string): Promise<boolean> {
    const done = await this.act(() => this.lab.renameStudy(id, name), `Renamed to “${name.trim()}”.`);
    const renamed = this.saved.find((s) => s.id === id);
    if (done && renamed?.status === 'ok' && this.study?.id === id) this.study = { ...this.study, name: renamed.name };
    return done;
  }

  /**
   * Deletes a saved study, or a file that cannot be read (the screen asked first); the study on
   * screen, if it is that one, is closed.
   */
  async remove(id: string): Promise<boolean> {
    const entry = this.saved.find((s) => s.id === id);
    const success = !entry ? 'Deleted.' : entry.status === 'ok' ? `Deleted “${entry.name}”.` : `Deleted the unreadable file ${entry.fileName}.`;
    const done = await this.act(() => this.lab.deleteStudy(id), success);
    if (done && this.study?.id === id) this.close();
    return done;
  }

  /** Runs one action on a saved study, says how it went, and lists the saved studies again. */
  private act(action: () => Promise<ActionResult>, success: string): Promise<boolean> {
    return runAction(this, action, success, () => this.refreshSaved());
  }

  async refreshSaved(): Promise<void> {
    try {
      this.saved = await this.lab.listStudies();
    } catch (error) {
      this.message = errorMessage(error);
    }
  }

  private show(study: StudyData, running: boolean): void {
    const changed = this.study?.id !== study.id;
    const { runs, ...rest } = study;
    this.study = { ...rest, runs: [] };
    this.curves = runs.map((run) => ({ iterations: [...run.iterations], epochs: [...run.epochs] }));
    this.runs = runs.map(({ iterations: _i, epochs: _e, ...summary }) => summary);
    this.setRunning(running);
    this.version++;
    if (changed) this.onStudyChanged();
  }

  private close(): void {
    const changed = this.study !== null;
    this.study = null;
    this.curves = [];
    this.runs = [];
    this.setRunning(false);
    this.message = null;
    this.version++;
    if (changed) this.onStudyChanged();
  }

  /**
   * Main refuses to rename or delete a study while it runs; once it has ended, that refusal (the
   * only error a running study can cause here) is stale and would contradict the enabled buttons.
   */
  private setRunning(running: boolean): void {
    if (this.running && !running && this.notice?.kind === 'error') this.notice = null;
    this.running = running;
  }

  private receive(event: StudyEvent): void {
    switch (event.type) {
      case 'study-started':
        this.show(event.study, true);
        void this.refreshSaved();
        return;
      case 'run-update': {
        if (event.studyId !== this.study?.id) return;
        const curves = this.curves[event.run.index];
        if (!curves) return;
        for (const point of event.newIterations) curves.iterations.push(point);
        for (const epoch of event.newEpochs) curves.epochs.push(epoch);
        this.runs = this.runs.map((run) => (run.index === event.run.index ? event.run : run));
        if (event.newIterations.length > 0 || event.newEpochs.length > 0) this.version++;
        return;
      }
      case 'study-finished':
        if (event.studyId !== this.study?.id) return;
        this.setRunning(false);
        this.message = event.message;
        void this.refreshSaved();
        return;
    }
  }
}
