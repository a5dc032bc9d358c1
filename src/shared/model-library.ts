/**
 * The saved-model library as the renderer sees it: what one entry of the list says, and the rules
 * for model ids and names. Main's model store enforces these rules on every call; the preload can
 * check them too before anything is sent.
 */
import type { ActivationName } from '../engine/training/run-config';
import { checkSavedName, describeBadId, isSavedId, SAVED_NAME_MAX_LENGTH, type NameCheck } from './saved-item';

/** The extension of every file in the library (and the one the CLI suggests). */
export const MODEL_FILE_EXTENSION = '.mlpmodel';

/** The longest model name, in characters (code points). */
export const MODEL_NAME_MAX_LENGTH = SAVED_NAME_MAX_LENGTH;

/** A readable model in the library. */
export interface ModelSummary {
  status: 'ok';
  id: string;
  /** The file's name in the library folder: `<id>.mlpmodel`. */
  fileName: string;
  /** The name the user gave it; "Unnamed model" for a file saved without one. */
  name: string;
  /** Layer widths from input to output, e.g. [784, 256, 128, 10]. */
  layers: number[];
  activation: ActivationName;
  /** Accuracy on the test split when saved; null when it was not measured (or was not a number). */
  testAccuracy: number | null;
  /** Epochs trained: the length of the metric history. */
  epochs: number;
  datasetName: string;
  /** When it was saved, as an ISO 8601 string. */
  createdAt: string;
  sizeBytes: number;
}

/**
 * A file in the library that cannot be read as a model: corrupted, truncated, from a newer MLP Lab,
 * unreadable, or not named by a model id. It stays on disk, untouched, until the user deletes it.
 */
export interface ModelFileProblem {
  status: 'error';
  /** The id to delete it by; null for a file whose name is not a model id (see `message`). */
  id: string | null;
  fileName: string;
  /** What is wrong, naming the file: the model decoder's own message where it got that far. */
  message: string;
}

export type ModelListEntry = ModelSummary | ModelFileProblem;

/** Whether a value from anywhere (the renderer included) is a well-formed model id. */
export function isModelId(value: unknown): value is string {
  return isSavedId(value);
}

/** Why a value is not a model id, quoting it safely (escaped, at most 40 characters). */
export function describeBadModelId(value: unknown): string {
  return describeBadId(value, 'model');
}

export type ModelNameCheck = NameCheck;

/** Checks a model name from the user; leading and trailing spaces are dropped from the result. */
export function checkModelName(value: unknown): ModelNameCheck {
  return checkSavedName(value, 'model');
}
