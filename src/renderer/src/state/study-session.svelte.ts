/**
 * The Experiments screen's state: the study on screen (running in main, or reopened from disk), its
 * runs' table rows, and their curves. Curves are plain arrays outside Svelte's reactivity, grown in
 * place from each `run-update`; `version` ticks so charts redraw (at most once a frame).
 */
import type { LabApi } from '../../../shared/lab-api';
import type { RunCurves } from '../experiments/study-series';
import type { SavedStudySummary, StudyData, StudyEvent, StudyRequest, StudyRunSummary } from '../../../shared/study-api';
import { errorMessage } from './errors';

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
  saved = $state.raw<SavedStudySummary[]>([]);
  busy = $state(false);

  constructor(private readonly lab: LabApi) {}

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

  async refreshSaved(): Promise<void> {
    try {
      this.saved = await this.lab.listStudies();
    } catch (error) {
      this.message = errorMessage(error);
    }
  }

  private show(study: StudyData, running: boolean): void {
    const { runs, ...rest } = study;
    this.study = { ...rest, runs: [] };
    this.curves = runs.map((run) => ({ iterations: [...run.iterations], epochs: [...run.epochs] }));
    this.runs = runs.map(({ iterations: _i, epochs: _e, ...summary }) => summary);
    this.running = running;
    this.version++;
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
        this.running = false;
        this.message = event.message;
        void this.refreshSaved();
        return;
    }
  }
}
