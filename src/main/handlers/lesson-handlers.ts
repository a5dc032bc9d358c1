/**
 * The lesson commands, as plain functions over injected services like every other handler. Main
 * remembers the path of the lesson file it opened last, so a step's dataset folder is found beside
 * it, and the model the engine held before a lesson loaded its own, so leaving the lesson puts it back.
 */
import { basename } from 'node:path';
import { decodeModel } from '../../engine/files/model-file';
import { decodeBase64 } from '../../shared/lesson/base64';
import { LESSON_LIMITS, type Lesson } from '../../shared/lesson/lesson';
import type { LessonApi, OpenLessonResult } from '../../shared/lesson/lesson-api';
import { parseLesson, serializeLesson } from '../../shared/lesson/lesson-file';
import type { CurrentModel } from '../../shared/engine-requests';
import type { EngineSupervisor } from '../../node/engine-supervisor';
import { protectedFolderOf } from '../../node/library-guard';
import { lessonFolderPath } from '../../node/lesson-file-io';
import { droppedLessonPathProblem } from '../dropped-lesson-path';
import type { DatasetsService } from '../datasets';
import type { LessonDialogs } from '../lesson-dialogs';
import type { LessonInbox } from '../lesson-launch';
import type { CommandHandlers } from './handler-types';

export interface LessonHandlerDeps {
  dialogs: LessonDialogs;
  inbox: LessonInbox;
  /** Reads and checks a lesson file (bounded, off the main thread in the app). */
  read: (path: string) => Promise<Lesson>;
  /** Writes a lesson file atomically. */
  write: (path: string, lesson: Lesson) => void;
  engine: Pick<EngineSupervisor, 'request'>;
  /** Folders no lesson may be saved into (the model and study libraries). */
  protectedDirs: readonly string[];
}

type LessonHandlers = Pick<CommandHandlers, keyof LessonApi>;

export function createLessonHandlers(deps: LessonHandlerDeps | undefined, datasets: DatasetsService): LessonHandlers {
  const need = (): LessonHandlerDeps => {
    if (deps === undefined) throw new Error('Lessons are not available in this window.');
    return deps;
  };
  let lessonPath: string | null = null;
  // The files the lesson editor opened or saved, by the id the renderer holds instead of a path.
  const editedFiles = new Map<number, string>();
  let nextFileId = 1;
  const rememberEdited = (path: string): number => {
    for (const [id, known] of editedFiles) if (known === path) return id;
    // A window edits a few lessons a session; the oldest are forgotten past a bound (then "Save" asks again).
    if (editedFiles.size >= MAX_EDITED_FILES) editedFiles.delete(editedFiles.keys().next().value as number);
    editedFiles.set(nextFileId, path);
    return nextFileId++;
  };
  // The engine's model before the lesson loaded one: undefined while no lesson model was loaded.
  let modelBefore: CurrentModel | null | undefined;

  const open = async (d: LessonHandlerDeps, path: string): Promise<OpenLessonResult> => {
    try {
      const lesson = await d.read(path);
      lessonPath = path;
      return { ok: true, lesson, fileName: basename(path) };
    } catch (error) {
      return { ok: false, canceled: false, message: messageOf(error) };
    }
  };

  return {
    async openLesson() {
      const d = need();
      const path = await d.dialogs.chooseOpenPath();
      if (path === null) return { ok: false, canceled: true };
      return open(d, path);
    },

    async nextLessonFile() {
      // A window without lessons never hears of a file: its wait ends at once, quietly.
      if (deps === undefined) return { ok: false, canceled: true };
      const d = deps;
      const path = await d.inbox.next();
      if (path === null) return { ok: false, canceled: true };
      return open(d, path);
    },

    async openDroppedLesson(path) {
      const d = need();
      // The path comes from the renderer's side: checked before a byte is read, then read like any lesson file.
      const problem = droppedLessonPathProblem(path, d.protectedDirs);
      if (problem !== null) return { ok: false, canceled: false, message: problem };
      return open(d, path as string);
    },

    async saveLesson(lesson, suggestedName) {
      const d = need();
      const checked = checkLesson(lesson);
      if (!checked.ok) return checked;
      const path = await d.dialogs.chooseSavePath(nameToSuggest(suggestedName, checked.lesson));
      if (path === null) return { ok: false, canceled: true };
      const written = writeOutside(d, path, checked.lesson);
      return written.ok ? { ok: true, path } : written;
    },

    async openLessonToEdit() {
      const d = need();
      const path = await d.dialogs.chooseOpenPath();
      if (path === null) return { ok: false, canceled: true };
      try {
        const lesson = await d.read(path);
        return { ok: true, lesson, fileName: basename(path), fileId: rememberEdited(path) };
      } catch (error) {
        return { ok: false, canceled: false, message: messageOf(error) };
      }
    },

    async saveEditedLesson(lesson, fileId) {
      const d = need();
      const checked = checkLesson(lesson);
      if (!checked.ok) return checked;
      // Only a path this window chose in a dialog is written without asking.
      const known = typeof fileId === 'number' ? editedFiles.get(fileId) : undefined;
      const path = known ?? (await d.dialogs.chooseSavePath(checked.lesson.title));
      if (path === null) return { ok: false, canceled: true };
      const written = writeOutside(d, path, checked.lesson);
      if (!written.ok) return written;
      return { ok: true, path, fileName: basename(path), fileId: known !== undefined ? (fileId as number) : rememberEdited(path) };
    },

    async openLessonDataset(folder) {
      need();
      if (typeof folder !== 'string' || folder.length > LESSON_LIMITS.folderLength) return { ok: false, message: 'A lesson names its dataset folder as a short relative path.' };
      if (lessonPath === null) {
        return { ok: false, message: `This lesson's dataset folder "${folder}" is found beside its file; open the lesson with "Open lesson file…" (or by its path) to use it.` };
      }
      try {
        const opened = await datasets.openFolderAt(lessonFolderPath(lessonPath, folder));
        if (opened.ok) return { ok: true, dataset: opened.dataset };
        return { ok: false, message: opened.canceled ? `The lesson's dataset folder "${folder}" was not opened.` : opened.message };
      } catch (error) {
        return { ok: false, message: messageOf(error) };
      }
    },

    async useLessonModel(model) {
      const d = need();
      try {
        const { name, base64 } = (model ?? {}) as Record<string, unknown>;
        if (typeof name !== 'string' || name.length > 100 || typeof base64 !== 'string' || base64.length > Math.ceil(LESSON_LIMITS.modelBytes / 3) * 4 + 4) {
          throw new Error("The lesson's model is not a named model file of at most 8 MiB.");
        }
        const bytes = decodeBase64(base64);
        if (typeof bytes === 'string') throw new Error(`The lesson's model is damaged: ${bytes}.`);
        const { header, weights } = decodeModel(bytes, `The lesson's model "${name}"`);
        if (modelBefore === undefined) modelBefore = (await d.engine.request({ kind: 'current-model' })).model;
        await d.engine.request({ kind: 'load-model', model: { source: 'library', name, config: header.config, weights, history: header.history, dataset: header.dataset } });
        return { ok: true };
      } catch (error) {
        return { ok: false, message: messageOf(error) };
      }
    },

    async endLesson() {
      const d = need();
      // The path stays: a lesson opened from a file while another plays is read by main before the
      // renderer ends the old one, so forgetting it here would strand the new lesson's dataset folder.
      // Only lessons from a file ask for their folder (the player refuses it for the others).
      const before = modelBefore;
      modelBefore = undefined;
      if (before === undefined) return { ok: true };
      if (before === null) return { ok: false, message: "There was no model before the lesson, so the lesson's model stays the current one." };
      try {
        await d.engine.request({ kind: 'load-model', model: before });
        return { ok: true };
      } catch (error) {
        return { ok: false, message: `The model from before the lesson could not be put back: ${messageOf(error)}` };
      }
    },
  };
}

const MAX_EDITED_FILES = 64;

type Checked = { ok: true; lesson: Lesson } | { ok: false; canceled: false; message: string };

/** The renderer's lesson is untrusted input: read back through the file format's own checks. */
function checkLesson(lesson: unknown): Checked {
  try {
    return { ok: true, lesson: parseLesson(serializeLesson(lesson as Lesson, 'The lesson'), 'The lesson') };
  } catch (error) {
    return { ok: false, canceled: false, message: messageOf(error) };
  }
}

function nameToSuggest(suggestedName: unknown, lesson: Lesson): string {
  return typeof suggestedName === 'string' && suggestedName.length <= 200 ? suggestedName : lesson.title;
}

/** Writes the lesson atomically, never into one of MLP Lab's library folders. */
function writeOutside(d: LessonHandlerDeps, path: string, lesson: Lesson): { ok: true } | { ok: false; canceled: false; message: string } {
  if (protectedFolderOf(path, d.protectedDirs) !== undefined) {
    return { ok: false, canceled: false, message: "Choose a folder outside MLP Lab's own library folders to save the lesson in." };
  }
  try {
    d.write(path, lesson);
    return { ok: true };
  } catch (error) {
    return { ok: false, canceled: false, message: `Could not write ${path}: ${messageOf(error)}` };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
