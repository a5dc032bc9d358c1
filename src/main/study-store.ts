/**
 * Saved studies: a folder (userData/studies in the app) with one JSON file per study, `<id>.json`,
 * each written atomically, so a crash mid-save or mid-rename leaves the previous file or none, never
 * half a file. What is written is always what can be read back: curves are thinned to the
 * saved-study budget (study-curve-limit.ts), and a file that would still exceed the study read
 * limit is refused before anything is written. Files are encoded a run at a time and written off
 * the main thread; large ones are parsed on a worker thread, to list and to open. Ids and names come from the renderer (reopen, rename, delete), so each is checked
 * before a path is built or anything is written. Each file carries its format (`STUDY_FORMAT`); one
 * from a newer MLP Lab is listed and can be deleted, but is never opened, renamed or overwritten.
 */
import * as nodeFs from 'node:fs';
import { basename, join } from 'node:path';
import { nodeOffThreadWrites, removeStaleTempFiles, writeFileAtomicAsync, type AtomicWriteFs } from '../node/atomic-write';
import { FILE_SIZE_LIMITS } from '../node/bounded-file';
import { describeBytes } from '../node/byte-count';
import { readStudyFile } from '../node/library-files';
import { runInSlices } from '../node/run-in-slices';
import { createStudyFileReader } from '../node/study-file-thread';
import type { Sliced } from '../engine/files/slices';
import type { CommandResult } from '../shared/lab-api';
import { STUDY_CURVE_LIMITS, thinStudyCurves } from '../shared/study-curve-limit';
import {
  checkStudyName,
  describeBadStudyId,
  isStudyId,
  STUDY_FORMAT,
  type OpenStudyResult,
  type SavedStudyEntry,
  type SavedStudySummary,
  type StudyData,
  type StudyFileProblem,
} from '../shared/study-api';

export interface StudyStoreFs extends AtomicWriteFs {
  readdirSync(path: string): string[];
  /** A whole study file's bytes; by default the bounded reader (regular files only, size-limited), asynchronous. */
  readStudy(path: string): Promise<Uint8Array>;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

export interface StudyStore {
  /**
   * Writes the study in the current format, its curves thinned to the saved-study budget; rejects,
   * writing nothing, when the file would still be larger than a study file may be read.
   */
  save(study: StudyData): Promise<void>;
  /**
   * Every `<id>.json` file in the folder: readable studies newest first, then the files that cannot
   * be read, by file name, each with the message opening it would give. Other files (the atomic
   * writer's hidden temporary files among them) are not studies this version wrote and are left out.
   * The files are read without blocking and parsed on a worker thread.
   */
  list(): Promise<SavedStudyEntry[]>;
  open(id: unknown): Promise<OpenStudyResult>;
  /** Rewrites the study with a new name and everything else kept; if that fails, the old file stays as it was. */
  rename(id: unknown, newName: unknown): Promise<CommandResult>;
  /** Removes the study's file, readable or not. */
  delete(id: unknown): CommandResult;
}

type ReadStudy = { status: 'ok'; study: StudyData } | { status: 'gone' } | { status: 'error'; message: string };
type ReadBytes = { status: 'ok'; bytes: Uint8Array } | { status: 'gone' } | { status: 'error'; message: string };

const GONE = 'That study is no longer saved; it may have been deleted.';
const FILE_EXTENSION = '.json';

const boundedFs: StudyStoreFs = { ...nodeFs, readStudy: (path: string) => readStudyFile(path, basename(path)) };

export interface StudyStoreOptions {
  /** The largest file the store writes: what it reads back (a smaller one in tests). */
  maxFileBytes?: number;
}

export function createStudyStore(dir: string, fs: StudyStoreFs = boundedFs, options: StudyStoreOptions = {}): StudyStore {
  // What saves interrupted by a kill left behind goes now.
  removeStaleTempFiles(dir);
  const maxFileBytes = options.maxFileBytes ?? FILE_SIZE_LIMITS.study;
  // Off-thread writes only on the real file system: a test's own calls are used as given.
  const offThread = fs === boundedFs ? nodeOffThreadWrites : undefined;
  const files = createStudyFileReader(STUDY_FORMAT);
  const pathOf = (id: string): string => join(dir, `${id}${FILE_EXTENSION}`);
  const readBytes = async (id: string): Promise<ReadBytes> => {
    try {
      return { status: 'ok', bytes: await fs.readStudy(pathOf(id)) };
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return { status: 'gone' };
      return { status: 'error', message: `The saved study ${id} cannot be read: ${messageOf(error)}` };
    }
  };
  const read = async (id: string): Promise<ReadStudy> => {
    const found = await readBytes(id);
    return found.status === 'ok' ? files.open(id, found.bytes) : found;
  };
  const write = async (study: StudyData): Promise<void> => {
    const bytes = await runInSlices(encodeStudyInSlices(study, maxFileBytes));
    await writeFileAtomicAsync(pathOf(study.id), bytes, fs, offThread);
  };

  const open = async (id: unknown): Promise<OpenStudyResult> => {
    if (!isStudyId(id)) return refuse(describeBadStudyId(id));
    const found = await read(id);
    if (found.status === 'ok') return { ok: true, study: found.study };
    return refuse(found.status === 'gone' ? GONE : found.message);
  };

  return {
    async save(study) {
      fs.mkdirSync(dir, { recursive: true });
      await write(study);
    },
    async list() {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        return [];
      }
      const readable: SavedStudySummary[] = [];
      const unreadable: StudyFileProblem[] = [];
      const ids = names.map((fileName) => (fileName.endsWith(FILE_EXTENSION) ? fileName.slice(0, -FILE_EXTENSION.length) : '')).filter(isStudyId);
      // One file at a time: never more than one study's text in memory.
      for (const id of ids) {
        const fileName = `${id}${FILE_EXTENSION}`;
        const found = await readBytes(id);
        // One that went between listing the folder and reading it is simply no longer there.
        if (found.status === 'gone') continue;
        const line = found.status === 'ok' ? await files.summarise(id, found.bytes) : found;
        if (line.status === 'error') unreadable.push({ status: 'error', id, fileName, message: line.message });
        else readable.push({ id, ...line });
      }
      readable.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      unreadable.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
      return [...readable, ...unreadable];
    },
    open,
    async rename(id, newName) {
      if (!isStudyId(id)) return refuse(describeBadStudyId(id));
      const name = checkStudyName(newName);
      if (!name.ok) return name;
      const opened = await open(id);
      if (!opened.ok) return opened;
      if (opened.study.name === name.name) return { ok: true };
      try {
        await write({ ...opened.study, name: name.name });
      } catch (error) {
        return refuse(`Could not rename the study to "${name.name}"; it keeps its old name: ${messageOf(error)}`);
      }
      return { ok: true };
    },
    delete(id) {
      if (!isStudyId(id)) return refuse(describeBadStudyId(id));
      try {
        fs.unlinkSync(pathOf(id));
      } catch (error) {
        if (codeOf(error) === 'ENOENT') return refuse('That study is no longer saved; it may have been deleted already. Refresh the list.');
        return refuse(`Could not delete the saved study ${id}: ${messageOf(error)}`);
      }
      return { ok: true };
    },
  };
}

/**
 * The file's bytes (`{ "format": …, ...study }`), its runs' curves thinned to the budget, one run
 * encoded per slice: a run's thinned curves are a few hundred KB of JSON at most. Throws as soon
 * as the file would exceed `maxBytes` (long run messages could still get there).
 */
function* encodeStudyInSlices(study: StudyData, maxBytes: number): Sliced<Uint8Array> {
  const encoder = new TextEncoder();
  const { runs, ...rest } = study;
  const head = JSON.stringify({ format: STUDY_FORMAT, ...rest });
  const pieces: Uint8Array[] = [];
  let length = 0;
  const add = (text: string): void => {
    const piece = encoder.encode(text);
    length += piece.length;
    if (length > maxBytes) {
      throw new Error(`its file would be larger than ${describeBytes(maxBytes)}, the most MLP Lab reads back as a study; nothing was written.`);
    }
    pieces.push(piece);
  };
  add(`${head.slice(0, -1)},"runs":[`);
  for (const [i, run] of thinStudyCurves(runs, STUDY_CURVE_LIMITS).entries()) {
    add(`${i === 0 ? '' : ','}${JSON.stringify(run)}`);
    yield;
  }
  add(']}');
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return bytes;
}

function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
