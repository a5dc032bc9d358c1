/**
 * The saved-model library: a folder (userData/models in the app) holding one file per model, named
 * `<id>.mlpmodel`, in the engine's model format — the same files the CLI writes and reads. Every
 * write is atomic, so a crash leaves either the old file or the whole new one.
 *
 * Ids and names usually come from the renderer, which is untrusted: each is checked before any
 * path is built, so a malformed id never reaches the file system. Paths (export destination, import
 * source) come from main's own file dialogs, never from the renderer.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { encodeModelInSlices, ModelFileError, type ModelHeader, type ModelHeaderInput } from '../engine/files/model-file';
import type { NetworkWeights } from '../engine/nn/weights';
import { nodeOffThreadWrites, removeStaleTempFiles, writeFileAtomicAsync, type AtomicWriteFs } from '../node/atomic-write';
import { FileRefusedError } from '../node/bounded-file';
import { protectedFolderOf } from '../node/library-guard';
import { decodeModelFile, readModelFile, readModelHeader, verifyModelFile } from '../node/library-files';
import { ONNX_FILE_EXTENSION, modelFromOnnxInSlices, onnxBytesInSlices, readOnnxFileAsync } from '../node/onnx/onnx-file';
import { runInSlices } from '../node/run-in-slices';
import { APP_VERSION } from '../shared/app-version';
import {
  checkModelName,
  describeBadModelId,
  isModelId,
  MODEL_FILE_EXTENSION,
  MODEL_NAME_MAX_LENGTH,
  type ModelFileProblem,
  type ModelListEntry,
  type ModelSummary,
} from '../shared/model-library';

/**
 * The file-system calls the store makes besides reading models; tests pass their own to watch them
 * or make one fail. With its own file system the store writes through these calls, a slice at a
 * time; by default the writes and their flush run off the main thread.
 */
export interface ModelStoreFs extends AtomicWriteFs {
  readdirSync(path: string): string[];
  existsSync(path: string): boolean;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

/** How the store reads model files: by default the bounded readers, asynchronous (src/node/library-files.ts). */
export interface ModelFileReader {
  /** A whole model file (regular files only, header first, size-limited). */
  readFile(path: string, label: string): Promise<Uint8Array>;
  /** Only the header and the file's size, for the list. */
  readHeader(path: string, label: string): Promise<{ header: ModelHeader; size: number }>;
}

export interface ModelStoreDeps {
  /** The library folder; created on the first save or import. */
  dir: string;
  fs?: ModelStoreFs;
  reader?: ModelFileReader;
  /** The time stamped on a newly saved model. */
  now?: () => Date;
  /** A fresh model id (32 lowercase hexadecimal digits); 128 random bits by default. */
  newId?: () => string;
  /** The app version stamped on a newly saved model. */
  appVersion?: string;
  /** Other folders an export must never write into (the study library); the model library always. */
  protectedDirs?: readonly string[];
}

/** What the caller knows about a model to save: the store adds its name, time and app version. */
export type ModelSaveInput = Omit<ModelHeaderInput, 'name' | 'createdAt' | 'appVersion'>;

export interface LoadedModel {
  header: ModelHeader;
  weights: NetworkWeights;
}

/** A request the store refuses (bad id or name, unknown model, unusable path); the message says why. */
export class ModelStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelStoreError';
  }
}

export interface ModelStore {
  /**
   * Every `*.mlpmodel` file in the folder: readable models newest first (then by id), then the
   * files that cannot be read, by file name, each with its problem. Hidden files (the atomic
   * writer's temporary files among them) and files with other extensions are not models and are
   * left out. Only headers are read: a model whose weights are damaged is listed, and refused
   * when it is opened.
   */
  list(): Promise<ModelListEntry[]>;
  /** Saves a new model under a fresh id, stamped with the current time; returns the id. */
  save(name: unknown, model: ModelSaveInput, weights: NetworkWeights): Promise<string>;
  /** Reads and verifies one model; a damaged file rejects with the decoder's `ModelFileError`. */
  load(id: unknown): Promise<LoadedModel>;
  /** Rewrites the model's header with a new name; if that fails, the old file stays as it was. */
  rename(id: unknown, newName: unknown): Promise<void>;
  /** Copies a model under a fresh id, named `newName` or "<name> (copy)"; returns the new id. */
  duplicate(id: unknown, newName?: unknown): Promise<string>;
  /** Removes a model's file, readable or not. */
  delete(id: unknown): void;
  /** Writes a verified copy of the model's file, byte for byte, to an absolute path outside the library. */
  exportTo(id: unknown, destinationPath: string): Promise<void>;
  /** Writes the verified model as a standard ONNX graph (see onnx-export.ts), atomically, to an absolute path. */
  exportOnnxTo(id: unknown, destinationPath: string): Promise<void>;
  /**
   * Verifies a model file and adds a copy under a fresh id; returns the id. A file that does not
   * decode is refused with the decoder's message, and nothing is written. A `.onnx` file is read as
   * an ONNX MLP (see onnx-import.ts) and stored as an MLP Lab model.
   */
  importFrom(sourcePath: string): Promise<string>;
}

const UNNAMED = 'Unnamed model';
const COPY_SUFFIX = ' (copy)';
/** Fresh ids to try before giving up; with 128 random bits even a second try is never needed. */
const ID_ATTEMPTS = 8;

export function createModelStore(deps: ModelStoreDeps): ModelStore {
  const dir = resolve(deps.dir);
  const fs = deps.fs ?? nodeFs;
  // Off-thread writes only on the real file system: a test's own calls are used as given.
  const offThread = deps.fs === undefined ? nodeOffThreadWrites : undefined;
  const reader = deps.reader ?? { readFile: readModelFile, readHeader: readModelHeader };
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => randomBytes(16).toString('hex'));
  const appVersion = deps.appVersion ?? APP_VERSION;
  // What saves interrupted by a kill left behind (hidden, up to a whole model each) goes now.
  removeStaleTempFiles(dir);

  const fileNameOf = (id: string): string => `${id}${MODEL_FILE_EXTENSION}`;
  const pathOf = (id: string): string => join(dir, fileNameOf(id));

  /** The id, once it is known to be one; refused before any path is built from it. */
  function checkId(id: unknown): string {
    if (!isModelId(id)) throw new ModelStoreError(describeBadModelId(id));
    return id;
  }

  function checkName(name: unknown): string {
    const check = checkModelName(name);
    if (!check.ok) throw new ModelStoreError(check.message);
    return check.name;
  }

  async function readBytes(id: string): Promise<Uint8Array> {
    try {
      return await reader.readFile(pathOf(id), fileNameOf(id));
    } catch (error) {
      if (codeOf(error) === 'ENOENT') throw new ModelStoreError(`There is no saved model ${id}; it may have been deleted. Refresh the list.`);
      throw new ModelStoreError(readProblem(error, fileNameOf(id)));
    }
  }

  async function loadChecked(id: string): Promise<{ bytes: Uint8Array; model: LoadedModel }> {
    const bytes = await readBytes(id);
    return { bytes, model: await decodeModelFile(bytes, fileNameOf(id)) };
  }

  /** A path for a new model that no file has yet: a library never overwrites a model with another. */
  function freshId(): string {
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = newId();
      if (!isModelId(id)) throw new Error(`The model id generator gave ${JSON.stringify(id)}, not 32 lowercase hexadecimal digits.`);
      if (!fs.existsSync(pathOf(id))) return id;
    }
    throw new ModelStoreError(`Could not find an unused model id in ${ID_ATTEMPTS} tries; the library folder ${dir} may be unusable.`);
  }

  async function write(id: string, bytes: Uint8Array, action: string): Promise<void> {
    try {
      fs.mkdirSync(dir, { recursive: true });
      await writeFileAtomicAsync(pathOf(id), bytes, fs, offThread);
    } catch (error) {
      throw new ModelStoreError(`Could not ${action}: ${messageOf(error)}`);
    }
  }

  /** The bytes of a model with a new name and everything else (weights, time, provenance) kept. */
  function withName({ header, weights }: LoadedModel, name: string): Promise<Uint8Array> {
    return runInSlices(encodeModelInSlices({ ...headerInput(header), name }, weights));
  }

  async function entryFor(fileName: string): Promise<ModelListEntry> {
    const stem = fileName.slice(0, -MODEL_FILE_EXTENSION.length);
    if (!isModelId(stem)) {
      return problem(null, fileName, `${fileName} is in the model library but is not named by a model id, so the library leaves it alone; use Import to add a copy of it.`);
    }
    try {
      const { header, size } = await reader.readHeader(join(dir, fileName), fileName);
      return summarise(stem, fileName, header, size);
    } catch (error) {
      // One bad file must not hide the others: whatever went wrong becomes its entry.
      return problem(stem, fileName, readProblem(error, fileName));
    }
  }

  return {
    async list() {
      if (!fs.existsSync(dir)) return [];
      const files = fs.readdirSync(dir).filter((name) => !name.startsWith('.') && name.endsWith(MODEL_FILE_EXTENSION));
      const entries: ModelListEntry[] = [];
      // One at a time: a library of large models never has more than one header in memory.
      for (const file of files) entries.push(await entryFor(file));
      const ok = entries.filter((e): e is ModelSummary => e.status === 'ok');
      const bad = entries.filter((e): e is ModelFileProblem => e.status === 'error');
      ok.sort((a, b) => timeOf(b.createdAt) - timeOf(a.createdAt) || compare(a.id, b.id));
      bad.sort((a, b) => compare(a.fileName, b.fileName));
      return [...ok, ...bad];
    },

    async save(name, model, weights) {
      const checkedName = checkName(name);
      const bytes = await runInSlices(encodeModelInSlices({ ...model, name: checkedName, createdAt: now().toISOString(), appVersion }, weights));
      const id = freshId();
      await write(id, bytes, `save the model "${checkedName}"`);
      return id;
    },

    async load(id) {
      return (await loadChecked(checkId(id))).model;
    },

    async rename(id, newName) {
      const checkedId = checkId(id);
      const name = checkName(newName);
      const { model } = await loadChecked(checkedId);
      if (model.header.name === name) return;
      await write(checkedId, await withName(model, name), `rename the model to "${name}"; it keeps its old name`);
    },

    async duplicate(id, newName) {
      const checkedId = checkId(id);
      const given = newName === undefined ? undefined : checkName(newName);
      const { model } = await loadChecked(checkedId);
      const name = given ?? copyName(model.header.name ?? UNNAMED);
      const copyId = freshId();
      await write(copyId, await withName(model, name), `duplicate the model as "${name}"`);
      return copyId;
    },

    delete(id) {
      const checkedId = checkId(id);
      try {
        fs.unlinkSync(pathOf(checkedId));
      } catch (error) {
        if (codeOf(error) === 'ENOENT') throw new ModelStoreError(`There is no saved model ${checkedId}; it may have been deleted already. Refresh the list.`);
        throw new ModelStoreError(`Could not delete ${fileNameOf(checkedId)}: ${messageOf(error)}`);
      }
    },

    async exportTo(id, destinationPath) {
      const checkedId = checkId(id);
      const destination = checkPath(destinationPath, 'export to');
      // The library names its files itself: an export into it could overwrite another model. Real
      // paths are compared, so a symlinked folder leading into the library is refused as well.
      if (protectedFolderOf(destination, [dir, ...(deps.protectedDirs ?? [])]) !== undefined) {
        throw new ModelStoreError('Choose a folder outside the model library to export to.');
      }
      // Verified first, so a damaged file is never passed on.
      const bytes = await readBytes(checkedId);
      await verifyModelFile(bytes, fileNameOf(checkedId));
      try {
        await writeFileAtomicAsync(destination, bytes, fs, offThread);
      } catch (error) {
        throw new ModelStoreError(`Could not export to ${destination}: ${messageOf(error)}`);
      }
    },

    async exportOnnxTo(id, destinationPath) {
      const checkedId = checkId(id);
      const destination = checkPath(destinationPath, 'export to');
      if (protectedFolderOf(destination, [dir, ...(deps.protectedDirs ?? [])]) !== undefined) {
        throw new ModelStoreError('Choose a folder outside the model library to export to.');
      }
      const { model } = await loadChecked(checkedId);
      const bytes = await runInSlices(onnxBytesInSlices(model.header, model.weights, appVersion));
      try {
        await writeFileAtomicAsync(destination, bytes, fs, offThread);
      } catch (error) {
        throw new ModelStoreError(`Could not export to ${destination}: ${messageOf(error)}`);
      }
    },

    async importFrom(sourcePath) {
      const source = checkPath(sourcePath, 'import from');
      let bytes: Uint8Array;
      try {
        // An .onnx file is no MLP Lab model for the model reader; its own reader refuses one over the limit unread.
        const onnx = extname(source).toLowerCase() === ONNX_FILE_EXTENSION;
        bytes = onnx ? await readOnnxFileAsync(source) : await reader.readFile(source, basename(source));
      } catch (error) {
        const code = codeOf(error);
        if (code !== 'ENOENT' && (error instanceof FileRefusedError || error instanceof ModelFileError)) {
          throw new ModelStoreError(`Cannot import ${source}: ${error.message}`);
        }
        const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : messageOf(error);
        throw new ModelStoreError(`Cannot import ${source}: ${why}.`);
      }
      if (extname(source).toLowerCase() === ONNX_FILE_EXTENSION) {
        const imported = await runInSlices(modelFromOnnxInSlices(bytes, basename(source), { name: nameFromFile(source), appVersion, createdAt: now().toISOString() }));
        const encoded = await runInSlices(encodeModelInSlices(imported.header, imported.weights));
        const id = freshId();
        await write(id, encoded, `import ${basename(source)}`);
        return id;
      }
      const header = await verifyModelFile(bytes, basename(source));
      const stored = checkModelName(header.name);
      // A file saved without a usable name is named after the file it came from.
      const name = stored.ok && stored.name === header.name ? null : nameFromFile(source);
      const copy = name === null ? bytes : await withName(await decodeModelFile(bytes, basename(source)), name);
      const id = freshId();
      await write(id, copy, `import ${basename(source)}`);
      return id;
    },
  };
}

/** The header fields a caller passes to `encodeModel`: the format fields and layer shapes are its own. */
function headerInput(header: ModelHeader): ModelHeaderInput {
  const { format: _format, formatVersion: _version, layers: _layers, ...input } = header;
  return input;
}

function summarise(id: string, fileName: string, header: ModelHeader, sizeBytes: number): ModelSummary {
  const accuracy = header.testAccuracy;
  return {
    status: 'ok',
    id,
    fileName,
    name: header.name ?? UNNAMED,
    layers: [...header.config.layers],
    activation: header.config.activation,
    testAccuracy: accuracy !== undefined && Number.isFinite(accuracy) ? accuracy : null,
    epochs: header.history.length,
    datasetName: header.dataset.name,
    createdAt: header.createdAt,
    sizeBytes,
  };
}

function problem(id: string | null, fileName: string, message: string): ModelFileProblem {
  return { status: 'error', id, fileName, message };
}

/** "<name> (copy)", shortened where needed to stay within the longest allowed name. */
function copyName(name: string): string {
  const room = MODEL_NAME_MAX_LENGTH - COPY_SUFFIX.length;
  const characters = [...name];
  return `${characters.length > room ? characters.slice(0, room).join('').trimEnd() : name}${COPY_SUFFIX}`;
}

/** A name from an imported file's name ("digits-v2.mlpmodel" → "digits-v2"), if it makes a valid one. */
function nameFromFile(path: string): string {
  const stem = basename(path, extname(path));
  const check = checkModelName([...stem].slice(0, MODEL_NAME_MAX_LENGTH).join(''));
  return check.ok ? check.name : 'Imported model';
}

function checkPath(path: unknown, action: string): string {
  if (typeof path !== 'string' || path === '' || !isAbsolute(path)) {
    throw new ModelStoreError(`Cannot ${action} ${JSON.stringify(path)}: a full path from a file dialog is needed.`);
  }
  return resolve(path);
}

/** Milliseconds since 1970 for sorting; a time that does not parse sorts as the oldest. */
function timeOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? -Infinity : ms;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A read's failure as one line naming the file: the bounded reader's and decoder's messages already do. */
function readProblem(error: unknown, fileName: string): string {
  if (error instanceof FileRefusedError || error instanceof ModelFileError) return error.message;
  return `${fileName} could not be read: ${messageOf(error)}`;
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
