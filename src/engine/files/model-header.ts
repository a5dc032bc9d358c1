import type { EpochMetrics } from '../training/events';
import type { RunConfig } from '../training/run-config';

/** What a model file says about its model: the JSON header of format version 1 (see model-file.ts). */

/** The header's `format` value. */
export const MODEL_FORMAT = 'mlp-lab-model';
/** The format version this code writes, and the newest it reads. */
export const MODEL_FORMAT_VERSION = 1;

/** The shape of one dense layer: y (outputs) = x (inputs) · W + b. */
export interface LayerShape {
  inputs: number;
  outputs: number;
}

/** The dataset a model was trained on, as far as a reader of the model needs to know it. */
export interface ModelDatasetInfo {
  name: string;
  /** Image height in pixels. */
  rows: number;
  /** Image width in pixels. */
  cols: number;
  /** Number of classes: the width of the output layer. */
  classes: number;
  /** Images in the training split. */
  trainCount: number;
  /** Images in the test split. */
  testCount: number;
}

/** The JSON header of a model file: everything about the model except its weights. */
export interface ModelHeader {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  /** The user's name for the model, if given one. */
  name?: string;
  /** When the model was saved, as an ISO 8601 string. */
  createdAt: string;
  /** The version of MLP Lab that saved it. */
  appVersion: string;
  /** Architecture, activation, initialiser, optimiser and its hyperparameters, and seed. */
  config: RunConfig;
  /** Every dense layer's shape, input layer first; it decides how many weights follow the header. */
  layers: LayerShape[];
  dataset: ModelDatasetInfo;
  /** Accuracy on the dataset's test split when saved, if measured. */
  testAccuracy?: number;
  /**
   * The metrics of every finished epoch. JSON has no NaN or ∞, so a non-finite metric is written
   * as null and read back as NaN.
   */
  history: EpochMetrics[];
}

/** What the caller provides to save a model; the format fields and layer shapes are filled in. */
export type ModelHeaderInput = Omit<ModelHeader, 'format' | 'formatVersion' | 'layers'>;
