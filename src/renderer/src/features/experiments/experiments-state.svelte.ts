/**
 * The Experiments screen's state: the study session (the study on screen and the saved studies),
 * the draft of the next study, and what the student chose to look at: a sweep of the study, a
 * target for its "Time to" column, a saved study to open, rename or delete; and what the last
 * export did. AppState makes it once, so leaving the screen loses none of it.
 */
import type { LabApi } from '$shared/lab-api';
import { studyResultsToCsv, variedKeys } from '$shared/study';
import type { ExportFileResult, SavedStudySummary, StudyFileProblem } from '$shared/study-api';
import { epochTimesRecorded, runTimeToTarget, type TimeToTarget } from '$shared/time-to-target';
import { StudyDraft } from './study-draft.svelte';
import type { StudyMetric } from './study-series';
import { StudySession } from './study-session.svelte';

export class ExperimentsState {
  readonly studies: StudySession;
  readonly draft = new StudyDraft();
  /** '' for every run, else the index of one of the study's groups (the blog's sweeps). */
  group = $state('');
  /** The target typed for the "Time to" column; null for the study's own. */
  typedTarget = $state<number | null>(null);
  /** Where the last export was saved, or why it failed. */
  exportNote = $state<string | null>(null);
  /** The saved study chosen in the list ('' for none), to open, rename or delete. */
  savedChoice = $state('');
  renameTo = $state('');
  /** The saved study whose deletion waits for the student's confirmation. */
  confirmingDelete = $state<string | null>(null);

  readonly study = $derived.by(() => this.studies.study);
  /** Main lists the readable studies newest first, then the files it cannot read, which the list marks. */
  readonly readable = $derived.by(() => this.studies.saved.filter((saved): saved is SavedStudySummary => saved.status === 'ok'));
  readonly unreadable = $derived.by(() => this.studies.saved.filter((saved): saved is StudyFileProblem => saved.status === 'error'));
  /** The saved study chosen; a file that cannot be read can only be deleted. */
  readonly chosen = $derived.by(() => this.studies.saved.find((saved) => saved.id === this.savedChoice) ?? null);
  /** Main refuses to rename or delete the study it is running; the buttons say so first. */
  readonly chosenRunning = $derived.by(() => this.chosen !== null && this.studies.running && this.study?.id === this.chosen.id);
  /** The indices of the runs the chart and table show. */
  readonly visible = $derived.by(() => {
    const group = this.group === '' ? undefined : this.study?.groups[Number(this.group)];
    return group ? group.runIndices : this.studies.runs.map((r) => r.index);
  });
  readonly studyTarget = $derived.by(() => this.study?.targetAccuracy ?? 0.9);
  readonly shownTarget = $derived.by(() => this.typedTarget ?? this.studyTarget);
  /** Each run's time to the shown target, by run index (epochs grow in place: `version` ticks). */
  readonly times = $derived.by(() => {
    void this.studies.version;
    const byIndex: TimeToTarget[] = [];
    for (const run of this.studies.runs) {
      byIndex[run.index] = runTimeToTarget(run, this.studies.curves[run.index]?.epochs ?? [], this.shownTarget, this.studyTarget);
    }
    return byIndex;
  });
  readonly timesRecorded = $derived.by(() => {
    void this.studies.version;
    return this.studies.curves.every((curves) => epochTimesRecorded(curves.epochs));
  });
  readonly finishedCount = $derived.by(() => this.studies.runs.filter((r) => r.status !== 'queued' && r.status !== 'running').length);
  private readonly fileStem = $derived.by(() => (this.study?.name ?? 'study').replace(/\s+/g, '-').toLowerCase());

  constructor(private readonly lab: LabApi) {
    // Another study on screen (opened, started or closed) shows all its runs at its own target and
    // none of the last one's export note: a sweep chosen, a target typed or a file saved for one
    // study says nothing about the next.
    this.studies = new StudySession(lab, () => {
      this.group = '';
      this.typedTarget = null;
      this.exportNote = null;
    });
  }

  /** Starts listening to study events; returns the function that stops listening. */
  connect(): () => void {
    return this.studies.connect();
  }

  /** Another saved study was chosen in the list: no rename typed, no deletion asked, no old notice. */
  choose(): void {
    this.confirmingDelete = null;
    this.renameTo = '';
    this.studies.notice = null;
  }

  async rename(): Promise<void> {
    const chosen = this.chosen;
    if (chosen?.status === 'ok' && (await this.studies.rename(chosen.id, this.renameTo))) this.renameTo = '';
  }

  /** Deletes after the student confirmed; the study on screen, if it was that one, closes. */
  async remove(id: string): Promise<void> {
    this.confirmingDelete = null;
    if (await this.studies.remove(id)) this.savedChoice = '';
  }

  async exportCsv(): Promise<void> {
    const study = this.study;
    if (!study) return;
    // The times to the target the table shows, under its name.
    const results = this.studies.runs.map((run) => ({ ...run, secondsToTarget: this.times[run.index]?.seconds ?? null }));
    const csv = studyResultsToCsv(results, { keys: variedKeys(study.grids), targetAccuracy: this.shownTarget });
    this.report(await this.lab.exportFile({ kind: 'csv', suggestedName: `${this.fileStem}.csv`, content: csv }));
  }

  /** Saves a chart as a PNG; the chart is drawn on a transparent canvas, so the picture gets `background`. */
  async exportPng(canvas: HTMLCanvasElement, metric: StudyMetric, background: string): Promise<void> {
    const flat = document.createElement('canvas');
    flat.width = canvas.width;
    flat.height = canvas.height;
    const context = flat.getContext('2d');
    if (!context) return;
    context.fillStyle = background;
    context.fillRect(0, 0, flat.width, flat.height);
    context.drawImage(canvas, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => flat.toBlob(resolve, 'image/png'));
    if (!blob) return;
    const content = new Uint8Array(await blob.arrayBuffer());
    this.report(await this.lab.exportFile({ kind: 'png', suggestedName: `${this.fileStem}-${metric}.png`, content }));
  }

  private report(answer: ExportFileResult): void {
    this.exportNote = answer.ok ? `Saved ${answer.path}` : answer.canceled ? null : answer.message;
  }
}
