/**
 * Run by main-loop.test.ts in a fresh Node process, whose small heap is like the app's main
 * process's (inside vitest's worker every garbage collection takes several times longer): the
 * model and study libraries work on the large files in the folder given (import, list, open,
 * export, save, ONNX export and import; a study's list, open and save), while a 5 ms timer
 * measures the event loop's longest pause. Prints one JSON object: each step's time and longest
 * pause, and what the test checks of the results.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { createModelStore } from '../../../src/main/model-store';
import { createStudyStore } from '../../../src/main/study-store';
import type { StudyData } from '../../../src/shared/study-api';

const [folder] = process.argv.slice(2);
const steps: Record<string, { ms: number; longestPauseMs: number }> = {};

async function watchLoop<T>(name: string, action: () => Promise<T>): Promise<T> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    return await action();
  } finally {
    clearInterval(timer);
    steps[name] = { ms: Math.round(performance.now() - started), longestPauseMs: Math.round(Math.max(longest, performance.now() - last)) };
  }
}

const models = createModelStore({ dir: join(folder, 'models') });
const id = await watchLoop('model import', () => models.importFrom(join(folder, 'wide.mlpmodel')));
const listed = await watchLoop('model list', () => models.list());
const loaded = await watchLoop('model open', () => models.load(id));
const exported = join(folder, 'exported.mlpmodel');
await watchLoop('model export', () => models.exportTo(id, exported));
const savedId = await watchLoop('model save', () =>
  models.save('Saved again', { config: loaded.header.config, dataset: loaded.header.dataset, history: loaded.header.history }, loaded.weights),
);
const mediumId = await models.importFrom(join(folder, 'medium.mlpmodel'));
const onnxPath = join(folder, 'medium.onnx');
await watchLoop('onnx export', () => models.exportOnnxTo(mediumId, onnxPath));
const onnxId = await watchLoop('onnx import', () => models.importFrom(onnxPath));
const onnxModel = await models.load(onnxId);

const studyStore = createStudyStore(join(folder, 'studies'));
const studies = await watchLoop('study list', () => studyStore.list());
const [listed1] = studies;
const opened = await watchLoop('study open', () => studyStore.open(listed1.status === 'ok' ? listed1.id : ''));
// The study as recorded, every curve point: what a save is given at the end of a long study.
const recorded = JSON.parse(fs.readFileSync(join(folder, 'studies', `${listed1.status === 'ok' ? listed1.id : ''}.json`), 'utf8')) as StudyData;
const copyId = '2'.padStart(32, '0');
await watchLoop('study save', () => studyStore.save({ ...recorded, id: copyId }));

console.log(
  JSON.stringify({
    steps,
    listed,
    weights: loaded.weights.map((w) => [w.inputs, w.outputs, w.weights[0], w.biases.at(-1)]),
    exportedBytes: fs.statSync(exported).size,
    savedBytes: fs.statSync(join(folder, 'models', `${savedId}.mlpmodel`)).size,
    onnxBytes: fs.statSync(onnxPath).size,
    onnxWeights: onnxModel.weights.map((w) => [w.inputs, w.outputs, w.weights[0], w.biases.at(-1)]),
    studies,
    openedCurves: opened.ok ? opened.study.runs.map((run) => run.iterations.length) : opened.message,
    studySavedBytes: fs.statSync(join(folder, 'studies', `${copyId}.json`)).size,
  }),
);
