/**
 * The part of `window.lab` that looks inside the data and the network: images of a dataset, the
 * model the engine holds now (its weights, activations, evaluation, a prediction), and the saved-model
 * library. `LabApi` extends `InsightApi`; everything here is a request with an answer.
 */
import type { ModelHeader } from '../engine/files/model-file';
import type { CommandResult, DialogResult } from './command-result';
import type { CurrentModel, EvaluationReport, HiddenOutputs, LayerActivationStats } from './engine-requests';
import type { ModelListEntry } from './model-library';
import type { RunConfig } from '../engine/training/run-config';

export type { CurrentModel, EvaluationReport, HiddenOutputs, LayerActivationStats };

export type Split = 'train' | 'test';

/** Most images one `getImages` / `getImagesAt` answer carries. */
export const MAX_IMAGES_PER_REQUEST = 1000;

/** A page of a split's images, optionally only those of one class. */
export interface ImagesRequest {
  datasetId: string;
  split: Split;
  /** Position within the (filtered) list of images, from 0. */
  offset: number;
  /** At most `MAX_IMAGES_PER_REQUEST`; 0 asks only for `total`. */
  count: number;
  /** Only images with this label. */
  label?: number;
}

/** Chosen images of a split, by their dataset index. */
export interface ImagesAtRequest {
  datasetId: string;
  split: Split;
  indices: number[];
}

export type ImagesResult =
  | {
      ok: true;
      /** Images matching the filter (the whole split without one). */
      total: number;
      rows: number;
      cols: number;
      /** The dataset index of each image returned. */
      indices: number[];
      labels: number[];
      /** indices.length × rows × cols grey levels, image after image. */
      pixels: Uint8Array;
    }
  | { ok: false; message: string };

/** How many images of each class a split has. */
export type ClassCountsResult = { ok: true; train: number[]; test: number[] } | { ok: false; message: string };

export type CurrentModelResult = ({ ok: true } & CurrentModel) | { ok: false; message: string };

export type ActivationStatsResult = { ok: true; batch: number; layers: LayerActivationStats[] } | { ok: false; message: string };

export type EvaluationResult = { ok: true; report: EvaluationReport } | { ok: false; message: string };

export type PredictionResult = { ok: true; probabilities: number[] } | { ok: false; message: string };

export type HiddenOutputsResult = ({ ok: true } & HiddenOutputs) | { ok: false; message: string };

export type SaveModelResult = { ok: true; id: string } | { ok: false; message: string };

export type ModelDetailsResult = { ok: true; header: ModelHeader } | { ok: false; message: string };

export type ExportModelResult = DialogResult<{ path: string }>;

export type ImportModelResult = DialogResult<{ id: string }>;

export interface InsightApi {
  /** A page of a split's images (optionally one class), served by main from the validated dataset. */
  getImages(request: ImagesRequest): Promise<ImagesResult>;
  /** Chosen images of a split by index (e.g. one cell of the confusion matrix). */
  getImagesAt(request: ImagesAtRequest): Promise<ImagesResult>;
  getClassCounts(datasetId: string): Promise<ClassCountsResult>;
  /** A copy of the model the engine holds now (taken between two minibatches while training). */
  getCurrentModel(): Promise<CurrentModelResult>;
  /** Histograms of each hidden layer's outputs on a batch of test images. */
  getActivationStats(datasetId: string): Promise<ActivationStatsResult>;
  /** The current model on the dataset's test split. */
  evaluateModel(datasetId: string): Promise<EvaluationResult>;
  /** Class probabilities for one image: rows × cols grey levels in [0, 1]. */
  predict(pixels: Float32Array): Promise<PredictionResult>;
  /** Every hidden unit's output on one image (rows × cols grey levels in [0, 1]), and the prediction. */
  getHiddenOutputs(pixels: Float32Array): Promise<HiddenOutputsResult>;
  /** Starts a run from the current model's weights (same architecture), e.g. a loaded model. */
  continueTraining(config: RunConfig, datasetId: string): Promise<CommandResult>;
  listModels(): Promise<ModelListEntry[]>;
  /** Saves the current model under a name. */
  saveModel(name: string): Promise<SaveModelResult>;
  /** A saved model's whole header: provenance, hyperparameters, metric history. */
  getModelDetails(id: string): Promise<ModelDetailsResult>;
  /** Makes a saved model the engine's current model. */
  loadModel(id: string): Promise<CommandResult>;
  renameModel(id: string, name: string): Promise<CommandResult>;
  duplicateModel(id: string, name?: string): Promise<SaveModelResult>;
  deleteModel(id: string): Promise<CommandResult>;
  /** Asks where to export (native dialog) and writes a copy of the file there. */
  exportModel(id: string): Promise<ExportModelResult>;
  /** Asks where to export (native dialog) and writes the model there as a standard ONNX graph. */
  exportModelOnnx(id: string): Promise<ExportModelResult>;
  /** Asks for a model file (native dialog): an MLP Lab model, or an ONNX MLP; adds it to the library. */
  importModel(): Promise<ImportModelResult>;
  /**
   * Keeps the model of the run that just finished as the newest recent run (the oldest beyond the
   * last few is dropped); refused when there is none or its weights are not finite numbers.
   */
  keepRecentRun(): Promise<SaveModelResult>;
  /** The recent runs, newest first: kept by themselves, not yet saved or dropped. */
  listRecentRuns(): Promise<ModelListEntry[]>;
  /** Saves a recent run into the model library under a name; it is no longer a recent run. */
  saveRecentRun(id: string, name: string): Promise<SaveModelResult>;
  /** Lets a recent run go. */
  dropRecentRun(id: string): Promise<CommandResult>;
}
