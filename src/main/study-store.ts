/**
 * Saved studies: a folder (userData/studies in the app) with one JSON file per study, `<id>.json`,
 * each written atomically, so a crash mid-save or mid-rename leaves the previous file or none, never
 * half a file. Ids and names come from the renderer (reopen, rename, delete), so each is checked
 * before a path is built or anything is written.
 */
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, type AtomicWriteFs } from '../node/atomic-write';
import type { CommandResult } from '../shared/lab-api';
import { checkStudyName, describeBadStudyId, isStudyId, type OpenStudyResult, type SavedStudySummary, type StudyData } from '../shared/study-api';

export interface StudyStoreFs extends AtomicWriteFs {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: 'utf8'): string;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

export interface StudyStore {
  save(study: StudyData): void;
  list(): SavedStudySummary[];
  open(id: unknown): OpenStudyResult;
  /** Rewrites the study with a new name and everything else kept; if that fails, the old file stays as it was. */
  rename(id: unknown, newName: unknown): CommandResult;
  /** Removes the study's file. */
  delete(id: unknown): CommandResult;
}

export function createStudyStore(dir: string, fs: StudyStoreFs = nodeFs): StudyStore {
  const pathOf = (id: string): string => join(dir, `${id}.json`);
  const read = (id: string): StudyData => {
    const study: unknown = JSON.parse(fs.readFileSync(pathOf(id), 'utf8'));
    if (!looksLikeStudy(study)) throw new Error('it is not a saved study (its name, date or runs are missing).');
    return study;
  };
  const write = (study: StudyData): void => writeFileAtomic(pathOf(study.id), new TextEncoder().encode(JSON.stringify(study)), fs);

  const open = (id: unknown): OpenStudyResult => {
    if (!isStudyId(id)) return refuse(describeBadStudyId(id));
    try {
      return { ok: true, study: read(id) };
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return refuse('That study is no longer saved; it may have been deleted.');
      return refuse(`The saved study ${id} cannot be read: ${messageOf(error)}`);
    }
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
      const summaries: SavedStudySummary[] = [];
      for (const name of names) {
        const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
        if (!isStudyId(id)) continue;
        try {
          const study = read(id);
          summaries.push({ id, name: study.name, createdAt: study.createdAt, runCount: study.runs.length, finished: study.finished });
        } catch {
          // An unreadable file is left alone and not listed; opening it by id says what is wrong.
        }
      }
      return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
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

/** Enough of a study's shape to list it and to rename it without losing anything. */
function looksLikeStudy(value: unknown): value is StudyData {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { name, createdAt, runs } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof createdAt === 'string' && Array.isArray(runs);
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
