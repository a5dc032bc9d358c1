/**
 * "Save as lesson step": what the app shows now, turned into a lesson step. Everything the format
 * can hold is captured (`captured`), but a step sets only the parts its screen is about
 * (`DEFAULT_PARTS`), so a student's other settings stay as they are; the editor can switch any
 * captured part on or off. Pure: the caller reads the screens' state and passes it in.
 */
import type { RunConfig } from '$engine/training/run-config';
import type { Variation } from '$shared/study';
import { LESSON_LIMITS, type LessonPerceptron, type LessonStep, type LessonStepState, type LessonStudy } from '$shared/lesson/lesson';
import type { LessonScreen } from '$shared/lesson/lesson-controls';

/** The parts of a step's state, in the order the editor lists them. */
export const STATE_PARTS = ['config', 'dataset', 'study', 'perceptron', 'backpropImage', 'model'] as const;
export type StatePart = (typeof STATE_PARTS)[number];

/** The parts a step captured on each screen sets unless the teacher changes it. */
export const DEFAULT_PARTS: Record<LessonScreen, readonly StatePart[]> = {
  train: ['config', 'dataset'],
  weights: ['dataset'],
  data: ['dataset'],
  evaluate: ['dataset'],
  models: ['dataset'],
  experiments: ['dataset', 'study'],
  perceptron: ['perceptron'],
  backprop: ['config', 'dataset', 'backpropImage'],
};

/** The screens as their tabs name them. */
export const SCREEN_LABELS: Record<LessonScreen, string> = {
  train: 'Train',
  weights: 'Weights',
  data: 'Data',
  evaluate: 'Evaluate',
  models: 'Models',
  experiments: 'Experiments',
  perceptron: 'Perceptron',
  backprop: 'Backprop',
};

/** The study setup as the Experiments screen holds it, reduced to what a lesson can say. */
export interface StudyNow {
  base: RunConfig;
  epochs: number;
  /** The blog's three sweeps instead of the boxes' grid. */
  blog: boolean;
  /** The boxes' grid when it reads, else null. */
  variations: readonly Variation[] | null;
  targetPercent: number;
  name: string;
}

/** What the app shows now, read by the caller from the screens' state. */
export interface AppNow {
  screen: LessonScreen;
  /** The Train form's settings, or null while the form has a problem. */
  config: RunConfig | null;
  /** The selected dataset's id ("mnist" for the built-in one), or null. */
  datasetId: string | null;
  datasetName: string | null;
  study: StudyNow | null;
  perceptron: LessonPerceptron;
  /** Whether the perceptron's points differ from what the format can name (moved clusters, clicked-in points). */
  perceptronCustomised: boolean;
  /** The test image the Backprop screen steps through, or null before it has one. */
  backpropImage: number | null;
}

export interface CapturedStep {
  step: LessonStep;
  /** Every part that could be captured; the step's state holds the ones it sets. */
  captured: LessonStepState;
  /** What could not be captured, in words. */
  notes: string[];
}

const BUILT_IN_DATASET_ID = 'mnist';

/** A step for what the app shows now: titled after its screen, with the screen's parts switched on. */
export function captureStep(now: AppNow, number: number): CapturedStep {
  const captured: LessonStepState = {};
  const notes: string[] = [];
  if (now.config !== null) captured.config = { full: copyOf(now.config) };
  else notes.push('The Train settings have a problem, so the step does not set them; fix them and capture the step again.');
  if (now.datasetId === BUILT_IN_DATASET_ID) captured.dataset = { builtIn: 'mnist' };
  else if (now.datasetId !== null) notes.push(`The dataset "${now.datasetName ?? now.datasetId}" is a folder on this computer: to use it, name its folder relative to the lesson file under "This step sets".`);
  const study = now.study === null ? null : lessonStudyOf(now.study);
  if (study !== null) captured.study = study;
  captured.perceptron = { ...now.perceptron };
  if (now.perceptronCustomised && now.screen === 'perceptron') notes.push('A lesson keeps the perceptron\'s kind of data and its settings; moved clusters and clicked-in points are made afresh from the blog\'s clusters.');
  if (now.backpropImage !== null) captured.backpropImage = now.backpropImage;
  const state: LessonStepState = {};
  for (const part of DEFAULT_PARTS[now.screen]) includePart(state, captured, part);
  const step: LessonStep = { title: `Step ${number}: ${SCREEN_LABELS[now.screen]}`, text: '', screen: now.screen, state, controls: {}, questions: [] };
  return { step, captured, notes };
}

/** The study a lesson can hold for the setup, or null while its grid does not read. */
export function lessonStudyOf(now: StudyNow): LessonStudy | null {
  let vary: LessonStudy['vary'];
  if (now.blog) vary = 'blog';
  else if (now.variations !== null && now.variations.length > 0) vary = copyOf([...now.variations]) as Variation[];
  else return null;
  const study: LessonStudy = { base: { full: copyOf(now.base) }, epochs: now.epochs, vary, targetPercent: now.targetPercent };
  const name = now.name.trim();
  if (name !== '') study.name = [...name].slice(0, LESSON_LIMITS.studyNameLength).join('');
  return study;
}

/** Switches a captured part on in a step's state (nothing happens when it was not captured). */
export function includePart(state: LessonStepState, captured: LessonStepState, part: StatePart): void {
  const value = captured[part];
  if (value === undefined) return;
  (state as Record<StatePart, unknown>)[part] = copyOf(value);
}

/** A copy of lesson data (plain JSON values); works on Svelte's state proxies, which structuredClone refuses. */
export function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Switches a part off. */
export function excludePart(state: LessonStepState, part: StatePart): void {
  delete state[part];
}
