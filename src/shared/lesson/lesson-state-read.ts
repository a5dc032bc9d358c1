/**
 * Reading the state a lesson step sets (run configuration, dataset, embedded model, study setup,
 * perceptron scenario, backprop image) from untrusted JSON, with the same rules the app applies
 * when it sets them: a run configuration passes `validateRunConfig`, a study expands, a model
 * decodes, so a step that reads here also applies there.
 */
import { decodeModel } from '../../engine/files/model-file';
import { PRESETS, PRESET_NAMES, LIMITS, describeProblems, validateRunConfig, type RunConfig } from '../../engine/training/run-config';
import { StudyError, expandStudyGrids, type Variation } from '../study';
import { decodeBase64 } from './base64';
import { LESSON_LIMITS, type LessonConfig, type LessonDataset, type LessonModel, type LessonPerceptron, type LessonStepState, type LessonStudy } from './lesson';
import { choiceOf, numberOf, objectWith, quote, textOf, type Fail } from './lesson-check';

const RUN_CONFIG_KEYS = Object.keys(PRESETS.default) as (keyof RunConfig)[];

/** The largest test-split index a step may name; the app also checks it against the dataset it has. */
export const MAX_IMAGE_INDEX = 10_000_000;

/** A step's state; `where` is e.g. "step 3's state"; `models` counts the embedded bytes so far. */
export function readStepState(value: unknown, where: string, fail: Fail, models: { bytes: number }): LessonStepState {
  const v = objectWith(value, where, ['config', 'dataset', 'model', 'study', 'perceptron', 'backpropImage'], fail);
  const state: LessonStepState = {};
  if (v.config !== undefined) state.config = readConfig(v.config, `${where}: config`, fail);
  if (v.dataset !== undefined) state.dataset = readDataset(v.dataset, `${where}: dataset`, fail);
  if (v.model !== undefined) state.model = readModel(v.model, `${where}: model`, fail, models);
  if (v.study !== undefined) state.study = readStudy(v.study, `${where}: study`, fail);
  if (v.perceptron !== undefined) state.perceptron = readPerceptron(v.perceptron, `${where}: perceptron`, fail);
  if (v.backpropImage !== undefined) {
    state.backpropImage = numberOf(v.backpropImage, `${where}: backpropImage`, { min: 0, max: MAX_IMAGE_INDEX, integer: true }, fail);
  }
  return state;
}

/** The run configuration a lesson config stands for (a preset with its changes, or the full one). */
export function resolveLessonConfig(config: LessonConfig): RunConfig {
  return 'full' in config ? structuredClone(config.full) : { ...structuredClone(PRESETS[config.preset]), ...structuredClone(config.changes ?? {}) };
}

export function readConfig(value: unknown, where: string, fail: Fail): LessonConfig {
  const v = objectWith(value, where, ['preset', 'changes', 'full'], fail);
  let config: LessonConfig;
  if (v.full !== undefined) {
    if (v.preset !== undefined || v.changes !== undefined) fail(`${where} gives either a preset (with changes) or a full configuration, not both.`);
    config = { full: v.full as RunConfig };
  } else if (v.preset !== undefined) {
    const preset = choiceOf(v.preset, `${where}: preset`, PRESET_NAMES, fail);
    if (v.changes === undefined) {
      config = { preset };
    } else {
      const changes = objectWith(v.changes, `${where}: changes`, RUN_CONFIG_KEYS, fail);
      config = { preset, changes: structuredClone(changes) as Partial<RunConfig> };
    }
  } else {
    return fail(`${where} needs a preset (${PRESET_NAMES.join(', ')}) or a full configuration.`);
  }
  const check = validateRunConfig(resolveLessonConfig(config));
  if (!check.ok) fail(`${where} cannot be trained: ${describeProblems(check.problems).replace(/\n/g, ' ')}`);
  // The validator's clean copy, so nothing it ignored travels on.
  return 'full' in config && check.ok ? { full: check.config } : config;
}

function readDataset(value: unknown, where: string, fail: Fail): LessonDataset {
  const v = objectWith(value, where, ['builtIn', 'folder'], fail);
  if (v.builtIn !== undefined && v.folder !== undefined) fail(`${where} is either the built-in MNIST or a folder, not both.`);
  if (v.builtIn !== undefined) return { builtIn: choiceOf(v.builtIn, `${where}: builtIn`, ['mnist'] as const, fail) };
  if (v.folder === undefined) return fail(`${where} needs builtIn ("mnist") or a folder relative to the lesson file.`);
  const folder = textOf(v.folder, `${where}: folder`, { max: LESSON_LIMITS.folderLength }, fail);
  const problem = relativeFolderProblem(folder);
  if (problem !== null) fail(`${where}: folder ${quote(folder)} ${problem}`);
  return { folder };
}

/**
 * Why a folder is not a path inside the lesson's own folder, or null. A lesson shared with a class
 * may name only folders that travel with it, never one elsewhere on the student's machine.
 */
export function relativeFolderProblem(folder: string): string | null {
  if (folder.includes('\\')) return 'uses \\; separate folder names with /.';
  if (folder.startsWith('/') || /^[A-Za-z]:/.test(folder)) return 'is not relative; give it relative to the lesson file, e.g. "data/fashion".';
  if (folder.split('/').some((part) => part === '..')) return 'leaves the lesson\'s folder (".."); keep the data beside the lesson file.';
  return null;
}

function readModel(value: unknown, where: string, fail: Fail, models: { bytes: number }): LessonModel {
  const v = objectWith(value, where, ['name', 'base64'], fail);
  const name = textOf(v.name, `${where}: name`, { max: 100 }, fail);
  if (typeof v.base64 !== 'string') fail(`${where}: base64 must be text (the model file's bytes in base64).`);
  const base64 = v.base64 as string;
  const maxLength = Math.ceil(LESSON_LIMITS.modelBytes / 3) * 4;
  if (base64.length > maxLength) fail(`${where} is larger than the ${LESSON_LIMITS.modelBytes / (1024 * 1024)} MiB a lesson's model may be.`);
  const bytes = decodeBase64(base64);
  if (typeof bytes === 'string') return fail(`${where}: base64 is damaged: ${bytes}.`);
  models.bytes += bytes.length;
  if (models.bytes > LESSON_LIMITS.allModelsBytes) fail(`${where} brings the lesson's models over the ${LESSON_LIMITS.allModelsBytes / (1024 * 1024)} MiB they may take together.`);
  try {
    decodeModel(bytes, where);
  } catch (error) {
    fail((error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' '));
  }
  return { name, base64 };
}

function readStudy(value: unknown, where: string, fail: Fail): LessonStudy {
  const v = objectWith(value, where, ['base', 'epochs', 'vary', 'targetPercent', 'name'], fail);
  const base = readConfig(v.base, `${where}: base`, fail);
  const epochs = numberOf(v.epochs, `${where}: epochs`, { min: 1, max: LIMITS.maxEpochs, integer: true }, fail);
  const targetPercent = numberOf(v.targetPercent, `${where}: targetPercent`, { min: 0, max: 100, minExclusive: true }, fail);
  let vary: LessonStudy['vary'];
  if (v.vary === 'blog') {
    vary = 'blog';
  } else {
    if (!Array.isArray(v.vary) || v.vary.length === 0) fail(`${where}: vary must be "blog" or a list of settings to vary, e.g. [{ "key": "batchSize", "values": [16, 64] }].`);
    // Only the key and values of each, so nothing the expansion ignores travels on.
    vary = (v.vary as unknown[]).map((entry) => {
      const { key, values } = objectWith(entry, `${where}: each entry of vary`, ['key', 'values'], fail);
      return structuredClone({ key, values }) as Variation;
    });
    try {
      expandStudyGrids({ ...resolveLessonConfig(base), epochs }, [vary]);
    } catch (error) {
      if (!(error instanceof StudyError)) throw error;
      fail(`${where}: ${error.message}`);
    }
  }
  const study: LessonStudy = { base, epochs, vary, targetPercent };
  if (v.name !== undefined) study.name = textOf(v.name, `${where}: name`, { max: LESSON_LIMITS.studyNameLength }, fail);
  return study;
}

function readPerceptron(value: unknown, where: string, fail: Fail): LessonPerceptron {
  const v = objectWith(value, where, ['data', 'learningRate', 'epochs', 'randomStart'], fail);
  const data = choiceOf(v.data, `${where}: data`, ['clusters', 'xor', 'circles'] as const, fail);
  const learningRate = numberOf(v.learningRate, `${where}: learningRate`, { min: 0, max: 10, minExclusive: true }, fail);
  const epochs = numberOf(v.epochs, `${where}: epochs`, { min: 1, max: 1000, integer: true }, fail);
  if (typeof v.randomStart !== 'boolean') fail(`${where}: randomStart must be true or false.`);
  return { data, learningRate, epochs, randomStart: v.randomStart as boolean };
}
