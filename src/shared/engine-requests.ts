/**
 * Requests main makes of the engine worker about the model it holds (as opposed to the run
 * commands): each carries a `requestId`, and the worker answers it with exactly one `reply` of the
 * same id. Both ends parse what arrives with the functions below, like the rest of the protocol.
 */
import type { EpochMetrics } from '../engine/training/events';
import type { NetworkWeights } from '../engine/nn/weights';
import type { ModelDatasetInfo } from '../engine/files/model-file';
import { describeProblems, validateRunConfig, type RunConfig } from '../engine/training/run-config';

/** The network the engine holds now: the last or ongoing run's (a copy), or a model loaded from the library. */
export interface CurrentModel {
  source: 'training' | 'library';
  /** The library name of a loaded model; null for a model from training. */
  name: string | null;
  config: RunConfig;
  weights: NetworkWeights;
  history: EpochMetrics[];
  /** The dataset it was trained on. */
  dataset: ModelDatasetInfo;
}

/** One hidden layer's outputs (after its activation) on a batch of test images. */
export interface LayerActivationStats {
  /** 1-based hidden layer number. */
  layer: number;
  units: number;
  /** Histogram bin counts over [min, max]. */
  counts: number[];
  min: number;
  max: number;
  /** ReLU-like: fraction of units that are 0 on every image of the batch. */
  deadFraction: number;
  /** Sigmoid or tanh: fraction of outputs on a flat part of the curve; null for other activations. */
  saturatedFraction: number | null;
  /** How much a unit's output changes from image to image (standard deviation, mean over units). */
  spread: number;
}

/** The current model on a dataset's whole test split. */
export interface EvaluationReport {
  count: number;
  accuracy: number;
  loss: number;
  /** confusion[truth][predicted] */
  confusion: number[][];
  perClassAccuracy: (number | null)[];
  /** The true class of every test image. */
  labels: Uint8Array;
  predictions: Uint8Array;
  /** count × classes softmax probabilities. */
  probabilities: Float32Array;
  classes: number;
}

/** Where the worker finds a dataset main has validated (the same shape as a run's dataset). */
export interface RequestDataset {
  dir: string;
  name: string;
  id: string;
}

/** One image through the network: every hidden layer's outputs and the class probabilities. */
export interface HiddenOutputs {
  /** One entry per hidden layer, in order: that layer's outputs (after its activation). */
  layers: Float32Array[];
  /** Softmax probabilities of the classes. */
  probabilities: number[];
}

/** Images in the batch the activation histograms are measured on. */
export const ACTIVATION_BATCH = 256;
/** Bins in each activation histogram. */
export const ACTIVATION_BINS = 40;

export type EngineRequest =
  | { kind: 'current-model' }
  | { kind: 'activations'; dataset: RequestDataset }
  | { kind: 'evaluate'; dataset: RequestDataset }
  | { kind: 'predict'; pixels: Float32Array }
  | { kind: 'hidden-outputs'; pixels: Float32Array }
  | { kind: 'load-model'; model: CurrentModel };

export type EngineReplyValue =
  | { kind: 'current-model'; model: CurrentModel | null }
  | { kind: 'activations'; batch: number; layers: LayerActivationStats[] }
  | { kind: 'evaluate'; report: EvaluationReport }
  | { kind: 'predict'; probabilities: number[] }
  | ({ kind: 'hidden-outputs' } & HiddenOutputs)
  | { kind: 'load-model' };

/** worker → main: the answer to one request. */
export type EngineReply = { type: 'reply'; requestId: number } & ({ ok: true; value: EngineReplyValue } | { ok: false; message: string });

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function isFiniteNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

/** Grey levels of one image as they cross a process boundary: a Float32Array of values in [0, 1]. */
export function isImagePixels(value: unknown): value is Float32Array {
  return value instanceof Float32Array && value.length > 0 && value.length <= 65536 && value.every((p) => p >= 0 && p <= 1);
}

function parseDataset(value: unknown): RequestDataset | null {
  if (!isRecord(value) || typeof value.dir !== 'string' || value.dir === '' || typeof value.name !== 'string' || typeof value.id !== 'string') return null;
  return { dir: value.dir, name: value.name, id: value.id };
}

/** Checks weights arriving over the process boundary: chained layers, Float32Arrays of the right lengths. */
export function parseWeights(value: unknown): NetworkWeights | string {
  if (!Array.isArray(value) || value.length === 0) return 'weights must be a non-empty list of layers';
  const layers: NetworkWeights = [];
  for (const [i, layer] of value.entries()) {
    if (!isRecord(layer)) return `layer ${i + 1} is not an object`;
    const { inputs, outputs, weights, biases } = layer;
    if (!Number.isInteger(inputs) || !Number.isInteger(outputs) || (inputs as number) < 1 || (outputs as number) < 1) return `layer ${i + 1} needs whole inputs and outputs`;
    if (!(weights instanceof Float32Array) || weights.length !== (inputs as number) * (outputs as number)) return `layer ${i + 1} needs ${String(inputs)}×${String(outputs)} weights as a Float32Array`;
    if (!(biases instanceof Float32Array) || biases.length !== outputs) return `layer ${i + 1} needs ${String(outputs)} biases as a Float32Array`;
    if (i > 0 && layers[i - 1].outputs !== inputs) return `layer ${i + 1} has ${String(inputs)} inputs but layer ${i} has ${layers[i - 1].outputs} outputs`;
    layers.push({ inputs: inputs as number, outputs: outputs as number, weights, biases });
  }
  return layers;
}

/** Checks a whole model (config, weights that fit it, history) from the other process. */
export function parseCurrentModel(value: unknown): Parsed<CurrentModel> {
  if (!isRecord(value)) return { ok: false, message: 'a model must be an object' };
  if (value.source !== 'training' && value.source !== 'library') return { ok: false, message: 'a model needs a source, "training" or "library"' };
  if (value.name !== null && typeof value.name !== 'string') return { ok: false, message: 'a model name must be text or null' };
  const check = validateRunConfig(value.config);
  if (!check.ok) return { ok: false, message: `invalid run configuration: ${describeProblems(check.problems)}` };
  const weights = parseWeights(value.weights);
  if (typeof weights === 'string') return { ok: false, message: weights };
  const widths = [weights[0].inputs, ...weights.map((w) => w.outputs)];
  if (widths.join(',') !== check.config.layers.join(',')) return { ok: false, message: `the weights are ${widths.join('→')} but the configuration says ${check.config.layers.join('→')}` };
  if (!Array.isArray(value.history) || !value.history.every((m) => isRecord(m) && Number.isInteger(m.epoch))) return { ok: false, message: 'a model history must be a list of epoch metrics' };
  const d = value.dataset;
  if (!isRecord(d) || typeof d.name !== 'string' || !['rows', 'cols', 'classes', 'trainCount', 'testCount'].every((k) => Number.isInteger(d[k]))) {
    return { ok: false, message: 'a model needs its dataset: name, rows, cols, classes, trainCount, testCount' };
  }
  const dataset = { name: d.name, rows: d.rows as number, cols: d.cols as number, classes: d.classes as number, trainCount: d.trainCount as number, testCount: d.testCount as number };
  return { ok: true, value: { source: value.source, name: value.name, config: check.config, weights, history: value.history as EpochMetrics[], dataset } };
}

/** Checks a `request` command's body. */
export function parseEngineRequest(value: unknown): Parsed<EngineRequest> {
  if (!isRecord(value) || typeof value.kind !== 'string') return { ok: false, message: 'A request needs a string "kind".' };
  switch (value.kind) {
    case 'current-model':
      return { ok: true, value: { kind: value.kind } };
    case 'activations':
    case 'evaluate': {
      const dataset = parseDataset(value.dataset);
      if (dataset === null) return { ok: false, message: `Request "${value.kind}" needs a dataset with a folder (dir), a name and an id.` };
      return { ok: true, value: { kind: value.kind, dataset } };
    }
    case 'predict':
    case 'hidden-outputs': {
      const pixels = value.pixels;
      if (!isImagePixels(pixels)) return { ok: false, message: `Request "${value.kind}" needs pixels: a Float32Array of grey levels from 0 to 1.` };
      return { ok: true, value: { kind: value.kind, pixels } };
    }
    case 'load-model': {
      const model = parseCurrentModel(value.model);
      if (!model.ok) return { ok: false, message: `Request "load-model": ${model.message}.` };
      return { ok: true, value: { kind: 'load-model', model: model.value } };
    }
    default:
      return { ok: false, message: `Unknown request kind "${value.kind}".` };
  }
}

/** The parts of a `request` command: its id and its body. */
export function parseRequestCommand(value: Record<string, unknown>): Parsed<{ type: 'request'; requestId: number; request: EngineRequest }> {
  if (!isRequestId(value.requestId)) return { ok: false, message: 'Command "request" needs a whole, non-negative requestId.' };
  const request = parseEngineRequest(value.request);
  if (!request.ok) return request;
  return { ok: true, value: { type: 'request', requestId: value.requestId, request: request.value } };
}

function parseReplyValue(value: unknown): Parsed<EngineReplyValue> {
  const bad = (what: string): Parsed<EngineReplyValue> => ({ ok: false, message: `The engine's ${what} reply is malformed.` });
  if (!isRecord(value) || typeof value.kind !== 'string') return bad('untyped');
  switch (value.kind) {
    case 'current-model': {
      if (value.model === null) return { ok: true, value: { kind: 'current-model', model: null } };
      const model = parseCurrentModel(value.model);
      return model.ok ? { ok: true, value: { kind: 'current-model', model: model.value } } : { ok: false, message: `The engine's model is malformed: ${model.message}.` };
    }
    case 'activations':
      if (!Number.isInteger(value.batch) || !Array.isArray(value.layers) || !value.layers.every((l) => isRecord(l) && isFiniteNumberArray(l.counts))) return bad('activations');
      return { ok: true, value: { kind: 'activations', batch: value.batch as number, layers: value.layers as LayerActivationStats[] } };
    case 'evaluate': {
      const r = value.report;
      if (
        !isRecord(r) ||
        !Number.isInteger(r.count) ||
        !Number.isInteger(r.classes) ||
        !(r.labels instanceof Uint8Array) ||
        !(r.predictions instanceof Uint8Array) ||
        !(r.probabilities instanceof Float32Array) ||
        r.labels.length !== r.count ||
        r.predictions.length !== r.count ||
        r.probabilities.length !== (r.count as number) * (r.classes as number) ||
        !Array.isArray(r.confusion) ||
        !r.confusion.every(isFiniteNumberArray)
      ) {
        return bad('evaluation');
      }
      return { ok: true, value: { kind: 'evaluate', report: r as unknown as EvaluationReport } };
    }
    case 'predict':
      return isFiniteNumberArray(value.probabilities) ? { ok: true, value: { kind: 'predict', probabilities: value.probabilities } } : bad('prediction');
    case 'hidden-outputs':
      if (!Array.isArray(value.layers) || !value.layers.every((l) => l instanceof Float32Array) || !isFiniteNumberArray(value.probabilities)) return bad('hidden outputs');
      return { ok: true, value: { kind: 'hidden-outputs', layers: value.layers as Float32Array[], probabilities: value.probabilities } };
    case 'load-model':
      return { ok: true, value: { kind: 'load-model' } };
    default:
      return bad(`"${value.kind}"`);
  }
}

/** Checks a `reply` event from the worker. */
export function parseEngineReply(value: Record<string, unknown>): Parsed<EngineReply> {
  if (!isRequestId(value.requestId)) return { ok: false, message: 'An engine reply has no request id.' };
  const requestId = value.requestId;
  if (value.ok === false) {
    return typeof value.message === 'string' ? { ok: true, value: { type: 'reply', requestId, ok: false, message: value.message } } : { ok: false, message: 'An engine refusal has no message.' };
  }
  if (value.ok !== true) return { ok: false, message: 'An engine reply must say ok: true or false.' };
  const parsed = parseReplyValue(value.value);
  if (!parsed.ok) return parsed;
  return { ok: true, value: { type: 'reply', requestId, ok: true, value: parsed.value } };
}
