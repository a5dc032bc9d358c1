/**
 * A lesson: a title and an ordered list of steps a teacher prepared. Each step says what to read
 * (a short text in a plain Markdown subset), which screen to open, the state to set there, which
 * controls to show, lock or hide, and questions for the students. Saved as a `.mlplesson` file:
 * UTF-8 JSON, `{ "format": "mlp-lab-lesson", "formatVersion": 1, "title": …, "steps": […] }`
 * (read by `lesson-file.ts`, which says exactly why a file is refused).
 */
import type { PresetName, RunConfig } from '../../engine/training/run-config';
import type { Variation } from '../study';
import type { ControlStates, LessonScreen } from './lesson-controls';

export const LESSON_FORMAT = 'mlp-lab-lesson';
/**
 * The layout this version writes and the newest it reads. Raise it when a file of the new layout
 * could not be read back correctly by this code: an older MLP Lab then refuses it, naming both numbers.
 */
export const LESSON_FORMAT_VERSION = 1;
export const LESSON_FILE_EXTENSION = '.mlplesson';

const MiB = 1024 * 1024;

/** Bounds on everything a lesson file holds, so any file costs bounded time and memory to read. */
export const LESSON_LIMITS = {
  /** The whole file on disk. */
  fileBytes: 40 * MiB,
  steps: 60,
  /** Characters of the lesson's and each step's title. */
  titleLength: 120,
  /** Characters of one step's text. */
  textLength: 4000,
  questionsPerStep: 12,
  questionLength: 600,
  answerLength: 2000,
  /** Characters of a dataset folder's relative path. */
  folderLength: 260,
  /** Bytes of one embedded model file (a 784-256-128-10 network is under 1 MiB). */
  modelBytes: 8 * MiB,
  /** Bytes of every embedded model together. */
  allModelsBytes: 24 * MiB,
  /** Characters of a study's name. */
  studyNameLength: 100,
} as const;

/** A run configuration: a preset, optionally with some settings changed, or every setting given. */
export type LessonConfig = { preset: PresetName; changes?: Partial<RunConfig> } | { full: RunConfig };

/** The built-in MNIST, or a folder of IDX files given relative to the lesson file's folder. */
export type LessonDataset = { builtIn: 'mnist' } | { folder: string };

/** A saved model carried inside the lesson: its name and its `.mlpmodel` file's bytes in base64. */
export interface LessonModel {
  name: string;
  base64: string;
}

/** The Experiments screen's setup: a base run, its epochs, and the settings to vary (or the blog's three sweeps). */
export interface LessonStudy {
  base: LessonConfig;
  epochs: number;
  /** `"blog"`: the course blog's sweeps of batch size, learning rate and activation; else one grid. */
  vary: 'blog' | Variation[];
  /** The test accuracy each run is timed to, in percent. */
  targetPercent: number;
  name?: string;
}

/** The Perceptron screen's setup: which points (the blog's two clusters, XOR or circles) and the rule's settings. */
export interface LessonPerceptron {
  data: 'clusters' | 'xor' | 'circles';
  learningRate: number;
  epochs: number;
  /** Start from the blog's seeded random weights (true) or from w = 0, b = 0. */
  randomStart: boolean;
}

/** What entering a step sets; anything left out stays as the user (or an earlier step) left it. */
export interface LessonStepState {
  config?: LessonConfig;
  dataset?: LessonDataset;
  model?: LessonModel;
  study?: LessonStudy;
  perceptron?: LessonPerceptron;
  /** The test image (0-based index in the test split) the Backprop screen steps through. */
  backpropImage?: number;
}

export interface LessonQuestion {
  question: string;
  /** Hidden until a student asks to reveal it. */
  answer?: string;
}

export interface LessonStep {
  title: string;
  /** Plain Markdown subset: paragraphs, lists, **bold**, `inline code`; formulas as text. */
  text: string;
  screen: LessonScreen;
  state: LessonStepState;
  controls: ControlStates;
  questions: LessonQuestion[];
}

export interface Lesson {
  title: string;
  steps: LessonStep[];
}
