/** A model store on a temporary folder with a recording file system, and a small model to keep in it. */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { Rng } from '../../src/engine/nn/rng';
import type { NetworkWeights } from '../../src/engine/nn/weights';
import { createModelStore, type ModelSaveInput, type ModelStoreFs } from '../../src/main/model-store';
import type { ModelListEntry, ModelSummary } from '../../src/shared/model-library';
import { PRESETS } from '../../src/engine/training/run-config';
import { ATOMIC_WRITE_CALLS, recordingFs, type Call } from './recording-fs';

export const projectRoot = join(import.meta.dirname, '..', '..');
export const root = fs.mkdtempSync(join(tmpdir(), 'mlp-lab-models-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A fresh folder path (not created: the store creates its folder on the first save). */
export function freshDir(): string {
  return join(root, `case-${++folders}`);
}

/** Ids 000…001, 000…002, … and a clock that ticks a minute per call, so order and names are predictable. */
export function setup(options: { dir?: string; fsOverride?: Partial<ModelStoreFs> } = {}) {
  const dir = options.dir ?? freshDir();
  const calls: Call[] = [];
  let ids = 0;
  let minutes = 0;
  const store = createModelStore({
    dir,
    fs: recordingFs<ModelStoreFs>([...ATOMIC_WRITE_CALLS, 'readdirSync', 'existsSync', 'mkdirSync'], calls, options.fsOverride),
    newId: () => (++ids).toString(16).padStart(32, '0'),
    now: () => new Date(Date.UTC(2025, 0, 2, 3, minutes++)),
    appVersion: '9.9.9',
  });
  return { dir, store, calls };
}

export const idOf = (n: number): string => n.toString(16).padStart(32, '0');

export const config = { ...PRESETS.default, layers: [6, 4, 3], activation: 'tanh' as const, seed: 5 };

export function makeWeights(seed: number): NetworkWeights {
  const rng = new Rng(seed);
  const weights: NetworkWeights = [];
  for (let i = 0; i + 1 < config.layers.length; i++) {
    const [inputs, outputs] = [config.layers[i], config.layers[i + 1]];
    weights.push({
      inputs,
      outputs,
      weights: new Float32Array(inputs * outputs).map(() => rng.normal()),
      biases: new Float32Array(outputs).map(() => rng.uniformIn(-1, 1)),
    });
  }
  return weights;
}

export const model: ModelSaveInput = {
  config,
  dataset: { name: 'MNIST', rows: 2, cols: 3, classes: 3, trainCount: 60, testCount: 10 },
  history: [
    { epoch: 1, trainLoss: 1, trainAccuracy: 0.5, testLoss: 0.9, testAccuracy: 0.6, seconds: 1, samplesPerSecond: 60 },
    { epoch: 2, trainLoss: 0.5, trainAccuracy: 0.75, testLoss: 0.6, testAccuracy: 0.8, seconds: 1, samplesPerSecond: 60 },
  ],
  testAccuracy: 0.8,
};
export const weights = makeWeights(1);

export function expectSameWeights(actual: NetworkWeights, expected: NetworkWeights): void {
  expect(actual.map((w) => [w.inputs, w.outputs, Array.from(w.weights), Array.from(w.biases)])).toEqual(
    expected.map((w) => [w.inputs, w.outputs, Array.from(w.weights), Array.from(w.biases)]),
  );
}

export function okEntries(entries: ModelListEntry[]): ModelSummary[] {
  return entries.filter((e): e is ModelSummary => e.status === 'ok');
}

/** Every file in a folder with its bytes, to show that nothing changed. */
export function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.statSync(join(dir, name)).isFile() ? fs.readFileSync(join(dir, name)).toString('base64') : 'folder']));
}

/** The error a promise rejects with (it must reject). */
export async function thrownAsync(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

export function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}
