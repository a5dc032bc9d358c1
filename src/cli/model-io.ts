import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliFailure } from './cli-io';
import type { Dataset } from '../engine/training/dataset';
import { decodeModel, encodeModel, type ModelHeader } from '../engine/files/model-file';
import type { Run } from '../engine/training/run';
import type { NetworkWeights } from '../engine/nn/weights';
import { writeFileAtomic } from '../node/atomic-write';
import { readModelFileSync } from '../node/library-files';
import { APP_VERSION } from '../shared/app-version';

/**
 * Checks, before any training, that a model can be written at `path`: its folder exists and the
 * path is not a folder. A mistyped --out is found in a moment, not after an hour of training.
 */
export function checkOutPath(path: string): void {
  const absolute = resolve(path);
  const folder = dirname(absolute);
  const kind = (p: string): 'folder' | 'other' | 'none' => {
    try {
      return statSync(p).isDirectory() ? 'folder' : 'other';
    } catch {
      return 'none';
    }
  };
  if (kind(folder) !== 'folder') throw new CliFailure(`Cannot save the model to ${absolute}: there is no folder ${folder}.`);
  if (kind(absolute) === 'folder') throw new CliFailure(`Cannot save the model to ${absolute}: it is a folder; give a file name, e.g. ${absolute}/model.mlpmodel.`);
}

/** Writes the run's current weights and provenance to `path` atomically; returns the absolute path. */
export function saveModel(path: string, run: Run, data: Dataset, name: string): string {
  const history = run.training.history;
  const absolute = resolve(path);
  let bytes: Uint8Array;
  try {
    bytes = encodeModel(
    {
      name,
      config: run.config,
      dataset: {
        name: data.name,
        rows: data.train.rows,
        cols: data.train.cols,
        classes: data.classes,
        trainCount: data.train.count,
        testCount: data.test.count,
      },
      history: [...history],
      ...(history.length > 0 ? { testAccuracy: history[history.length - 1].testAccuracy } : {}),
      createdAt: new Date().toISOString(),
      appVersion: APP_VERSION,
    },
    run.network.getWeights(),
    );
  } catch (error) {
    // Weights that turned NaN or infinite are never written (the encoder refuses them).
    throw new CliFailure(`The model was not saved to ${absolute}: ${(error as Error).message}`);
  }
  try {
    writeFileAtomic(absolute, bytes);
  } catch (error) {
    throw new CliFailure(`Could not save the model to ${absolute}: ${(error as Error).message}`);
  }
  return absolute;
}

/** Reads and verifies a model file; any problem is a failure whose message names the file. */
export function loadModel(path: string): { header: ModelHeader; weights: NetworkWeights } {
  let bytes: Uint8Array;
  try {
    bytes = readModelFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliFailure(`Cannot read model file ${path}: no such file.`);
    // The bounded reader and the decoder name the file and the problem (a FIFO, too large, a bad header).
    throw new CliFailure((error as Error).message);
  }
  try {
    return decodeModel(bytes, path);
  } catch (error) {
    throw new CliFailure((error as Error).message);
  }
}
