import { UsageError, numberOption, stringOption, type ParsedArgs } from './args';
import {
  PRESETS,
  PRESET_NAMES,
  defaultInitFor,
  describeProblems,
  validateRunConfig,
  type PresetName,
  type RunConfig,
} from '../engine/training/run-config';

/** The options `train` understands that take a value. */
export const TRAIN_VALUED = ['data', 'preset', 'layers', 'activation', 'init', 'optimizer', 'lr', 'momentum', 'weight-decay', 'batch', 'epochs', 'seed', 'out', 'kernel', 'threads'];
/** The on/off options of `train`. */
export const TRAIN_FLAGS = ['shuffle', 'json'];

/**
 * A run configuration from a preset (the default one unless --preset says otherwise) with the
 * options laid over it. Choosing an activation without an initialiser picks the one that suits it
 * (He for ReLU, Xavier for sigmoid and tanh). Anything invalid is a usage error listing every problem.
 */
export function runConfigFromArgs(options: ParsedArgs['options']): RunConfig {
  const presetName = stringOption(options, 'preset') ?? 'default';
  if (!(PRESET_NAMES as readonly string[]).includes(presetName)) {
    throw new UsageError(`Unknown preset "${presetName}"; choose one of ${PRESET_NAMES.join(', ')}.`);
  }
  const base = PRESETS[presetName as PresetName];
  const candidate: Record<string, unknown> = { ...base, layers: [...base.layers] };
  const layers = stringOption(options, 'layers');
  if (layers !== undefined) candidate.layers = layers.split(',').map((w) => (w.trim() === '' ? Number.NaN : Number(w)));
  const activation = stringOption(options, 'activation');
  if (activation !== undefined) {
    candidate.activation = activation;
    if (!options.has('init') && (activation === 'relu' || activation === 'sigmoid' || activation === 'tanh')) {
      candidate.init = defaultInitFor(activation);
    }
  }
  setIfGiven(candidate, 'init', stringOption(options, 'init'));
  setIfGiven(candidate, 'optimizer', stringOption(options, 'optimizer'));
  setIfGiven(candidate, 'learningRate', numberOption(options, 'lr'));
  setIfGiven(candidate, 'momentum', numberOption(options, 'momentum'));
  setIfGiven(candidate, 'weightDecay', numberOption(options, 'weight-decay'));
  setIfGiven(candidate, 'batchSize', numberOption(options, 'batch'));
  setIfGiven(candidate, 'epochs', numberOption(options, 'epochs'));
  setIfGiven(candidate, 'seed', numberOption(options, 'seed'));
  const shuffle = options.get('shuffle');
  if (typeof shuffle === 'boolean') candidate.shuffle = shuffle;

  const check = validateRunConfig(candidate);
  if (!check.ok) throw new UsageError(describeProblems(check.problems).replace(/\n/g, ' '));
  return check.config;
}

function setIfGiven(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
