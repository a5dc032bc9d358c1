/**
 * The JSON header of a model file (see model-file.ts), from bytes to a checked `ModelHeader`: the
 * rules every reader applies, whether it reads the whole file or only its header.
 */
import type { EpochMetrics } from '../training/events';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type LayerShape, type ModelDatasetInfo, type ModelHeader } from './model-header';
import { describeProblems, validateRunConfig } from '../training/run-config';

export type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseJson(bytes: Uint8Array): Parsed {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'it is not valid UTF-8 text' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** The header's `config.layers` if it is an array of numbers, so layer shapes can be compared with it. */
export function configLayers(header: Record<string, unknown>): number[] | undefined {
  const layers = isRecord(header.config) ? header.config.layers : undefined;
  return Array.isArray(layers) && layers.every((w) => typeof w === 'number') ? (layers as number[]) : undefined;
}

/**
 * The layer shapes if they are well-formed, chain, and agree with the config's widths (when
 * given); otherwise a sentence saying what is wrong.
 */
export function checkLayers(value: unknown, widths: readonly number[] | undefined): LayerShape[] | string {
  if (!Array.isArray(value) || value.length === 0) return 'its list of layers is missing or empty';
  const layers: LayerShape[] = [];
  for (const [i, layer] of value.entries()) {
    if (!isRecord(layer) || !isCount(layer.inputs, 1) || !isCount(layer.outputs, 1)) {
      return `layer ${i + 1} needs whole-number inputs and outputs of at least 1, but is ${JSON.stringify(layer)}`;
    }
    layers.push({ inputs: layer.inputs, outputs: layer.outputs });
  }
  for (let i = 0; i + 1 < layers.length; i++) {
    if (layers[i].outputs !== layers[i + 1].inputs) {
      return `layer ${i + 1} gives ${layers[i].outputs} outputs but layer ${i + 2} takes ${layers[i + 1].inputs} inputs, so the layer shapes don't chain`;
    }
  }
  if (widths !== undefined) {
    const shapes = [layers[0].inputs, ...layers.map((l) => l.outputs)];
    if (shapes.length !== widths.length || shapes.some((w, i) => w !== widths[i])) {
      return `the layer shapes (${shapes.join('-')}) disagree with the run configuration's layers (${widths.join('-')})`;
    }
  }
  return layers;
}

/** Builds a clean `ModelHeader` from parsed JSON, or calls `fail` with the first problem. */
export function readHeader(value: unknown, fail: (problem: string) => never): ModelHeader {
  if (!isRecord(value)) return fail('it is not a JSON object');
  if (value.format !== MODEL_FORMAT) fail(`its format is ${JSON.stringify(value.format)}, not "${MODEL_FORMAT}"`);
  if (value.formatVersion !== MODEL_FORMAT_VERSION) fail(`its format version is ${JSON.stringify(value.formatVersion)}, not a known version`);
  const check = validateRunConfig(value.config);
  if (!check.ok) return fail(`its run configuration is invalid (${describeProblems(check.problems).replace(/\n/g, ' ')})`);
  const layers = checkLayers(value.layers, check.config.layers);
  if (typeof layers === 'string') return fail(layers);
  const createdAt = typeof value.createdAt === 'string' ? value.createdAt : fail('its creation time (createdAt) is missing');
  const appVersion = typeof value.appVersion === 'string' ? value.appVersion : fail('its app version (appVersion) is missing');
  const history = Array.isArray(value.history) ? value.history : fail('its training history is missing');
  const header: ModelHeader = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    createdAt,
    appVersion,
    config: check.config,
    layers,
    dataset: readDatasetInfo(value.dataset, fail),
    history: history.map((entry: unknown, i) => readMetrics(entry, i, fail)),
  };
  if (value.name !== undefined) header.name = typeof value.name === 'string' ? value.name : fail('its name is not text');
  if (value.testAccuracy !== undefined) {
    header.testAccuracy = isMetric(value.testAccuracy) ? metric(value.testAccuracy) : fail('its test accuracy is not a number');
  }
  return header;
}

function readDatasetInfo(value: unknown, fail: (problem: string) => never): ModelDatasetInfo {
  if (!isRecord(value) || typeof value.name !== 'string') return fail('its dataset description is missing');
  const count = (key: string): number =>
    isCount(value[key], 0) ? value[key] : fail(`its dataset's ${key} is ${JSON.stringify(value[key])}, not a whole number`);
  return {
    name: value.name,
    rows: count('rows'),
    cols: count('cols'),
    classes: count('classes'),
    trainCount: count('trainCount'),
    testCount: count('testCount'),
  };
}

function readMetrics(value: unknown, index: number, fail: (problem: string) => never): EpochMetrics {
  if (!isRecord(value)) return fail(`entry ${index + 1} of its training history is not an object`);
  const get = (key: string): number =>
    isMetric(value[key]) ? metric(value[key]) : fail(`entry ${index + 1} of its training history has no number for ${key}`);
  return {
    epoch: get('epoch'),
    trainLoss: get('trainLoss'),
    trainAccuracy: get('trainAccuracy'),
    testLoss: get('testLoss'),
    testAccuracy: get('testAccuracy'),
    seconds: get('seconds'),
    samplesPerSecond: get('samplesPerSecond'),
  };
}

/** Only the metric fields: an `EpochEvent` passed in keeps its `type` out of the file. */
export function copyMetrics(m: EpochMetrics): EpochMetrics {
  return {
    epoch: m.epoch,
    trainLoss: m.trainLoss,
    trainAccuracy: m.trainAccuracy,
    testLoss: m.testLoss,
    testAccuracy: m.testAccuracy,
    seconds: m.seconds,
    samplesPerSecond: m.samplesPerSecond,
  };
}

export function parameterCount(layers: readonly LayerShape[]): number {
  return layers.reduce((sum, { inputs, outputs }) => sum + inputs * outputs + outputs, 0);
}

export function align4(n: number): number {
  // Arithmetic, not a bit mask: a corrupt header length can pass 2³¹.
  return Math.ceil(n / 4) * 4;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown, min: number): value is number {
  return Number.isInteger(value) && (value as number) >= min;
}

/** A stored metric: a number, or null where a non-finite number was written. */
function isMetric(value: unknown): value is number | null {
  return typeof value === 'number' || value === null;
}

function metric(value: number | null): number {
  return value === null ? Number.NaN : value;
}
