/**
 * The saved-model library as the renderer sees it: what one entry of the list says, and the rules
 * for model ids and names. Main's model store enforces these rules on every call; the preload can
 * check them too before anything is sent.
 */
import type { ActivationName } from './run-config';

/** The extension of every file in the library (and the one the CLI suggests). */
export const MODEL_FILE_EXTENSION = '.mlpmodel';

/** A model id: 128 random bits as 32 lowercase hexadecimal digits, so never a path. */
export const MODEL_ID_PATTERN = /^[0-9a-f]{32}$/;

/** The longest model name, in characters (code points). */
export const MODEL_NAME_MAX_LENGTH = 100;

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
  return typeof value === 'string' && MODEL_ID_PATTERN.test(value);
}

/** Why a value is not a model id, quoting it safely (escaped, at most 40 characters). */
export function describeBadModelId(value: unknown): string {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : `a ${value === null ? 'null' : typeof value}`;
  return `${shown} is not a model id (a model id is 32 hexadecimal digits); nothing was read or written.`;
}

export type ModelNameCheck = { ok: true; name: string } | { ok: false; message: string };

// C0 and C1 controls, unpaired surrogates, and the bidirectional overrides and isolates that can
// make a name display as something other than what it is.
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;

/** Checks a model name from the user; leading and trailing spaces are dropped from the result. */
export function checkModelName(value: unknown): ModelNameCheck {
  if (typeof value !== 'string') return { ok: false, message: 'A model name must be text.' };
  const name = value.trim();
  if (name === '') return { ok: false, message: 'Give the model a name.' };
  const length = [...name].length;
  if (length > MODEL_NAME_MAX_LENGTH) {
    return { ok: false, message: `A model name can have at most ${MODEL_NAME_MAX_LENGTH} characters; this one has ${length}.` };
  }
  if (FORBIDDEN_IN_NAME.test(name)) {
    return { ok: false, message: 'A model name cannot contain control characters (line breaks, tabs) or hidden text-direction marks.' };
  }
  return { ok: true, name };
}
