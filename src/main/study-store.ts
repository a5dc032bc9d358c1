/**
 * Saved studies: a folder (userData/studies in the app) with one JSON file per study, `<id>.json`,
 * each written atomically, so a crash mid-save leaves the previous save or none, never half a file.
 * Ids come from the renderer when a study is reopened, so each is checked before a path is built.
 */
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, type AtomicWriteFs } from '../node/atomic-write';
import { isStudyId, type OpenStudyResult, type SavedStudySummary, type StudyData } from '../shared/study-api';

export interface StudyStoreFs extends AtomicWriteFs {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: 'utf8'): string;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

export interface StudyStore {
  save(study: StudyData): void;
  list(): SavedStudySummary[];
  open(id: unknown): OpenStudyResult;
}

export function createStudyStore(dir: string, fs: StudyStoreFs = nodeFs): StudyStore {
  const pathOf = (id: string): string => join(dir, `${id}.json`);
  const read = (id: string): StudyData => JSON.parse(fs.readFileSync(pathOf(id), 'utf8')) as StudyData;
  return {
    save(study) {
      fs.mkdirSync(dir, { recursive: true });
      writeFileAtomic(pathOf(study.id), new TextEncoder().encode(JSON.stringify(study)), fs);
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
    open(id) {
      if (!isStudyId(id)) return { ok: false, message: 'That is not a saved study’s id.' };
      try {
        return { ok: true, study: read(id) };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { ok: false, message: 'That study is no longer saved; it may have been deleted.' };
        return { ok: false, message: `The saved study ${id} cannot be read: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}
