/**
 * What a lesson step may set, handed to the lesson player by the app: the screens' own state
 * objects (each keeps its rules; the player only calls them), the control registry, the lab API,
 * and the current screen. The player takes a snapshot of what it will change before the first
 * step and puts it back when the lesson ends.
 */
import type { LabApi } from '$shared/lab-api';
import type { LessonScreen } from '$shared/lesson/lesson-controls';
import type { ControlRegistry } from '$ui/controls/control-registry.svelte';
import type { BackpropLab } from '../backprop/backprop-lab.svelte';
import type { StudyDraft } from '../experiments/study-draft.svelte';
import type { PerceptronLab } from '../perceptron/perceptron-lab.svelte';
import type { DatasetChoice } from '../train/dataset-choice.svelte';
import type { RunForm } from '../train/run-form.svelte';

export interface LessonTargets {
  lab: LabApi;
  controls: ControlRegistry;
  form: RunForm;
  datasets: DatasetChoice;
  draft: StudyDraft;
  perceptron: PerceptronLab;
  backprop: BackpropLab;
  /** The screen shown now. */
  screen(): LessonScreen;
  showScreen(id: LessonScreen): void;
  /** Tells the screens that read the engine's model that it changed (Evaluate re-evaluates). */
  modelChanged(): void;
}
