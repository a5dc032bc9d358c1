import { availableParallelism } from 'node:os';
import { UsageError, numberOption, parseArgs, shorten, stringOption, type ParsedArgs } from './args';
import { TRAIN_FLAGS, TRAIN_VALUED, runConfigFromArgs } from './run-config-from-args';
import {
  BLOG_STUDY,
  StudyError,
  expandStudy,
  expandStudyGrids,
  variedKeys,
  type StudyRun,
  type Variation,
  type VariationKey,
} from '../shared/study';

/** The options `sweep` understands that take a value: train's (but --out) and its own. */
/** (Each run of a sweep keeps one thread: --parallel spreads the runs over the cores instead.) */
export const SWEEP_VALUED = [...TRAIN_VALUED.filter((key) => key !== 'out' && key !== 'threads'), 'parallel', 'target', 'csv'];

/** `--vary` keys as the train options spell them, and the setting each one varies. */
const VARY_KEYS: Record<string, VariationKey> = {
  batch: 'batchSize',
  lr: 'learningRate',
  activation: 'activation',
  init: 'init',
  optimizer: 'optimizer',
  hidden: 'hidden',
};

/** The most engine processes a sweep starts at once (each holds the dataset and a network). */
const MAX_PARALLEL = 64;

/** What a sweep runs and how. */
export interface SweepPlan {
  /** What is trained: every distinct configuration once. */
  runs: StudyRun[];
  /**
   * The runs as the study names them, in order: for the blog study its eleven, three of which
   * (the batch-64, lr-0.01, ReLU baseline of each sweep) share one training.
   */
  reported: ReportedRun[];
  /** The varied settings, one results column each. */
  keys: VariationKey[];
  options: ParsedArgs['options'];
  parallel: number;
  targetAccuracy: number;
  csvPath: string | undefined;
}

/** One of the study's runs as reported, and which training gives its numbers. */
export interface ReportedRun {
  label: string;
  /** Index into `runs`. */
  trainedAs: number;
}

/**
 * Takes every `--vary VALUE` / `--vary=VALUE` out of argv (parseArgs keeps one value per option,
 * and --vary may repeat) and returns them with the rest of argv.
 */
export function takeVary(argv: readonly string[]): { vary: string[]; rest: string[] } {
  const vary: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word.startsWith('--vary=')) {
      vary.push(word.slice('--vary='.length));
    } else if (word === '--vary') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError('--vary needs KEY=V1,V2,… (e.g. --vary lr=0.1,0.01).');
      vary.push(value);
      i++;
    } else {
      rest.push(word);
    }
  }
  return { vary, rest };
}

/** One `--vary KEY=V1,V2,…` as a study variation; values are checked when the grid is expanded. */
export function parseVary(text: string): Variation {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  // Own keys only: "constructor" or "toString" must not find Object.prototype's.
  const key = Object.hasOwn(VARY_KEYS, name) ? VARY_KEYS[name] : undefined;
  if (key === undefined) {
    throw new UsageError(`--vary ${shorten(text)}: cannot vary "${shorten(name)}"; choose from ${Object.keys(VARY_KEYS).join(', ')} (e.g. --vary lr=0.1,0.01).`);
  }
  const values = eq < 0 ? [] : text.slice(eq + 1).split(',').map((v) => v.trim());
  if (values.length === 0 || values.some((v) => v === '')) throw new UsageError(`--vary ${text}: give the values after "=", separated by commas (e.g. --vary ${name}=${example(name)}).`);
  const number = (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`--vary ${text}: "${v}" is not a number.`);
    return n;
  };
  switch (key) {
    case 'batchSize':
    case 'learningRate':
      return { key, values: values.map(number) };
    case 'hidden':
      return {
        key: 'hidden',
        values: values.map((v) => {
          if (!/^\d+(x\d+)*$/.test(v)) throw new UsageError(`--vary ${text}: "${v}" is not a list of hidden widths like 128x64.`);
          return v.split('x').map(Number);
        }),
      };
    case 'activation':
    case 'init':
    case 'optimizer':
      // Checked against the choices by the run configuration's validation, with its message.
      return { key, values: values as never[] };
  }
}

function example(name: string): string {
  return name === 'hidden' ? '128x64,256x128' : name === 'activation' ? 'relu,tanh' : name === 'batch' ? '32,64' : '0.1,0.01';
}

/**
 * The sweep's runs and settings from argv (after the command). `--preset blog-study` is the blog
 * preset's network with the blog's three sweeps (other options still override the base); otherwise
 * the base is what `train` would run with the same options, varied by every --vary.
 */
export function sweepPlanFromArgs(argv: readonly string[]): SweepPlan {
  const { vary, rest } = takeVary(argv);
  const options = parseArgs(['sweep', ...rest], new Set(SWEEP_VALUED), new Set(TRAIN_FLAGS)).options;
  const blogStudy = stringOption(options, 'preset') === BLOG_STUDY.name;
  const variations = vary.map(parseVary);
  if (blogStudy && variations.length > 0) throw new UsageError(`--preset ${BLOG_STUDY.name} has its own variations; leave out --vary.`);
  if (!blogStudy && variations.length === 0) throw new UsageError(`sweep needs at least one --vary KEY=V1,V2,… or --preset ${BLOG_STUDY.name}.`);
  // --layers may come with --vary hidden: it still gives the input and output widths.
  for (const name of vary.map((text) => text.slice(0, text.indexOf('=')))) {
    if (name !== 'hidden' && options.has(name)) throw new UsageError(`--${name} and --vary ${name}=… both set ${VARY_KEYS[name]}; keep one.`);
  }

  const baseOptions = new Map(options);
  if (blogStudy) baseOptions.set('preset', 'blog');
  const base = runConfigFromArgs(baseOptions);
  const grids = blogStudy ? BLOG_STUDY.grids : [variations];
  let runs: StudyRun[];
  try {
    runs = expandStudyGrids(base, grids);
  } catch (error) {
    if (error instanceof StudyError) throw new UsageError(error.message);
    throw error;
  }

  const trainedAs = new Map(runs.map((run) => [JSON.stringify(run.config), run.index]));
  const reported = grids.flatMap((grid) =>
    expandStudy(base, grid).map((run) => ({ label: run.label, trainedAs: trainedAs.get(JSON.stringify(run.config)) as number })),
  );

  const parallel = numberOption(options, 'parallel') ?? availableParallelism();
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > MAX_PARALLEL) {
    throw new UsageError(`--parallel must be a whole number from 1 to ${MAX_PARALLEL}; got ${parallel}.`);
  }
  const targetAccuracy = numberOption(options, 'target') ?? 0.9;
  if (!(targetAccuracy > 0 && targetAccuracy <= 1)) throw new UsageError(`--target is a test accuracy from 0 to 1 (e.g. 0.95); got ${targetAccuracy}.`);
  return {
    runs,
    reported,
    keys: variedKeys(grids),
    options,
    parallel: Math.min(parallel, runs.length),
    targetAccuracy,
    csvPath: stringOption(options, 'csv'),
  };
}
