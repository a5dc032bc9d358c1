/**
 * The lesson being made in the app: its title and steps (each captured from what the app shows,
 * then edited), the file it belongs to (main keeps the path; the editor holds its id), whether it
 * has unsaved changes, and the question asked before they would be lost. Saving goes through the
 * format's reader first, so a lesson that could not be opened again is never written.
 */
import { encodeModel } from '$engine/files/model-file';
import { APP_VERSION } from '$shared/app-version';
import { encodeBase64 } from '$shared/lesson/base64';
import { LESSON_LIMITS, type Lesson, type LessonQuestion, type LessonStep } from '$shared/lesson/lesson';
import type { ControlId, ControlState } from '$shared/lesson/lesson-controls';
import { errorMessage } from '$ui/errors';
import { BLOG_CLUSTERS, makePoints } from '../../perceptron/perceptron-lab.svelte';
import type { LessonPlayer } from '../lesson-player.svelte';
import type { LessonTargets } from '../lesson-targets';
import { captureStep, copyOf, excludePart, includePart, type AppNow, type StatePart } from './lesson-capture';
import { checkLesson, deleteStep, draftStepsOf, lessonOf, moveStep, selectionAfterDelete, withoutModels, type DraftStep, type LessonCheck } from './lesson-draft';

/** A question the editor asks before unsaved changes would be lost. */
export interface PendingDiscard {
  /** What will happen, e.g. "open another lesson". */
  what: string;
  proceed: () => Promise<void> | void;
}

const NEW_TITLE = 'New lesson';
/** How long after the last edit the lesson is checked again. */
const CHECK_DELAY_MS = 250;

export class LessonEditor {
  open = $state(false);
  title = $state(NEW_TITLE);
  steps = $state<DraftStep[]>([]);
  selected = $state(0);
  /** The file's name when the lesson belongs to one ("Save" writes it without asking). */
  fileName = $state<string | null>(null);
  dirty = $state(false);
  /** The last thing that went wrong or needs saying, in words. */
  message = $state<string | null>(null);
  /** What the last capture could not take. */
  notes = $state.raw<string[]>([]);
  /** Where the last save wrote. */
  savedTo = $state<string | null>(null);
  pending = $state.raw<PendingDiscard | null>(null);
  busy = $state(false);

  /**
   * The lesson checked without its models' bytes (models are checked when embedded and on saving),
   * a moment after the last edit: the largest lesson the format allows takes about 0.1 s to check,
   * too long for every keystroke.
   */
  check = $state.raw<LessonCheck>(checkLesson({ title: NEW_TITLE, steps: [] }));
  readonly current: DraftStep | null = $derived(this.steps[this.selected] ?? null);

  private fileId: number | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private nextKey = 1;

  constructor(
    private readonly targets: LessonTargets,
    private readonly player: LessonPlayer,
  ) {}

  /** "Save as lesson step": opens the editor (a new lesson if none is being made) with the app's state as a new step after the selected one. */
  captureStep(): void {
    this.open = true;
    const at = this.steps.length === 0 ? 0 : this.selected + 1;
    const { step, captured, notes } = captureStep(this.appNow(), this.steps.length + 1);
    this.steps.splice(at, 0, { key: this.nextKey++, step, captured });
    this.selected = at;
    this.notes = notes;
    this.touch();
  }

  /** Captures the app's state again into the selected step, keeping its texts, controls and questions. */
  recapture(): void {
    const draft = this.current;
    if (draft === null) return;
    const { step, captured, notes } = captureStep(this.appNow(), this.selected + 1);
    draft.captured = { ...captured, ...(draft.captured.model ? { model: draft.captured.model } : {}) };
    draft.step.screen = step.screen;
    const model = draft.step.state.model;
    draft.step.state = { ...step.state, ...(model ? { model } : {}) };
    this.notes = notes;
    this.touch();
  }

  /** Starts a new, empty lesson (asking first when changes would be lost). */
  startNew(): void {
    this.whenDiscarded('start a new lesson', () => this.replace({ title: NEW_TITLE, steps: [] }, null, null));
  }

  /** A built-in lesson as the starting point of a new one (saved to a file of the teacher's choosing). */
  editCopy(lesson: Lesson): void {
    this.whenDiscarded('edit a copy of this lesson', () => this.replace(copyOf(lesson), null, null));
  }

  /** "Open…": a lesson file to edit. */
  openFile(): void {
    this.whenDiscarded('open another lesson', async () => {
      const result = await this.targets.lab.openLessonToEdit().catch((error: unknown) => ({ ok: false as const, canceled: false as const, message: errorMessage(error) }));
      if (result.ok) this.replace(result.lesson, result.fileName, result.fileId);
      else if (!result.canceled) this.message = result.message;
    });
  }

  /** "Import…": the steps of another lesson file, added after the selected step. */
  async importFile(): Promise<void> {
    const result = await this.targets.lab.openLessonToEdit().catch((error: unknown) => ({ ok: false as const, canceled: false as const, message: errorMessage(error) }));
    if (!result.ok) {
      if (!result.canceled) this.message = result.message;
      return;
    }
    const room = LESSON_LIMITS.steps - this.steps.length;
    const added = draftStepsOf(result.lesson, this.nextKey).slice(0, Math.max(0, room));
    this.nextKey += added.length;
    const at = this.steps.length === 0 ? 0 : this.selected + 1;
    this.steps.splice(at, 0, ...added);
    this.selected = at;
    this.message = added.length < result.lesson.steps.length ? `Only ${added.length} of the ${result.lesson.steps.length} steps of ${result.fileName} were added: a lesson has at most ${LESSON_LIMITS.steps} steps.` : null;
    if (added.length > 0) this.touch();
  }

  /** "Save": to the lesson's file, or where the teacher chooses the first time. */
  save(): Promise<void> {
    return this.write(false);
  }

  /** "Export…": a copy wherever the teacher chooses; the lesson stays with its own file. */
  exportCopy(): Promise<void> {
    return this.write(true);
  }

  /** "Close": asks first when changes would be lost. */
  close(): void {
    this.whenDiscarded('close the editor', () => {
      this.open = false;
      this.replace({ title: NEW_TITLE, steps: [] }, null, null);
    });
  }

  /** Plays the lesson as it stands in the player, from the selected step. */
  async play(): Promise<void> {
    this.recheck();
    if (!this.check.ok) {
      this.message = this.check.message;
      return;
    }
    const from = this.selected;
    await this.player.start(lessonOf(this.title, $state.snapshot(this.steps) as DraftStep[]), { kind: 'draft' });
    if (from > 0) await this.player.goTo(from);
  }

  select(index: number): void {
    if (index >= 0 && index < this.steps.length) this.selected = index;
  }

  /** Moves step `index` by `by` places (-1 up, +1 down); the selection follows it. */
  move(index: number, by: -1 | 1): void {
    const to = index + by;
    if (to < 0 || to >= this.steps.length) return;
    this.steps = moveStep(this.steps, index, to);
    this.selected = to;
    this.touch();
  }

  remove(index: number): void {
    this.steps = deleteStep(this.steps, index);
    this.selected = selectionAfterDelete(this.selected, index, this.steps.length);
    this.touch();
  }

  setTitle(title: string): void {
    this.title = title;
    this.touch();
  }

  /** Changes a text field of the selected step. */
  setStepField(field: 'title' | 'text', value: string): void {
    if (this.current === null) return;
    this.current.step[field] = value;
    this.touch();
  }

  setScreen(screen: LessonStep['screen']): void {
    if (this.current === null) return;
    this.current.step.screen = screen;
    this.touch();
  }

  /** A control's state in the selected step; null: the step leaves it as the student has it. */
  setControl(id: ControlId, state: ControlState | null): void {
    if (this.current === null) return;
    if (state === null) delete this.current.step.controls[id];
    else this.current.step.controls[id] = state;
    this.touch();
  }

  /** Switches a part of what the selected step sets on or off. */
  setPart(part: StatePart, on: boolean): void {
    const draft = this.current;
    if (draft === null) return;
    if (on) includePart(draft.step.state, draft.captured, part);
    else excludePart(draft.step.state, part);
    this.touch();
  }

  /** The selected step's dataset: the built-in MNIST, or a folder beside the lesson file. */
  setDatasetFolder(folder: string | null): void {
    const draft = this.current;
    if (draft === null) return;
    draft.captured.dataset = folder === null ? { builtIn: 'mnist' } : { folder };
    draft.step.state.dataset = copyOf(draft.captured.dataset);
    this.touch();
  }

  addQuestion(): void {
    if (this.current === null || this.current.step.questions.length >= LESSON_LIMITS.questionsPerStep) return;
    this.current.step.questions.push({ question: '' });
    this.touch();
  }

  setQuestion(index: number, field: keyof LessonQuestion, value: string): void {
    const question = this.current?.step.questions[index];
    if (question === undefined) return;
    // An empty answer is no answer: the player shows no "Reveal answer" for it.
    if (field === 'answer' && value === '') delete question.answer;
    else question[field] = value;
    this.touch();
  }

  removeQuestion(index: number): void {
    if (this.current === null) return;
    this.current.step.questions.splice(index, 1);
    this.touch();
  }

  /** Embeds the engine's current model in the selected step (a lesson may carry one per step). */
  async embedModel(): Promise<void> {
    const draft = this.current;
    if (draft === null) return;
    this.busy = true;
    try {
      const model = await this.targets.lab.getCurrentModel();
      if (!model.ok) {
        this.message = model.message;
        return;
      }
      const name = model.name ?? 'Model from training';
      const bytes = encodeModel(
        { name, config: model.config, dataset: model.dataset, history: model.history, createdAt: new Date().toISOString(), appVersion: APP_VERSION, ...(model.history.length > 0 ? { testAccuracy: model.history[model.history.length - 1].testAccuracy } : {}) },
        model.weights,
      );
      if (bytes.length > LESSON_LIMITS.modelBytes) {
        this.message = `This model takes ${(bytes.length / (1024 * 1024)).toFixed(1)} MiB; a lesson can carry one of at most ${LESSON_LIMITS.modelBytes / (1024 * 1024)} MiB. Train a smaller network to embed it.`;
        return;
      }
      draft.captured.model = { name: [...name].slice(0, 100).join(''), base64: encodeBase64(bytes) };
      draft.step.state.model = copyOf(draft.captured.model);
      this.touch();
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  /** The answer to the discard question. */
  answerPending(discard: boolean): void {
    const pending = this.pending;
    this.pending = null;
    if (discard && pending !== null) void pending.proceed();
  }

  private async write(asCopy: boolean): Promise<void> {
    const lesson = lessonOf(this.title, $state.snapshot(this.steps) as DraftStep[]);
    // The full check, models and all: nothing the reader would refuse goes to main.
    const checked = checkLesson(lesson);
    if (!checked.ok) {
      this.message = checked.message;
      return;
    }
    this.busy = true;
    try {
      const { lab } = this.targets;
      if (asCopy) {
        const result = await lab.saveLesson(lesson, lesson.title);
        if (result.ok) this.savedTo = result.path;
        else if (!result.canceled) this.message = result.message;
        return;
      }
      const result = await lab.saveEditedLesson(lesson, this.fileId);
      if (!result.ok) {
        if (!result.canceled) this.message = result.message;
        return;
      }
      this.fileId = result.fileId;
      this.fileName = result.fileName;
      this.savedTo = result.path;
      this.dirty = false;
      this.message = null;
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  private whenDiscarded(what: string, proceed: () => Promise<void> | void): void {
    this.open = true;
    if (this.dirty) this.pending = { what, proceed };
    else void proceed();
  }

  private replace(lesson: Lesson, fileName: string | null, fileId: number | null): void {
    this.title = lesson.title;
    this.steps = draftStepsOf(lesson, this.nextKey);
    this.nextKey += lesson.steps.length;
    this.selected = 0;
    this.fileName = fileName;
    this.fileId = fileId;
    this.dirty = false;
    this.message = null;
    this.notes = [];
    this.savedTo = null;
    this.recheck();
  }

  private touch(): void {
    this.dirty = true;
    this.savedTo = null;
    if (this.checkTimer !== null) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.recheck(), CHECK_DELAY_MS);
  }

  private recheck(): void {
    if (this.checkTimer !== null) clearTimeout(this.checkTimer);
    this.checkTimer = null;
    this.check = checkLesson(withoutModels(lessonOf(this.title, $state.snapshot(this.steps) as DraftStep[])));
  }

  /** What the app shows now, read from the screens' state. */
  private appNow(): AppNow {
    const { form, datasets, draft, perceptron, backprop } = this.targets;
    // Clicked-in points show as more points than the settings make.
    const setup = perceptron.setup();
    const parsed = draft.parsed;
    return {
      screen: this.targets.screen(),
      config: form.valid ? form.snapshot() : null,
      datasetId: datasets.selected?.id ?? null,
      datasetName: datasets.selected?.name ?? null,
      study: { base: $state.snapshot(draft.base), epochs: draft.epochs, blog: draft.blog, variations: parsed.ok ? parsed.variations : null, targetPercent: draft.targetPercent, name: draft.name },
      perceptron: { data: setup.kind, learningRate: setup.learningRate, epochs: setup.maxEpochs, randomStart: setup.randomStart },
      perceptronCustomised: JSON.stringify(setup.settings) !== JSON.stringify(BLOG_CLUSTERS) || setup.points.length !== makePoints(setup.kind, setup.settings).points.length,
      backpropImage: backprop.images === null ? null : backprop.offset + backprop.chosen,
    };
  }
}
