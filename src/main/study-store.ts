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
import { readStudyFileSync } from '../node/library-files';
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
  /** A whole study file as text; by default the bounded reader (regular files only, size-limited). */
  readFileSync(path: string, encoding: 'utf8'): string;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

export interface StudyStore {
  /** Writes the study in the current format. */
  save(study: StudyData): void;
  /**
   * Every `<id>.json` file in the folder: readable studies newest first, then the files that cannot
   * be read, by file name, each with the message opening it would give. Other files (the atomic
   * writer's hidden temporary files among them) are not studies this version wrote and are left out.
   */
  list(): SavedStudyEntry[];
  open(id: unknown): OpenStudyResult;
  /** Rewrites the study with a new name and everything else kept; if that fails, the old file stays as it was. */
  rename(id: unknown, newName: unknown): CommandResult;
  /** Removes the study's file, readable or not. */
  delete(id: unknown): CommandResult;
}

type ReadStudy = { status: 'ok'; study: StudyData } | { status: 'gone' } | { status: 'error'; message: string };

const GONE = 'That study is no longer saved; it may have been deleted.';
const FILE_EXTENSION = '.json';

const boundedFs: StudyStoreFs = { ...nodeFs, readFileSync: (path: string) => readStudyFileSync(path, basename(path)) };

export function createStudyStore(dir: string, fs: StudyStoreFs = boundedFs): StudyStore {
  // What saves interrupted by a kill left behind goes now.
  removeStaleTempFiles(dir);
  const pathOf = (id: string): string => join(dir, `${id}${FILE_EXTENSION}`);
  const read = (id: string): ReadStudy => {
    let text: string;
    try {
      text = fs.readFileSync(pathOf(id), 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return { status: 'gone' };
      return { status: 'error', message: `The saved study ${id} cannot be read: ${messageOf(error)}` };
    }
    return parseStudyFile(id, text);
  };
  const write = (study: StudyData): void => {
    const file = { format: STUDY_FORMAT, ...study };
    writeFileAtomic(pathOf(study.id), new TextEncoder().encode(JSON.stringify(file)), fs);
  };

  const open = (id: unknown): OpenStudyResult => {
    if (!isStudyId(id)) return refuse(describeBadStudyId(id));
    const found = read(id);
    if (found.status === 'ok') return { ok: true, study: found.study };
    return refuse(found.status === 'gone' ? GONE : found.message);
  };

  return {
    save(study) {
      fs.mkdirSync(dir, { recursive: true });
      write(study);
    },
    list() {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        return [];
      }
      const readable: SavedStudySummary[] = [];
      const unreadable: StudyFileProblem[] = [];
      for (const fileName of names) {
        const id = fileName.endsWith(FILE_EXTENSION) ? fileName.slice(0, -FILE_EXTENSION.length) : '';
        if (!isStudyId(id)) continue;
        const found = read(id);
        // One that went between listing the folder and reading it is simply no longer there.
        if (found.status === 'gone') continue;
        if (found.status === 'error') {
          unreadable.push({ status: 'error', id, fileName, message: found.message });
          continue;
        }
        const { study } = found;
        readable.push({ status: 'ok', id, name: study.name, createdAt: study.createdAt, runCount: study.runs.length, finished: study.finished });
      }
      readable.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      unreadable.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
      return [...readable, ...unreadable];
    },
    open,
    rename(id, newName) {
      if (!isStudyId(id)) return refuse(describeBadStudyId(id));
      const name = checkStudyName(newName);
      if (!name.ok) return name;
      const opened = open(id);
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

/**
 * A study file's text as the study it holds, or why it cannot be opened. The format is checked
 * before the rest: a newer layout may lack what this version looks for, or mean something else by it.
 */
function parseStudyFile(id: string, text: string): ReadStudy {
  const unreadable = (why: string): ReadStudy => ({ status: 'error', message: `The saved study ${id} cannot be read: ${why}` });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return unreadable(`it is damaged (not valid JSON: ${messageOf(error)}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return unreadable(NOT_A_STUDY);
  // Files written before formats were numbered have none: they are format 1.
  const { format = 1, ...study } = value as Record<string, unknown>;
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    return unreadable(`it is damaged (its format, ${quote(format)}, is not a positive whole number).`);
  }
  if (format > STUDY_FORMAT) {
    return {
      status: 'error',
      message: `The saved study ${id} was saved by a newer MLP Lab (study format ${format}; this version reads format ${STUDY_FORMAT}). Update MLP Lab to open it.`,
    };
  }
  if (!looksLikeStudy(study)) return unreadable(NOT_A_STUDY);
  return { status: 'ok', study };
}

const NOT_A_STUDY = 'it is not a saved study (its name, date or runs are missing).';

/** Enough of a study's shape to list it and to rename it without losing anything. */
function looksLikeStudy(value: Record<string, unknown>): value is Record<string, unknown> & StudyData {
  const { name, createdAt, runs } = value;
  return typeof name === 'string' && typeof createdAt === 'string' && Array.isArray(runs);
}

/** A value from a file, shown safely in a message: as JSON (a number as itself), at most 40 characters. */
function quote(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
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
