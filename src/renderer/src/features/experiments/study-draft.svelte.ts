/**
 * The next study as the student sets it up: a base run (from the Train form or a preset), the
 * settings to vary as typed, or the blog's three sweeps, with the epochs, target and name; and the
 * plan of runs it expands to, or why it cannot run yet.
 */
import { PRESETS, type RunConfig } from '$engine/training/run-config';
import type { DatasetInfo } from '$shared/lab-api';
import { BLOG_STUDY, StudyError, expandStudyGrids, formatVariationValue, type StudyRun, type Variation } from '$shared/study';
import type { LessonStudy } from '$shared/lesson/lesson';
import { resolveLessonConfig } from '$shared/lesson/lesson-state-read';
import type { StudyRequest } from '$shared/study-api';
import { VARIATION_LABELS, emptyTexts, parseVariationTexts, type VariationTexts } from './variation-text';
import { ACTIVATION_LABELS, INIT_SHORT_LABELS, OPTIMIZER_LABELS } from '$ui/plain-labels';

export type StudyPlan = { ok: true; runs: StudyRun[] } | { ok: false; message: string };

/** Everything the student set up, as a lesson keeps it to put back when it ends. */
export interface StudyDraftSetup {
  base: RunConfig;
  baseSource: string;
  epochs: number;
  texts: VariationTexts;
  blog: boolean;
  targetPercent: number;
  name: string;
}

export class StudyDraft {
  base = $state<RunConfig>(structuredClone(PRESETS.blog));
  /** Where the base came from, in words. */
  baseSource = $state('Blog preset');
  epochs = $state(1);
  texts = $state({ ...emptyTexts(), batchSize: '32, 64' });
  /** The blog's three one-setting sweeps instead of the boxes' grid. */
  blog = $state(false);
  targetPercent = $state(90);
  name = $state('');

  readonly parsed = $derived(parseVariationTexts(this.texts));
  readonly grids = $derived<Variation[][]>(
    this.blog ? BLOG_STUDY.grids.map((grid) => [...grid]) : this.parsed.ok && this.parsed.variations.length > 0 ? [this.parsed.variations] : [],
  );
  readonly config = $derived<RunConfig>({ ...$state.snapshot(this.base), epochs: this.epochs });
  readonly plan: StudyPlan = $derived.by(() => {
    if (!this.blog && !this.parsed.ok) return { ok: false, message: this.parsed.message };
    if (this.grids.length === 0) return { ok: false, message: 'Fill in at least one box to vary a setting.' };
    try {
      return { ok: true, runs: expandStudyGrids(this.config, this.grids) };
    } catch (error) {
      if (error instanceof StudyError) return { ok: false, message: error.message };
      return { ok: false, message: 'Set a number of epochs from 1 to 1000.' };
    }
  });
  readonly summary = $derived(
    `${this.base.layers.join('-')}, ${ACTIVATION_LABELS[this.base.activation]}, ${INIT_SHORT_LABELS[this.base.init]} init, ${OPTIMIZER_LABELS[this.base.optimizer]} lr ${this.base.learningRate}, batch ${this.base.batchSize}, seed ${this.base.seed}`,
  );

  /** Takes a base run, its ends fitted to the dataset, and its epochs; the boxes' grid again. */
  useBase(config: RunConfig, source: string, dataset: DatasetInfo | undefined): void {
    this.base = structuredClone(config);
    this.baseSource = source;
    this.epochs = config.epochs;
    this.blog = false;
    if (dataset) {
      this.base.layers[0] = dataset.rows * dataset.cols;
      this.base.layers[this.base.layers.length - 1] = dataset.classes;
    }
  }

  useBlogStudy(dataset: DatasetInfo | undefined): void {
    this.useBase(BLOG_STUDY.base, 'Blog preset', dataset);
    this.blog = true;
    this.texts = emptyTexts();
    this.name = 'Blog study';
  }

  /** A lesson's study: its base (fitted to the dataset), epochs, target and name, and its grid or the blog's sweeps. */
  useLessonStudy(study: LessonStudy, dataset: DatasetInfo | undefined): void {
    this.useBase(resolveLessonConfig(study.base), 'Lesson', dataset);
    this.texts = emptyTexts();
    if (study.vary === 'blog') this.blog = true;
    else for (const v of study.vary) this.texts[v.key] = v.values.map((value) => formatVariationValue(v.key, value)).join(', ');
    this.epochs = study.epochs;
    this.targetPercent = study.targetPercent;
    this.name = study.name ?? '';
  }

  setup(): StudyDraftSetup {
    return $state.snapshot({ base: this.base, baseSource: this.baseSource, epochs: this.epochs, texts: this.texts, blog: this.blog, targetPercent: this.targetPercent, name: this.name });
  }

  restore(setup: StudyDraftSetup): void {
    this.base = structuredClone(setup.base);
    this.baseSource = setup.baseSource;
    this.epochs = setup.epochs;
    this.texts = { ...setup.texts };
    this.blog = setup.blog;
    this.targetPercent = setup.targetPercent;
    this.name = setup.name;
  }

  /** The study to start on the dataset, or null while the plan has a problem. */
  request(dataset: DatasetInfo): StudyRequest | null {
    if (!this.plan.ok) return null;
    const varied = this.grids[0].map((v) => VARIATION_LABELS[v.key].label.toLowerCase()).join(' × ');
    return {
      name: this.name.trim() || (this.blog ? 'Blog study' : `Study of ${varied}`),
      base: this.config,
      grids: this.grids,
      datasetId: dataset.id,
      targetAccuracy: this.targetPercent / 100,
    };
  }
}
