/**
 * The run configuration: everything that decides how a network is built and trained. The CLI, the
 * app's form, the worker protocol and the model file header all use this one shape, and every
 * receiver validates it with `validateRunConfig` before acting on it.
 */
import { ACTIVATIONS, type ActivationName } from '../nn/activation';
import { INITIALISERS, type InitName } from '../nn/init';
import { OPTIMIZERS, type OptimizerName } from '../nn/optimizers';

// The names of each building block live with the block; the run configuration speaks them.
export { ACTIVATIONS, INITIALISERS, OPTIMIZERS, type ActivationName, type InitName, type OptimizerName };

export interface RunConfig {
  /** Layer widths from input to output, e.g. [784, 128, 64, 10]. */
  layers: number[];
  /** Activation after every hidden layer; the output layer feeds softmax. */
  activation: ActivationName;
  /** How weights start; biases always start at zero. */
  init: InitName;
  optimizer: OptimizerName;
  /** Step size η. */
  learningRate: number;
  /** Momentum coefficient μ (used by `momentum`); Adam uses β₁ = 0.9, β₂ = 0.999 instead. */
  momentum: number;
  /** L2 weight decay λ added to the weight gradients (not the biases); 0 turns it off. */
  weightDecay: number;
  /** Images per minibatch. */
  batchSize: number;
  /** Passes over the training set. */
  epochs: number;
  /** Reshuffle the training order at the start of every epoch (the blog did not). */
  shuffle: boolean;
  /** Seeds weights and shuffling: the same seed gives bit-identical weights. */
  seed: number;
}

/** `fast` is also the benchmark's time-to-accuracy run (`npm run bench -- --time-to 0.98`). */
export const PRESET_NAMES = ['default', 'fast', 'notebook', 'blog'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Hints shown beside each preset, so a student knows what it reproduces. */
export const PRESET_DESCRIPTIONS: Record<PresetName, string> = {
  default: 'A good start: 784-256-128-10, ReLU, He init, Adam lr 0.001, batch 64, shuffled (≈98 % in 5 epochs).',
  notebook: "The course notebook: 784-100-200-10, ReLU, N(0,1)·0.01 init, SGD lr 0.1, batch 8.",
  blog: "The course blog: 784-128-64-10, ReLU, U(±1/√784) init, SGD lr 0.01, batch 64, no shuffle.",
  fast: 'Fastest to 98 %: 784-256-10, ReLU, He init, Adam lr 0.001, batch 64, shuffled (98 % in about 6 epochs, a few seconds).',
};

export const PRESETS: Record<PresetName, RunConfig> = {
  default: {
    layers: [784, 256, 128, 10],
    activation: 'relu',
    init: 'he',
    optimizer: 'adam',
    learningRate: 0.001,
    momentum: 0.9,
    weightDecay: 0,
    batchSize: 64,
    epochs: 5,
    shuffle: true,
    seed: 1,
  },
  notebook: {
    layers: [784, 100, 200, 10],
    activation: 'relu',
    init: 'normal-0.01',
    optimizer: 'sgd',
    learningRate: 0.1,
    momentum: 0.9,
    weightDecay: 0,
    batchSize: 8,
    epochs: 5,
    shuffle: true,
    seed: 42,
  },
  blog: {
    layers: [784, 128, 64, 10],
    activation: 'relu',
    init: 'uniform-course',
    optimizer: 'sgd',
    learningRate: 0.01,
    momentum: 0.9,
    weightDecay: 0,
    batchSize: 64,
    epochs: 5,
    shuffle: false,
    seed: 42,
  },
  fast: {
    layers: [784, 256, 10],
    activation: 'relu',
    init: 'he',
    optimizer: 'adam',
    learningRate: 0.001,
    momentum: 0.9,
    weightDecay: 0,
    batchSize: 64,
    epochs: 20,
    shuffle: true,
    seed: 1,
  },
};

/** The initialiser that suits an activation: He for ReLU, Xavier (Glorot) for sigmoid and tanh. */
export function defaultInitFor(activation: ActivationName): InitName {
  return activation === 'relu' ? 'he' : 'xavier';
}

/** One problem with one field, phrased so a student can fix it. */
export interface ConfigProblem {
  field: keyof RunConfig;
  message: string;
}

export type ConfigCheck = { ok: true; config: RunConfig } | { ok: false; problems: ConfigProblem[] };

/** Upper bounds that keep a run within a classroom machine's memory and patience. */
export const LIMITS = {
  maxLayers: 12,
  maxWidth: 4096,
  maxBatchSize: 4096,
  maxEpochs: 1000,
} as const;

/**
 * Checks an untrusted value (from the CLI, the renderer or a file) field by field and returns either
 * a clean copy or every problem found, each with a message that says what to do.
 */
export function validateRunConfig(value: unknown): ConfigCheck {
  const problems: ConfigProblem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: [{ field: 'layers', message: 'The run configuration must be an object.' }] };
  }
  const v = value as Record<string, unknown>;
  const problem = (field: keyof RunConfig, message: string): void => {
    problems.push({ field, message });
  };

  const layers = v.layers;
  if (!Array.isArray(layers) || layers.length < 2) {
    problem('layers', 'Layers must list at least an input and an output width, e.g. 784,128,10.');
  } else if (layers.length > LIMITS.maxLayers) {
    problem('layers', `At most ${LIMITS.maxLayers} layer widths are allowed; got ${layers.length}.`);
  } else {
    layers.forEach((width, i) => {
      if (!Number.isInteger(width) || (width as number) < 1 || (width as number) > LIMITS.maxWidth) {
        problem('layers', `Layer ${i + 1} width must be a whole number from 1 to ${LIMITS.maxWidth}; got ${String(width)}.`);
      }
    });
    if ((layers[layers.length - 1] as number) < 2 && Number.isInteger(layers[layers.length - 1])) {
      problem('layers', 'The output layer needs at least 2 units (one per class).');
    }
  }

  checkChoice(v.activation, ACTIVATIONS, 'activation', problem);
  checkChoice(v.init, INITIALISERS, 'init', problem);
  checkChoice(v.optimizer, OPTIMIZERS, 'optimizer', problem);
  checkNumber(v.learningRate, 'learningRate', 'Learning rate', { min: 0, minExclusive: true, max: 1e6 }, problem);
  checkNumber(v.momentum, 'momentum', 'Momentum', { min: 0, max: 0.999999 }, problem);
  checkNumber(v.weightDecay, 'weightDecay', 'Weight decay', { min: 0, max: 10 }, problem);
  checkNumber(v.batchSize, 'batchSize', 'Batch size', { min: 1, max: LIMITS.maxBatchSize, integer: true }, problem);
  checkNumber(v.epochs, 'epochs', 'Epochs', { min: 1, max: LIMITS.maxEpochs, integer: true }, problem);
  checkNumber(v.seed, 'seed', 'Seed', { min: 0, max: 2 ** 32 - 1, integer: true }, problem);
  if (typeof v.shuffle !== 'boolean') problem('shuffle', 'Shuffle must be on or off (true or false).');

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      layers: [...(layers as number[])],
      activation: v.activation as ActivationName,
      init: v.init as InitName,
      optimizer: v.optimizer as OptimizerName,
      learningRate: v.learningRate as number,
      momentum: v.momentum as number,
      weightDecay: v.weightDecay as number,
      batchSize: v.batchSize as number,
      epochs: v.epochs as number,
      shuffle: v.shuffle as boolean,
      seed: v.seed as number,
    },
  };
}

/** One line per problem, for a terminal or an error dialog. */
export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => p.message).join('\n');
}

function checkChoice(
  value: unknown,
  choices: readonly string[],
  field: keyof RunConfig,
  problem: (field: keyof RunConfig, message: string) => void,
): void {
  if (typeof value !== 'string' || !choices.includes(value)) {
    problem(field, `${capitalise(field)} must be one of ${choices.join(', ')}; got ${describeValue(value)}.`);
  }
}

interface NumberRule {
  min: number;
  max: number;
  minExclusive?: boolean;
  integer?: boolean;
}

function checkNumber(
  value: unknown,
  field: keyof RunConfig,
  label: string,
  rule: NumberRule,
  problem: (field: keyof RunConfig, message: string) => void,
): void {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const range = rule.minExclusive ? `${kind} above ${rule.min} and at most ${rule.max}` : `${kind} from ${rule.min} to ${rule.max}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problem(field, `${label} must be ${range}; got ${describeValue(value)}.`);
    return;
  }
  const tooLow = rule.minExclusive ? value <= rule.min : value < rule.min;
  if (tooLow || value > rule.max || (rule.integer && !Number.isInteger(value))) {
    problem(field, `${label} must be ${range}; got ${value}.`);
  }
}

/**
 * A value from an untrusted request, shown in a message: at most 40 characters, and cheap and safe
 * whatever it is (a huge string or list, a cycle, a BigInt), where `JSON.stringify` could throw or
 * copy megabytes.
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value.slice(0, 41));
  else if (Array.isArray(value)) {
    text = value.length <= 12 && value.every((v) => typeof v === 'number') ? JSON.stringify(value) : `a list of ${value.length} values`;
  } else if (typeof value === 'object' && value !== null) text = 'an object';
  else if (value === undefined) text = 'nothing';
  else text = String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
