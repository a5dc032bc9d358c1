/**
 * The lesson being followed: which step is shown, entering a step (its state set on the screens
 * through their own state objects, its controls through the registry's 'lesson' layer, then its
 * screen), and leaving the lesson, which puts back what the lesson changed. Lessons come from the
 * built-in list, an open dialog, the operating system (a path on the command line or a second
 * launch), or a file dropped on the window.
 */
import { LESSON_FILE_EXTENSION, LESSON_LIMITS, type Lesson, type LessonStep } from '$shared/lesson/lesson';
import { parseLesson } from '$shared/lesson/lesson-file';
import { resolveLessonConfig } from '$shared/lesson/lesson-state-read';
import { errorMessage } from '$ui/errors';
import { keepPart, restoreSnapshot, type AppSnapshot } from './lesson-snapshot.svelte';
import type { LessonTargets } from './lesson-targets';

/** Where a lesson came from: its folder is known only for a file main opened (for a dataset folder beside it). */
export type LessonSource = { kind: 'built-in' } | { kind: 'file'; fileName: string } | { kind: 'dropped'; fileName: string } | { kind: 'draft' };

const LOCKED_NOTE = 'Set by the lesson';
const BUILT_IN_DATASET_ID = 'mnist';

export class LessonPlayer {
  lesson = $state.raw<Lesson | null>(null);
  source = $state.raw<LessonSource | null>(null);
  index = $state(0);
  /** A step's state is being set. */
  entering = $state(false);
  /** What could not be set for the current step, in words (a missing folder, a model that would not load). */
  notes = $state.raw<string[]>([]);
  /** Why the last lesson could not be opened; null when all is well. */
  message = $state<string | null>(null);
  /** Where "Save a copy…" last wrote the lesson. */
  savedTo = $state<string | null>(null);
  /** The panel folded to a narrow strip, so a small window keeps room for the screen. */
  collapsed = $state(false);
  /** Revealed answers, as "step:question". */
  revealed = $state.raw<ReadonlySet<string>>(new Set());

  readonly active = $derived(this.lesson !== null);
  readonly step: LessonStep | null = $derived(this.lesson?.steps[this.index] ?? null);
  readonly count = $derived(this.lesson?.steps.length ?? 0);

  private snapshot: AppSnapshot | null = null;
  // Entering steps one after another: a click on Next while the last step is still being set waits for it.
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly targets: LessonTargets) {}

  /** Starts a lesson at its first step, leaving the one being followed first. */
  start(lesson: Lesson, source: LessonSource): Promise<void> {
    return this.enqueue(async () => {
      if (this.lesson !== null) await this.leaveNow();
      this.message = null;
      this.snapshot = { screen: this.targets.screen() };
      this.lesson = lesson;
      this.source = source;
      this.revealed = new Set();
      this.savedTo = null;
      await this.enter(0);
    });
  }

  goTo(index: number): Promise<void> {
    return this.enqueue(async () => {
      if (this.lesson === null || index < 0 || index >= this.lesson.steps.length || index === this.index) return;
      await this.enter(index);
    });
  }

  next(): Promise<void> {
    return this.goTo(this.index + 1);
  }

  back(): Promise<void> {
    return this.goTo(this.index - 1);
  }

  /** Ends the lesson: its control states go and what it changed is put back. */
  leave(): Promise<void> {
    return this.enqueue(() => this.leaveNow());
  }

  reveal(question: number): void {
    this.revealed = new Set([...this.revealed, `${this.index}:${question}`]);
  }

  isRevealed(question: number): boolean {
    return this.revealed.has(`${this.index}:${question}`);
  }

  /** "Save a copy…": the lesson being followed, through main's save dialog. */
  async save(): Promise<void> {
    const lesson = this.lesson;
    if (lesson === null) return;
    const result = await this.targets.lab.saveLesson($state.snapshot(lesson) as Lesson, lesson.title).catch((error: unknown) => ({ ok: false as const, canceled: false as const, message: errorMessage(error) }));
    if (result.ok) this.savedTo = result.path;
    else if (!result.canceled) this.message = result.message;
  }

  /** "Open lesson file…": main's dialog, then the lesson. */
  async openFile(): Promise<void> {
    const result = await this.targets.lab.openLesson().catch((error: unknown) => ({ ok: false as const, canceled: false as const, message: errorMessage(error) }));
    if (!result.ok) {
      if (!result.canceled) this.message = result.message;
      return;
    }
    await this.start(result.lesson, { kind: 'file', fileName: result.fileName });
  }

  /**
   * A file dropped on the window. A file from disk is read and checked by main, as if opened through
   * the dialog, so its dataset folder works; one that is not on disk (or with no Electron preload)
   * is read here (bounded) by the same checks, its folder then unknown.
   */
  async openDropped(file: File): Promise<void> {
    if (!file.name.toLowerCase().endsWith(LESSON_FILE_EXTENSION)) {
      this.message = `${file.name} is not a lesson; drop a ${LESSON_FILE_EXTENSION} file to open it.`;
      return;
    }
    if (file.size > LESSON_LIMITS.fileBytes) {
      this.message = `${file.name} is larger than the ${LESSON_LIMITS.fileBytes / (1024 * 1024)} MiB a lesson file may be; it was not read.`;
      return;
    }
    const fromMain = await this.targets.lab.openDroppedLesson(file).catch((error: unknown) => ({ ok: false as const, canceled: false as const, message: errorMessage(error) }));
    if (fromMain.ok) {
      await this.start(fromMain.lesson, { kind: 'file', fileName: fromMain.fileName });
      return;
    }
    if (!('notOnDisk' in fromMain)) {
      if (!fromMain.canceled) this.message = fromMain.message;
      return;
    }
    let lesson: Lesson;
    try {
      lesson = parseLesson(await file.text(), file.name);
    } catch (error) {
      this.message = errorMessage(error);
      return;
    }
    await this.start(lesson, { kind: 'dropped', fileName: file.name });
  }

  /**
   * Opens each lesson file the operating system hands the app, as long as the app runs; returns
   * the function that stops listening.
   */
  listenForFiles(): () => void {
    let listening = true;
    const loop = async (): Promise<void> => {
      while (listening) {
        let result;
        try {
          result = await this.targets.lab.nextLessonFile();
        } catch {
          return;
        }
        if (!listening) return;
        if (result.ok) await this.start(result.lesson, { kind: 'file', fileName: result.fileName });
        else if (result.canceled) return;
        else this.message = result.message;
      }
    };
    void loop();
    return () => {
      listening = false;
    };
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work, work);
    return this.queue;
  }

  private async leaveNow(): Promise<void> {
    if (this.lesson === null) return;
    const snapshot = this.snapshot;
    this.lesson = null;
    this.source = null;
    this.notes = [];
    this.snapshot = null;
    this.targets.controls.setLayer('lesson', null);
    if (snapshot !== null) await restoreSnapshot(snapshot, this.targets, () => this.targets.datasets.selectedId || null);
    const ended = await this.targets.lab.endLesson().catch((error: unknown) => ({ ok: false as const, message: errorMessage(error) }));
    if (ended.ok) this.targets.modelChanged();
    else this.message = ended.message;
  }

  /** Sets step `index`'s state, controls and screen, noting what could not be set. */
  private async enter(index: number): Promise<void> {
    const lesson = this.lesson;
    const snapshot = this.snapshot;
    if (lesson === null || snapshot === null) return;
    const step = lesson.steps[index];
    const { targets } = this;
    const notes: string[] = [];
    this.index = index;
    this.entering = true;
    try {
      targets.controls.setLayer('lesson', { states: step.controls, lockedNote: LOCKED_NOTE });
      const { state } = step;
      if (state.dataset !== undefined) {
        keepPart(snapshot, 'datasetId', targets);
        const problem = await this.useDataset(state.dataset);
        if (problem !== null) notes.push(problem);
      }
      if (state.config !== undefined) {
        keepPart(snapshot, 'config', targets);
        targets.form.config = resolveLessonConfig(state.config);
        if (targets.datasets.selected) targets.form.fitTo(targets.datasets.selected);
      }
      if (state.model !== undefined) {
        const loaded = await targets.lab.useLessonModel(state.model).catch((error: unknown) => ({ ok: false as const, message: errorMessage(error) }));
        if (loaded.ok) targets.modelChanged();
        else notes.push(loaded.message);
      }
      if (state.study !== undefined) {
        keepPart(snapshot, 'draft', targets);
        targets.draft.useLessonStudy(state.study, targets.datasets.selected);
      }
      if (state.perceptron !== undefined) {
        keepPart(snapshot, 'perceptron', targets);
        const p = state.perceptron;
        targets.perceptron.useScenario(p.data, p.learningRate, p.epochs, p.randomStart);
      }
      if (state.backpropImage !== undefined) {
        keepPart(snapshot, 'backprop', targets);
        const datasetId = targets.datasets.selectedId || null;
        await targets.backprop.showImage(state.backpropImage, targets.form.valid ? targets.form.snapshot() : null, datasetId);
        if (targets.backprop.images !== null && targets.backprop.images.indices[0] !== state.backpropImage) {
          notes.push(`The lesson shows test image ${state.backpropImage}, but this dataset has fewer test images.`);
        }
      }
      targets.showScreen(step.screen);
    } catch (error) {
      notes.push(errorMessage(error));
    } finally {
      this.notes = notes;
      this.entering = false;
    }
  }

  /** Selects the built-in MNIST or the lesson's folder; the problem in words, or null. */
  private async useDataset(dataset: NonNullable<LessonStep['state']['dataset']>): Promise<string | null> {
    const { datasets, lab } = this.targets;
    if ('builtIn' in dataset) {
      if (!datasets.list.some((d) => d.id === BUILT_IN_DATASET_ID)) await datasets.load();
      if (!datasets.list.some((d) => d.id === BUILT_IN_DATASET_ID)) return datasets.message ?? 'The built-in MNIST is not available.';
      datasets.selectedId = BUILT_IN_DATASET_ID;
      return null;
    }
    if (this.source?.kind !== 'file') {
      if (this.source?.kind === 'draft') return `While a lesson is played from the editor, its dataset folder "${dataset.folder}" is not opened: save the lesson and open it with "Open lesson file…" to use the folder.`;
      const how = this.source?.kind === 'dropped' ? 'was dropped on the window' : 'is built in';
      return `This lesson ${how}, so MLP Lab does not know the folder it sits in: open it with "Open lesson file…" to use its dataset folder "${dataset.folder}".`;
    }
    const opened = await lab.openLessonDataset(dataset.folder).catch((error: unknown) => ({ ok: false as const, message: errorMessage(error) }));
    if (!opened.ok) return opened.message;
    datasets.add(opened.dataset);
    return null;
  }
}
