/**
 * The Experiments screen's part of `window.lab`: what the renderer sends to start a study, what it
 * hears back while the study runs, and what a saved study holds. Main owns the study (its
 * scheduler and one engine process per run); the renderer only asks and draws.
 */
import type { IterationPoint } from '../engine/training/events';
import { describeProblems, validateRunConfig, type RunConfig } from '../engine/training/run-config';
import { checkSavedName, describeBadId, isSavedId, type NameCheck } from './saved-item';
import { STUDY_LIMITS, StudyError, VARIATION_KEYS, expandStudyGrids, type StudyRun, type StudyRunStatus, type Variation } from './study';
import type { StudyEpochMetrics } from './time-to-target';
import type { DialogResult } from './command-result';

/** What the renderer asks main to run. */
export interface StudyRequest {
  /** Shown in the saved-studies list, e.g. "Blog study". */
  name: string;
  base: RunConfig;
  /** One or more grids on the base (see `expandStudyGrids`); a plain grid is one entry. */
  grids: Variation[][];
  datasetId: string;
  /** The test accuracy whose first reaching is timed per run, in (0, 1]. */
  targetAccuracy: number;
}

/** One run as the renderer shows it: the scheduler's record without the (growing) curves. */
export interface StudyRunSummary extends StudyRun {
  status: StudyRunStatus;
  finalTestAccuracy: number | null;
  bestEpoch: number | null;
  bestTestAccuracy: number | null;
  finalTrainLoss: number | null;
  seconds: number | null;
  secondsToTarget: number | null;
  iterationsDone: number;
  totalIterations: number | null;
  message: string | null;
}

/** A run with its curves: what a saved study keeps (epochs saved before their times were kept have none). */
export interface StudyRunData extends StudyRunSummary {
  epochs: StudyEpochMetrics[];
  iterations: IterationPoint[];
}

/** The runs one grid produced, by index: the blog's three sweeps of 4 + 4 + 3 share the baseline. */
export interface StudyGroup {
  title: string;
  runIndices: number[];
}

/**
 * The layout of a saved study's file, `{ "format": 1, ...StudyData }`. A file without `format` was
 * written before formats were numbered and is format 1. Raise it when the layout changes in a way an
 * older MLP Lab could not read back: that version then refuses the file, naming both numbers,
 * instead of opening (or overwriting) what it does not understand.
 */
export const STUDY_FORMAT = 1;

/** A whole study, as saved (its file adds `format`, see `STUDY_FORMAT`) and as reopened. */
export interface StudyData {
  /** 32 lowercase hexadecimal digits. */
  id: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  datasetId: string;
  base: RunConfig;
  grids: Variation[][];
  groups: StudyGroup[];
  targetAccuracy: number;
  /** Runs at once. */
  parallel: number;
  /** True once no run is queued or running. */
  finished: boolean;
  runs: StudyRunData[];
}

/** A readable study in the saved-studies list. */
export interface SavedStudySummary {
  status: 'ok';
  id: string;
  name: string;
  createdAt: string;
  runCount: number;
  finished: boolean;
}

/**
 * A study file that cannot be read: damaged, not a study, or saved by a newer MLP Lab. It is listed
 * so that the study does not silently vanish, and stays on disk, untouched, until the user deletes it.
 */
export interface StudyFileProblem {
  status: 'error';
  /** The id to delete it by: the file is `<id>.json`. */
  id: string;
  fileName: string;
  /** What is wrong, naming the file's id: the message opening it gives. */
  message: string;
}

/** A line of the saved-studies list. */
export type SavedStudyEntry = SavedStudySummary | StudyFileProblem;

/**
 * What the renderer hears about the study in progress. `run-update` carries only the iterations and
 * epochs new since the previous update of that run, so long runs do not resend their curves.
 */
export type StudyEvent =
  | { type: 'study-started'; study: StudyData }
  | { type: 'run-update'; studyId: string; run: StudyRunSummary; newIterations: IterationPoint[]; newEpochs: StudyEpochMetrics[] }
  | { type: 'study-finished'; studyId: string; saved: boolean; message: string | null };

export type StartStudyResult = { ok: true; study: StudyData } | { ok: false; message: string };
export type OpenStudyResult = { ok: true; study: StudyData } | { ok: false; message: string };

/** A file the renderer made (results CSV, chart PNG) for main to save where the user chooses. */
export interface ExportFileRequest {
  kind: 'csv' | 'png';
  /** A file name to suggest, e.g. "blog-study.csv"; main keeps only a safe base name. */
  suggestedName: string;
  /** CSV as text, PNG as bytes. */
  content: string | Uint8Array;
}

export type ExportFileResult = DialogResult<{ path: string }>;

/** Largest export accepted (a chart PNG at 4K is ~1 MB; a long study's CSV far less). */
export const EXPORT_MAX_BYTES = 32 * 1024 * 1024;

/** Whether a value from anywhere (the renderer included) is a well-formed study id. */
export function isStudyId(value: unknown): value is string {
  return isSavedId(value);
}

/** Why a value is not a study id, quoting it safely. */
export function describeBadStudyId(value: unknown): string {
  return describeBadId(value, 'study');
}

/** Checks a new name for a saved study: the same rule as a model's name. */
export function checkStudyName(value: unknown): NameCheck {
  return checkSavedName(value, 'study');
}

export type CheckedStudyRequest = { ok: true; request: StudyRequest; runs: StudyRun[] } | { ok: false; message: string };

/** Checks an untrusted request and expands its runs; the message says what to fix. */
export function checkStudyRequest(value: unknown): CheckedStudyRequest {
  if (typeof value !== 'object' || value === null) return { ok: false, message: 'A study request must be an object.' };
  const { name, base, grids, datasetId, targetAccuracy } = value as Record<string, unknown>;
  // The rule a rename follows, so that every name a study starts with can also be given back to it.
  const named = checkStudyName(name);
  if (!named.ok) return named;
  if (typeof datasetId !== 'string' || datasetId === '' || datasetId.length > 200) return { ok: false, message: 'Choose a dataset to train on.' };
  if (typeof targetAccuracy !== 'number' || !(targetAccuracy > 0 && targetAccuracy <= 1)) {
    return { ok: false, message: 'The target accuracy must be above 0 % and at most 100 %.' };
  }
  if (Array.isArray(grids) && grids.length > STUDY_LIMITS.maxGrids) {
    return { ok: false, message: `A study has at most ${STUDY_LIMITS.maxGrids} grids; this one has ${grids.length}.` };
  }
  if (!Array.isArray(grids) || grids.length === 0 || !grids.every((grid) => Array.isArray(grid) && grid.length <= VARIATION_KEYS.length && grid.every(isVariationShape))) {
    return { ok: false, message: 'Vary at least one setting (each variation is a key and a list of values).' };
  }
  const check = validateRunConfig(base);
  if (!check.ok) return { ok: false, message: `The base configuration cannot be trained: ${describeProblems(check.problems).replace(/\n/g, ' ')}` };
  try {
    const runs = expandStudyGrids(check.config, grids as Variation[][]);
    return { ok: true, request: { name: named.name, base: check.config, grids: grids as Variation[][], datasetId, targetAccuracy }, runs };
  } catch (error) {
    if (error instanceof StudyError) return { ok: false, message: error.message };
    throw error;
  }
}

function isVariationShape(value: unknown): value is Variation {
  if (typeof value !== 'object' || value === null) return false;
  const { key, values } = value as Record<string, unknown>;
  return typeof key === 'string' && (VARIATION_KEYS as readonly string[]).includes(key) && Array.isArray(values);
}

/**
 * Which runs each grid produced: a configuration shared by several grids (the blog's baseline) is
 * one run listed in each of their groups. A grid's title names what it varies.
 */
export function studyGroups(runs: readonly StudyRun[], base: RunConfig, grids: readonly (readonly Variation[])[]): StudyGroup[] {
  const indexByConfig = new Map(runs.map((run) => [JSON.stringify(run.config), run.index]));
  return grids.map((grid) => {
    const own = expandStudyGrids(base, [grid]);
    return {
      title: grid.map((v) => v.key).join(' × ') || 'base',
      runIndices: own.map((run) => indexByConfig.get(JSON.stringify(run.config))).filter((i): i is number => i !== undefined),
    };
  });
}
