/**
 * A hyperparameter study: one base run configuration and the settings to vary. The grid is the
 * product of every list of values; each run differs from the base only in the varied settings, so
 * (with the seed feeding weights and shuffle order separately) runs that vary the batch size,
 * learning rate, optimiser or activation start from the same weights and see the same images.
 */
import {
  LIMITS,
  PRESETS,
  describeProblems,
  describeValue,
  validateRunConfig,
  type ActivationName,
  type InitName,
  type OptimizerName,
  type RunConfig,
} from '../engine/training/run-config';

/** The settings a study can vary, named as in RunConfig; `hidden` is the hidden widths. */
export const VARIATION_KEYS = ['batchSize', 'learningRate', 'activation', 'init', 'optimizer', 'hidden'] as const;
export type VariationKey = (typeof VARIATION_KEYS)[number];

/** The type of one value of each key; `hidden` [128, 64] means layers [in, 128, 64, out]. */
export interface VariationValues {
  batchSize: number;
  learningRate: number;
  activation: ActivationName;
  init: InitName;
  optimizer: OptimizerName;
  hidden: readonly number[];
}

/** One setting and the values it takes, in the order the runs should use them. */
export type Variation = { [K in VariationKey]: { key: K; values: readonly VariationValues[K][] } }[VariationKey];

/** One run of a study. */
export interface StudyRun {
  /** 0-based position in the study; users see it as run index + 1. */
  index: number;
  /** The varied settings, e.g. "batchSize=16, learningRate=0.1". */
  label: string;
  config: RunConfig;
}

/** A study whose runs or variations are not usable; the message names the bad value. */
export class StudyError extends Error {
  override name = 'StudyError';
}

/** How a value reads in a label or a CSV cell: hidden widths as "128x64", numbers as written. */
export function formatVariationValue(key: VariationKey, value: VariationValues[VariationKey]): string {
  return key === 'hidden' ? (value as readonly number[]).join('x') : String(value);
}

/** The base configuration with one setting changed; `hidden` keeps the base's input and output widths. */
function applyValue(config: RunConfig, key: VariationKey, value: VariationValues[VariationKey]): RunConfig {
  if (key === 'hidden') {
    const layers = config.layers;
    return { ...config, layers: [layers[0], ...(value as readonly number[]), layers[layers.length - 1]] };
  }
  return { ...config, [key]: value };
}

/**
 * Bounds on a study, checked on the raw request before anything is expanded, so an oversized or
 * malformed request costs nothing: three lists of 60 values would otherwise be 216 000 runs.
 */
export const STUDY_LIMITS = {
  /** Runs in one study, every grid together: a few hundred runs are already days of training. */
  maxRuns: 300,
  /** Values in one list. */
  maxValues: 64,
  /** Grids in one study (the blog's study has three). */
  maxGrids: 16,
  /** Characters in one word value (an activation, initialiser or optimiser name). */
  maxWordLength: 40,
} as const;

/** Checks each variation's shape, size and values against the base, expanding nothing. */
function checkVariations(base: RunConfig, variations: readonly Variation[]): void {
  if (!Array.isArray(variations)) throw new StudyError('Each grid is a list of variations (a key and a list of values).');
  if (variations.length > VARIATION_KEYS.length) throw new StudyError(`A grid varies at most ${VARIATION_KEYS.length} settings, one list each.`);
  const seen = new Set<VariationKey>();
  for (const variation of variations as readonly unknown[]) {
    if (typeof variation !== 'object' || variation === null) throw new StudyError('Each variation is a key and a list of values.');
    const { key, values } = variation as Record<string, unknown>;
    if (typeof key !== 'string' || !(VARIATION_KEYS as readonly string[]).includes(key)) {
      throw new StudyError(`Cannot vary ${describeValue(key)}; choose from ${VARIATION_KEYS.join(', ')}.`);
    }
    const name = key as VariationKey;
    if (seen.has(name)) throw new StudyError(`${name} is varied twice; give all its values in one list.`);
    seen.add(name);
    if (!Array.isArray(values) || values.length === 0) throw new StudyError(`${name} needs at least one value.`);
    if (values.length > STUDY_LIMITS.maxValues) {
      throw new StudyError(`${name} lists ${values.length} values; a study varies a setting over at most ${STUDY_LIMITS.maxValues}.`);
    }
    for (const value of values) checkValueShape(name, value);
    const texts = values.map((value) => formatVariationValue(name, value as VariationValues[VariationKey]));
    const twice = texts.find((text, i) => texts.indexOf(text) !== i);
    if (twice !== undefined) throw new StudyError(`${name} lists ${twice} twice.`);
    // Each value on the base alone: an invalid one is refused here, before the grid multiplies it.
    for (const [i, value] of values.entries()) {
      const check = validateRunConfig(applyValue(base, name, value as VariationValues[VariationKey]));
      if (!check.ok) throw new StudyError(`${name}=${texts[i]}: ${describeProblems(check.problems).replace(/\n/g, ' ')}`);
    }
  }
}

/** Refuses a value of the wrong type or size for its key, before it is formatted or applied. */
function checkValueShape(key: VariationKey, value: unknown): void {
  if (key === 'hidden') {
    const maxHidden = LIMITS.maxLayers - 2;
    if (!Array.isArray(value) || value.length === 0 || value.length > maxHidden || !value.every((w) => typeof w === 'number')) {
      throw new StudyError(`Each hidden value is a list of 1 to ${maxHidden} widths, e.g. 128x64; got ${describeValue(value)}.`);
    }
  } else if (key === 'batchSize' || key === 'learningRate') {
    if (typeof value !== 'number') throw new StudyError(`Each ${key} value must be a number; got ${describeValue(value)}.`);
  } else if (typeof value !== 'string' || value.length > STUDY_LIMITS.maxWordLength) {
    throw new StudyError(`Each ${key} value must be a name of at most ${STUDY_LIMITS.maxWordLength} letters; got ${describeValue(value)}.`);
  }
}

/** Refuses grids whose runs together pass the limit, counting them without expanding any. */
function checkGridSizes(base: RunConfig, grids: readonly (readonly Variation[])[]): void {
  if (!Array.isArray(grids)) throw new StudyError('A study is a list of grids.');
  if (grids.length > STUDY_LIMITS.maxGrids) throw new StudyError(`A study has at most ${STUDY_LIMITS.maxGrids} grids; this one has ${grids.length}.`);
  let runs = 0;
  for (const grid of grids) {
    checkVariations(base, grid);
    runs += grid.reduce((product: number, variation: Variation) => product * variation.values.length, 1);
  }
  if (runs > STUDY_LIMITS.maxRuns) {
    throw new StudyError(`This study would train ${runs} runs; a study may have at most ${STUDY_LIMITS.maxRuns}. Vary fewer settings or give fewer values.`);
  }
}

/** A run before numbering: its label's parts ("batchSize=16", …) and its validated configuration. */
interface LabelledConfig {
  parts: string[];
  config: RunConfig;
}

/** The grid's runs, labelled and validated; its variations must already be checked (`checkGridSizes`). */
function gridConfigs(base: RunConfig, variations: readonly Variation[]): LabelledConfig[] {
  let runs: LabelledConfig[] = [{ parts: [], config: base }];
  for (const variation of variations) {
    runs = runs.flatMap((run) =>
      variation.values.map((value) => ({
        parts: [...run.parts, `${variation.key}=${formatVariationValue(variation.key, value)}`],
        config: applyValue(run.config, variation.key, value),
      })),
    );
  }
  return runs.map(({ parts, config }) => {
    const check = validateRunConfig(config);
    if (!check.ok) throw new StudyError(`${labelOf(parts)}: ${describeProblems(check.problems).replace(/\n/g, ' ')}`);
    return { parts, config: check.config };
  });
}

function labelOf(parts: readonly string[]): string {
  return parts.length > 0 ? parts.join(', ') : 'base';
}

/**
 * The runs of a grid: the product of every variation's values, the first variation outermost and
 * the last innermost (as nested loops), each validated. A value that makes an invalid configuration
 * is refused with the run's label and the problem, e.g. `learningRate=-1: Learning rate must be …`.
 * No variations gives the base alone.
 */
export function expandStudy(base: RunConfig, variations: readonly Variation[]): StudyRun[] {
  checkGridSizes(base, [variations]);
  return gridConfigs(base, variations).map((run, index) => ({ index, label: labelOf(run.parts), config: run.config }));
}

/**
 * Several grids on one base, run as one study: the blog's one-setting-at-a-time sweeps are three
 * grids of one variation each. A configuration that more than one grid produces runs once, at its
 * first position, and its label joins what each grid called it ("batchSize=64, learningRate=0.01");
 * the engine is deterministic, so running it again would only repeat the same numbers.
 */
export function expandStudyGrids(base: RunConfig, grids: readonly (readonly Variation[])[]): StudyRun[] {
  checkGridSizes(base, grids);
  const runs: LabelledConfig[] = [];
  const byConfig = new Map<string, LabelledConfig>();
  for (const run of grids.flatMap((grid) => gridConfigs(base, grid))) {
    const key = JSON.stringify(run.config);
    const earlier = byConfig.get(key);
    if (earlier === undefined) {
      byConfig.set(key, run);
      runs.push(run);
    } else {
      for (const part of run.parts) if (!earlier.parts.includes(part)) earlier.parts.push(part);
    }
  }
  return runs.map((run, index) => ({ index, label: labelOf(run.parts), config: run.config }));
}

/** Every key a set of grids varies, in the order they first appear (the CSV's and the table's columns). */
export function variedKeys(grids: readonly (readonly Variation[])[]): VariationKey[] {
  return [...new Set(grids.flatMap((grid) => grid.map((v) => v.key)))];
}

/** The value a run has for a varied key, as shown in labels and CSV cells. */
export function runValue(config: RunConfig, key: VariationKey): string {
  return key === 'hidden' ? formatVariationValue(key, config.layers.slice(1, -1)) : formatVariationValue(key, config[key]);
}

/** A named study: a base and the grids to run on it. */
export interface StudyPreset {
  name: string;
  description: string;
  base: RunConfig;
  grids: readonly (readonly Variation[])[];
}

/**
 * The course blog's study: on the blog preset's network (784-128-64-10, ReLU, U(±1/√784), SGD,
 * no shuffle), batch size 16/32/64/128 at lr 0.01, then learning rate 0.1/0.01/0.001/0.0001 at batch
 * 64, then ReLU/sigmoid/tanh at batch 64 and lr 0.01 — three sweeps of one setting each, not a grid.
 * The blog trained its baseline (batch 64, lr 0.01, ReLU) three times, once per sweep, from fresh
 * unseeded weights each time; here every run shares one seed, so the baseline is one run and
 * `expandStudyGrids` gives nine runs for the blog's eleven plots.
 */
export const BLOG_STUDY: StudyPreset = {
  name: 'blog-study',
  description: "The course blog's eleven runs: batch 16/32/64/128, lr 0.1/0.01/0.001/0.0001, ReLU/sigmoid/tanh (nine trainings: the shared baseline trains once).",
  base: PRESETS.blog,
  grids: [
    [{ key: 'batchSize', values: [16, 32, 64, 128] }],
    [{ key: 'learningRate', values: [0.1, 0.01, 0.001, 0.0001] }],
    [{ key: 'activation', values: ['relu', 'sigmoid', 'tanh'] }],
  ],
};

/** The outcome of a run as far as the results table is concerned. */
export type StudyRunStatus = 'queued' | 'running' | 'completed' | 'diverged' | 'failed' | 'cancelled';

/** One row of a study's results table. */
export interface StudyRunResult extends StudyRun {
  status: StudyRunStatus;
  /** Test accuracy after the last epoch trained (for a diverged run, the last good epoch). */
  finalTestAccuracy: number | null;
  /** The 1-based epoch with the highest test accuracy, and that accuracy. */
  bestEpoch: number | null;
  bestTestAccuracy: number | null;
  /** Mean train loss of the last epoch trained. */
  finalTrainLoss: number | null;
  /** Wall-clock seconds from the run's start (engine start-up included) to its end. */
  seconds: number | null;
  /** Wall-clock seconds from the run's start to the first epoch whose test accuracy reached the target. */
  secondsToTarget: number | null;
}

export interface StudyCsvOptions {
  /** The varied keys, one column each (see `variedKeys`). */
  keys: readonly VariationKey[];
  /** The accuracy `secondsToTarget` was measured against, named in its column header. */
  targetAccuracy: number;
}

/**
 * The results as RFC 4180 CSV: a header, then one row per run in the order given, CRLF line
 * endings; a field with a comma, a quote or a line break is quoted, quotes doubled. Missing numbers
 * (a run that never finished an epoch) are empty fields.
 */
export function studyResultsToCsv(results: readonly StudyRunResult[], options: StudyCsvOptions): string {
  const header = [
    'run',
    'label',
    ...options.keys,
    'finalTestAccuracy',
    'bestEpoch',
    'bestTestAccuracy',
    'finalTrainLoss',
    'wallSeconds',
    `secondsToAccuracy${options.targetAccuracy}`,
    'status',
  ];
  const rows = results.map((r) => [
    String(r.index + 1),
    r.label,
    ...options.keys.map((key) => runValue(r.config, key)),
    numberField(r.finalTestAccuracy),
    numberField(r.bestEpoch),
    numberField(r.bestTestAccuracy),
    numberField(r.finalTrainLoss),
    numberField(r.seconds),
    numberField(r.secondsToTarget),
    r.status,
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function numberField(value: number | null): string {
  return value === null ? '' : String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
