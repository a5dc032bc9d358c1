/**
 * Saved studies: a folder (userData/studies in the app) with one JSON file per study, `<id>.json`,
 * each written atomically, so a crash mid-save or mid-rename leaves the previous file or none, never
 * half a file. Ids and names come from the renderer (reopen, rename, delete), so each is checked
 * before a path is built or anything is written. Each file carries its format (`STUDY_FORMAT`); one
 * from a newer MLP Lab is listed and can be deleted, but is never opened, renamed or overwritten.
 */
import * as nodeFs from 'node:fs';
import { basename, join } from 'node:path';
import { removeStaleTempFiles, writeFileAtomic, type AtomicWriteFs } from '../node/atomic-write';
import { readStudyFile } from '../node/library-files';
import { parseStudyText } from '../node/study-file';
import { createStudySummariser } from '../node/study-list-thread';
import type { CommandResult } from '../shared/lab-api';
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
  /** Writes the study in the current format. */
  save(study: StudyData): void;
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

export function createStudyStore(dir: string, fs: StudyStoreFs = boundedFs): StudyStore {
  // What saves interrupted by a kill left behind goes now.
  removeStaleTempFiles(dir);
  const summariser = createStudySummariser(STUDY_FORMAT);
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
    return found.status === 'ok' ? parseStudyText(id, new TextDecoder().decode(found.bytes), STUDY_FORMAT) : found;
  };
  const write = (study: StudyData): void => {
    const file = { format: STUDY_FORMAT, ...study };
    writeFileAtomic(pathOf(study.id), new TextEncoder().encode(JSON.stringify(file)), fs);
  };

  const open = async (id: unknown): Promise<OpenStudyResult> => {
    if (!isStudyId(id)) return refuse(describeBadStudyId(id));
    const found = await read(id);
    if (found.status === 'ok') return { ok: true, study: found.study };
    return refuse(found.status === 'gone' ? GONE : found.message);
  };

  return {
    save(study) {
      fs.mkdirSync(dir, { recursive: true });
      write(study);
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
        const line = found.status === 'ok' ? await summariser.summarise(id, found.bytes) : found;
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
        write({ ...opened.study, name: name.name });
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

function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
