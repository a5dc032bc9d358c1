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
import { decodeModel, encodeModel, ModelFileError, type ModelHeader, type ModelHeaderInput } from '../engine/files/model-file';
import type { NetworkWeights } from '../engine/nn/weights';
import { removeStaleTempFiles, writeFileAtomic, type AtomicWriteFs } from '../node/atomic-write';
import { FileRefusedError } from '../node/bounded-file';
import { protectedFolderOf } from '../node/library-guard';
import { readModelFileSync } from '../node/library-files';
import { ONNX_FILE_EXTENSION, modelFromOnnxBytes, readOnnxFile, writeOnnxFile } from '../node/onnx/onnx-file';
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

/** The file-system calls the store makes; tests pass their own to watch them or make one fail. */
export interface ModelStoreFs extends AtomicWriteFs {
  readdirSync(path: string): string[];
  /** A whole model file; by default the bounded reader (regular files only, header first, size-limited). */
  readFileSync(path: string): Uint8Array;
  existsSync(path: string): boolean;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

export interface ModelStoreDeps {
  /** The library folder; created on the first save or import. */
  dir: string;
  fs?: ModelStoreFs;
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
   * left out.
   */
  list(): ModelListEntry[];
  /** Saves a new model under a fresh id, stamped with the current time; returns the id. */
  save(name: unknown, model: ModelSaveInput, weights: NetworkWeights): string;
  /** Reads and verifies one model; a damaged file throws the decoder's `ModelFileError`. */
  load(id: unknown): LoadedModel;
  /** Rewrites the model's header with a new name; if that fails, the old file stays as it was. */
  rename(id: unknown, newName: unknown): void;
  /** Copies a model under a fresh id, named `newName` or "<name> (copy)"; returns the new id. */
  duplicate(id: unknown, newName?: unknown): string;
  /** Removes a model's file, readable or not. */
  delete(id: unknown): void;
  /** Writes a verified copy of the model's file, byte for byte, to an absolute path outside the library. */
  exportTo(id: unknown, destinationPath: string): void;
  /** Writes the verified model as a standard ONNX graph (see onnx-export.ts), atomically, to an absolute path. */
  exportOnnxTo(id: unknown, destinationPath: string): void;
  /**
   * Verifies a model file and adds a copy under a fresh id; returns the id. A file that does not
   * decode is refused with the decoder's message, and nothing is written. A `.onnx` file is read as
   * an ONNX MLP (see onnx-import.ts) and stored as an MLP Lab model.
   */
  importFrom(sourcePath: string): string;
}

const UNNAMED = 'Unnamed model';
const COPY_SUFFIX = ' (copy)';
/** Fresh ids to try before giving up; with 128 random bits even a second try is never needed. */
const ID_ATTEMPTS = 8;

export function createModelStore(deps: ModelStoreDeps): ModelStore {
  const dir = resolve(deps.dir);
  const fs = deps.fs ?? { ...nodeFs, readFileSync: (path: string) => readModelFileSync(path, basename(path)) };
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

  function readBytes(id: string): Uint8Array {
    try {
      return fs.readFileSync(pathOf(id));
    } catch (error) {
      if (codeOf(error) === 'ENOENT') throw new ModelStoreError(`There is no saved model ${id}; it may have been deleted. Refresh the list.`);
      throw new ModelStoreError(readProblem(error, fileNameOf(id)));
    }
  }

  function loadChecked(id: string): { bytes: Uint8Array; model: LoadedModel } {
    const bytes = readBytes(id);
    return { bytes, model: decodeModel(bytes, fileNameOf(id)) };
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

  function write(id: string, bytes: Uint8Array, action: string): void {
    try {
      fs.mkdirSync(dir, { recursive: true });
      writeFileAtomic(pathOf(id), bytes, fs);
    } catch (error) {
      throw new ModelStoreError(`Could not ${action}: ${messageOf(error)}`);
    }
  }

  /** The bytes of a model with a new name and everything else (weights, time, provenance) kept. */
  function withName({ header, weights }: LoadedModel, name: string): Uint8Array {
    return encodeModel({ ...headerInput(header), name }, weights);
  }

  function entryFor(fileName: string): ModelListEntry {
    const stem = fileName.slice(0, -MODEL_FILE_EXTENSION.length);
    if (!isModelId(stem)) {
      return problem(null, fileName, `${fileName} is in the model library but is not named by a model id, so the library leaves it alone; use Import to add a copy of it.`);
    }
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(join(dir, fileName));
    } catch (error) {
      return problem(stem, fileName, readProblem(error, fileName));
    }
    try {
      return summarise(stem, fileName, decodeModel(bytes, fileName).header, bytes.length);
    } catch (error) {
      // One bad file must not hide the others: whatever went wrong becomes its entry.
      return problem(stem, fileName, error instanceof ModelFileError ? error.message : `${fileName} could not be read as a model: ${messageOf(error)}`);
    }
  }

  return {
    list() {
      if (!fs.existsSync(dir)) return [];
      const files = fs.readdirSync(dir).filter((name) => !name.startsWith('.') && name.endsWith(MODEL_FILE_EXTENSION));
      const entries = files.map(entryFor);
      const ok = entries.filter((e): e is ModelSummary => e.status === 'ok');
      const bad = entries.filter((e): e is ModelFileProblem => e.status === 'error');
      ok.sort((a, b) => timeOf(b.createdAt) - timeOf(a.createdAt) || compare(a.id, b.id));
      bad.sort((a, b) => compare(a.fileName, b.fileName));
      return [...ok, ...bad];
    },

    save(name, model, weights) {
      const checkedName = checkName(name);
      const bytes = encodeModel({ ...model, name: checkedName, createdAt: now().toISOString(), appVersion }, weights);
      const id = freshId();
      write(id, bytes, `save the model "${checkedName}"`);
      return id;
    },

    load(id) {
      return loadChecked(checkId(id)).model;
    },

    rename(id, newName) {
      const checkedId = checkId(id);
      const name = checkName(newName);
      const { model } = loadChecked(checkedId);
      if (model.header.name === name) return;
      write(checkedId, withName(model, name), `rename the model to "${name}"; it keeps its old name`);
    },

    duplicate(id, newName) {
      const checkedId = checkId(id);
      const given = newName === undefined ? undefined : checkName(newName);
      const { model } = loadChecked(checkedId);
      const name = given ?? copyName(model.header.name ?? UNNAMED);
      const copyId = freshId();
      write(copyId, withName(model, name), `duplicate the model as "${name}"`);
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

    exportTo(id, destinationPath) {
      const checkedId = checkId(id);
      const destination = checkPath(destinationPath, 'export to');
      // The library names its files itself: an export into it could overwrite another model. Real
      // paths are compared, so a symlinked folder leading into the library is refused as well.
      if (protectedFolderOf(destination, [dir, ...(deps.protectedDirs ?? [])]) !== undefined) {
        throw new ModelStoreError('Choose a folder outside the model library to export to.');
      }
      // Verified first, so a damaged file is never passed on.
      const { bytes } = loadChecked(checkedId);
      try {
        writeFileAtomic(destination, bytes, fs);
      } catch (error) {
        throw new ModelStoreError(`Could not export to ${destination}: ${messageOf(error)}`);
      }
    },

    exportOnnxTo(id, destinationPath) {
      const checkedId = checkId(id);
      const destination = checkPath(destinationPath, 'export to');
      const { model } = loadChecked(checkedId);
      try {
        writeOnnxFile(destination, model.header, model.weights, appVersion, fs);
      } catch (error) {
        throw new ModelStoreError(`Could not export to ${destination}: ${messageOf(error)}`);
      }
    },

    importFrom(sourcePath) {
      const source = checkPath(sourcePath, 'import from');
      let bytes: Uint8Array;
      try {
        // An .onnx file is no MLP Lab model for the model reader; its own reader refuses one over the limit unread.
        const onnx = extname(source).toLowerCase() === ONNX_FILE_EXTENSION;
        bytes = onnx && deps.fs === undefined ? readOnnxFile(source) : fs.readFileSync(source);
      } catch (error) {
        const code = codeOf(error);
        if (code !== 'ENOENT' && (error instanceof FileRefusedError || error instanceof ModelFileError)) {
          throw new ModelStoreError(`Cannot import ${source}: ${error.message}`);
        }
        const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : messageOf(error);
        throw new ModelStoreError(`Cannot import ${source}: ${why}.`);
      }
      if (extname(source).toLowerCase() === ONNX_FILE_EXTENSION) {
        const imported = modelFromOnnxBytes(bytes, basename(source), { name: nameFromFile(source), appVersion, createdAt: now().toISOString() });
        const id = freshId();
        write(id, encodeModel(imported.header, imported.weights), `import ${basename(source)}`);
        return id;
      }
      const model = decodeModel(bytes, basename(source));
      const stored = checkModelName(model.header.name);
      // A file saved without a usable name is named after the file it came from.
      const name = stored.ok && stored.name === model.header.name ? null : nameFromFile(source);
      const id = freshId();
      write(id, name === null ? bytes : withName(model, name), `import ${basename(source)}`);
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
