/**
 * A saved study's file, from its text to the study it holds or the reason it cannot be opened. The
 * format is checked before the rest: a newer layout may lack what this version looks for, or mean
 * something else by it.
 *
 * `parseStudyText` refers to nothing outside its own body, so that a worker thread can run it from
 * its source text (study-file-thread.ts): a study file may be tens of MiB, and parsing one on the
 * main thread would hold the window for seconds.
 */
import type { StudyData } from '../shared/study-api';

export type ParsedStudyFile = { status: 'ok'; study: StudyData } | { status: 'error'; message: string };

/** `text` read from `<id>.json`; `currentFormat` is the newest study format this version reads. */
export function parseStudyText(id: string, text: string, currentFormat: number): ParsedStudyFile {
  const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  // A value from a file, shown safely in a message: as JSON (a number as itself), at most 40 characters.
  const quote = (value: unknown): string => {
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
    return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
  };
  const unreadable = (why: string): ParsedStudyFile => ({ status: 'error', message: `The saved study ${id} cannot be read: ${why}` });
  const notAStudy = 'it is not a saved study (its name, date or runs are missing).';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return unreadable(`it is damaged (not valid JSON: ${messageOf(error)}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return unreadable(notAStudy);
  // Files written before formats were numbered have none: they are format 1.
  const { format = 1, ...study } = value as Record<string, unknown>;
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    return unreadable(`it is damaged (its format, ${quote(format)}, is not a positive whole number).`);
  }
  if (format > currentFormat) {
    return {
      status: 'error',
      message: `The saved study ${id} was saved by a newer MLP Lab (study format ${format}; this version reads format ${currentFormat}). Update MLP Lab to open it.`,
    };
  }
  const { name, createdAt, runs } = study;
  if (typeof name !== 'string' || typeof createdAt !== 'string' || !Array.isArray(runs)) return unreadable(notAStudy);
  // Every value the Experiments screen draws, of the type it draws: a damaged file that still
  // parses is refused here, naming the first bad value, rather than breaking the screen.
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
  const configProblem = (config: unknown): string | null => {
    if (!isObject(config)) return 'is not a run configuration';
    const { layers } = config;
    if (!Array.isArray(layers) || layers.length < 2 || !layers.every(isCount)) return 'has no list of layer widths';
    for (const key of ['learningRate', 'momentum', 'weightDecay', 'batchSize', 'epochs', 'seed']) {
      if (!isNumber(config[key])) return `has no number for ${key}`;
    }
    for (const key of ['activation', 'init', 'optimizer']) if (typeof config[key] !== 'string') return `has no ${key}`;
    return null;
  };
  const points = (list: unknown, keys: readonly string[]): boolean =>
    Array.isArray(list) && list.every((p) => isObject(p) && keys.every((key) => isNumber(p[key]) || p[key] === null));
  const runProblem = (run: unknown): string | null => {
    if (!isObject(run)) return 'is not a run';
    if (!isCount(run.index)) return 'has no run number';
    if (typeof run.label !== 'string') return 'has no label';
    const config = configProblem(run.config);
    if (config !== null) return `'s configuration ${config}`;
    if (!['queued', 'running', 'completed', 'diverged', 'failed', 'cancelled'].includes(run.status as string)) return 'has no known status';
    for (const key of ['finalTestAccuracy', 'bestEpoch', 'bestTestAccuracy', 'finalTrainLoss', 'seconds', 'secondsToTarget', 'totalIterations']) {
      if (!isNumber(run[key]) && run[key] !== null) return `has no number for ${key}`;
    }
    if (!isNumber(run.iterationsDone)) return 'has no number for iterationsDone';
    if (typeof run.message !== 'string' && run.message !== null) return 'has a message that is not text';
    if (!points(run.epochs, ['epoch', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy'])) return "'s epochs are not a list of epoch results";
    if (!points(run.iterations, ['iteration', 'loss', 'accuracy'])) return "'s curve is not a list of points";
    return null;
  };
  const damaged = (what: string): ParsedStudyFile => unreadable(`it is damaged (${what}).`);
  if (typeof study.datasetId !== 'string') return damaged('its dataset is not named');
  const base = configProblem(study.base);
  if (base !== null) return damaged(`its base configuration ${base}`);
  if (!Array.isArray(study.grids) || !study.grids.every((grid) => Array.isArray(grid) && grid.every((v) => isObject(v) && typeof v.key === 'string' && Array.isArray(v.values)))) {
    return damaged('its list of varied settings is not one');
  }
  const groups = study.groups ?? [];
  if (!Array.isArray(groups) || !groups.every((g) => isObject(g) && typeof g.title === 'string' && Array.isArray(g.runIndices) && g.runIndices.every(isCount))) {
    return damaged('its groups of runs are not a list of groups');
  }
  if (!isNumber(study.targetAccuracy) || !isNumber(study.parallel)) return damaged('its target accuracy or its number of runs at once is not a number');
  if (typeof study.finished !== 'boolean') return damaged('whether it finished is not said');
  for (const [i, run] of runs.entries()) {
    const problem = runProblem(run);
    if (problem !== null) return damaged(`run ${i + 1}${problem.startsWith("'") ? '' : ' '}${problem}`);
  }
  // The file's name is the study's id: an id inside that says otherwise is not believed.
  return { status: 'ok', study: { ...study, id, groups } as unknown as StudyData };
}
