/**
 * The app's state: the lab API, the theme, and one state object per screen (the Train screen's run
 * form, dataset choice and training session are read by other screens too). One instance lives for
 * the app's lifetime and makes every screen's state once, so switching screens loses nothing; it
 * owns their subscriptions to main's events and ends them in `dispose`.
 */
import type { RunConfig } from '$engine/training/run-config';
import type { LabApi } from '$shared/lab-api';
import { readChartColors, type ChartColors } from '$ui/charts/chart-colors';
import { ControlRegistry } from '$ui/controls/control-registry.svelte';
import { ViewMode } from '$ui/view-mode.svelte';
import { BackpropLab } from '../features/backprop/backprop-lab.svelte';
import { DataGallery } from '../features/data/data-gallery.svelte';
import { EvaluationView } from '../features/evaluate/evaluation.svelte';
import { ExperimentsState } from '../features/experiments/experiments-state.svelte';
import { ModelLibrary } from '../features/models/model-library.svelte';
import { PerceptronLab } from '../features/perceptron/perceptron-lab.svelte';
import { DatasetChoice } from '../features/train/dataset-choice.svelte';
import { RunForm } from '../features/train/run-form.svelte';
import { TrainingSession } from '../features/train/training-session.svelte';
import { WeightsView } from '../features/weights/weights-view.svelte';
import { LessonPlayer } from '../features/lessons/lesson-player.svelte';
import { LessonEditor } from '../features/lessons/editor/lesson-editor.svelte';
import type { LessonTargets } from '../features/lessons/lesson-targets';
import { LESSON_SCREENS, type LessonScreen } from '$shared/lesson/lesson-controls';
import { Presentation } from './presentation.svelte';
import { Theme } from './theme.svelte';

export class AppState {
  readonly theme = new Theme();
  readonly form = new RunForm();
  /** Which controls are shown, locked or hidden (a lesson's layer, a Simple / Advanced layer). */
  readonly controls = new ControlRegistry();
  /** Simple or Advanced: the registry's 'mode' layer, remembered in the page's storage. */
  readonly viewMode = new ViewMode(this.controls, pageStorage());
  readonly datasets: DatasetChoice;
  readonly session: TrainingSession;
  readonly weights: WeightsView;
  readonly gallery: DataGallery;
  readonly evaluation: EvaluationView;
  readonly library: ModelLibrary;
  readonly experiments: ExperimentsState;
  readonly perceptron = new PerceptronLab();
  readonly backprop: BackpropLab;
  /** The lesson being followed, if any: it sets the screens' state, the controls and the screen. */
  readonly lessons: LessonPlayer;
  /** The lesson being made in the app ("Save as lesson step" and the editor). */
  readonly editor: LessonEditor;
  /** The screen shown. */
  screen = $state<LessonScreen>('train');
  readonly presentation: Presentation;

  /**
   * Chart colours for the current theme (the theme attribute is applied before this recomputes);
   * new in presentation mode too, so every chart redraws with its larger text.
   */
  readonly colors: ChartColors = $derived.by(() => {
    void this.theme.resolved;
    void this.presentation.on;
    return readChartColors(document.documentElement);
  });

  private readonly subscriptions: (() => void)[] = [];

  constructor(readonly lab: LabApi) {
    this.datasets = new DatasetChoice(lab);
    this.session = new TrainingSession(lab);
    this.weights = new WeightsView(lab);
    this.gallery = new DataGallery(lab);
    this.evaluation = new EvaluationView(lab, () => this.datasetId);
    this.library = new ModelLibrary(lab, () => this.evaluation.modelLoaded());
    this.experiments = new ExperimentsState(lab);
    this.backprop = new BackpropLab(lab);
    const lessonTargets: LessonTargets = {
      lab,
      controls: this.controls,
      form: this.form,
      datasets: this.datasets,
      draft: this.experiments.draft,
      perceptron: this.perceptron,
      backprop: this.backprop,
      screen: () => this.screen,
      showScreen: (id) => this.showScreen(id),
      modelChanged: () => this.evaluation.markStale(),
    };
    this.lessons = new LessonPlayer(lessonTargets);
    this.editor = new LessonEditor(lessonTargets, this.lessons);
    this.presentation = new Presentation(lab);
  }

  /** Shows a screen by its id (the tabs' ids are the lesson screens' ids). */
  showScreen(id: string): void {
    if ((LESSON_SCREENS as readonly string[]).includes(id)) this.screen = id as LessonScreen;
  }

  /** The selected dataset's id, or null while there is none. */
  get datasetId(): string | null {
    return this.datasets.selected?.id ?? null;
  }

  /** The Train form's settings, or null while the form has a problem. */
  get trainConfig(): RunConfig | null {
    return this.form.valid ? this.form.snapshot() : null;
  }

  /** Starts listening to main's events and loads the datasets. */
  connect(): void {
    this.subscriptions.push(this.session.connect(), this.evaluation.connect(), this.library.connect(), this.experiments.connect(), this.lessons.listenForFiles(), this.presentation.connect());
    void this.datasets.load().then(() => {
      if (this.datasets.selected) this.form.fitTo(this.datasets.selected);
    });
  }

  /** Stops listening to main's events and stops the playgrounds' loops. */
  dispose(): void {
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    this.perceptron.pauseAll();
  }
}

/** The page's localStorage, or null where the page may not use it. */
function pageStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
