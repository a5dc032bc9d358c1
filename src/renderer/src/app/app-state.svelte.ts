/**
 * The state every screen shares: the lab API, the theme, the run form, the dataset choice and the
 * training session. One instance lives for the app's lifetime, so switching screens loses nothing.
 */
import type { LabApi } from '../../../shared/lab-api';
import { readChartColors, type ChartColors } from '../ui/charts/chart-colors';
import { DatasetChoice } from '../features/train/dataset-choice.svelte';
import { RunForm } from '../features/train/run-form.svelte';
import { StudySession } from '../features/experiments/study-session.svelte';
import { Theme } from './theme.svelte';
import { TrainingSession } from '../features/train/training-session.svelte';

export class AppState {
  readonly theme = new Theme();
  readonly form = new RunForm();
  readonly datasets: DatasetChoice;
  readonly session: TrainingSession;
  readonly studies: StudySession;

  /** Chart colours for the current theme (the theme attribute is applied before this recomputes). */
  readonly colors: ChartColors = $derived.by(() => {
    void this.theme.resolved;
    return readChartColors(document.documentElement);
  });

  constructor(readonly lab: LabApi) {
    this.datasets = new DatasetChoice(lab);
    this.session = new TrainingSession(lab);
    this.studies = new StudySession(lab);
  }

  /** Starts listening and loads the datasets; returns the function that stops listening. */
  connect(): () => void {
    const disconnectRuns = this.session.connect();
    const disconnectStudies = this.studies.connect();
    const disconnect = (): void => {
      disconnectRuns();
      disconnectStudies();
    };
    void this.datasets.load().then(() => {
      if (this.datasets.selected) this.form.fitTo(this.datasets.selected);
    });
    return disconnect;
  }
}
