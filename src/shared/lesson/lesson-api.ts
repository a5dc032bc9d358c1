/**
 * The lessons' part of `window.lab`: opening a lesson file (through a dialog, or the file the
 * operating system hands the app: a path on the command line, a second launch, macOS's open-file),
 * saving one, and the two things only main can do for a step: open a dataset folder named relative
 * to the lesson file, and load the model a lesson carries (putting the earlier model back when the
 * lesson ends).
 */
import type { CommandResult, DialogResult } from '../command-result';
import type { DatasetInfo } from '../engine-protocol';
import type { Lesson, LessonModel } from './lesson';

/** A lesson read and checked by main; `fileName` is the file's name (not its folder). */
export type OpenLessonResult = DialogResult<{ lesson: Lesson; fileName: string }>;

export type SaveLessonResult = DialogResult<{ path: string }>;

/**
 * A lesson opened for editing. `fileId` stands for the file's path, which main keeps: saving
 * again with it writes the same file without asking, and the renderer never names a path to write.
 */
export type EditLessonResult = DialogResult<{ lesson: Lesson; fileName: string; fileId: number }>;

/** Where the editor saved the lesson; `fileId` names that file for the next save. */
export type SaveEditedLessonResult = DialogResult<{ path: string; fileName: string; fileId: number }>;

/**
 * A lesson file dropped on the window, as the preload answers: read and checked by main (its folder
 * then known, like a file opened through the dialog), or `notOnDisk` when the File has no path
 * (built in the page, or no Electron preload, as in a browser): the page then reads it itself.
 */
export type DroppedLessonResult = OpenLessonResult | { ok: false; canceled: false; notOnDisk: true; message: string };

export type LessonDatasetResult = { ok: true; dataset: DatasetInfo } | { ok: false; message: string };

export interface LessonApi {
  /** Shows an open dialog for a `.mlplesson` file, reads and checks it. */
  openLesson(): Promise<OpenLessonResult>;
  /**
   * Waits for the next lesson file the operating system hands the app (at launch or later) and
   * answers with it read and checked, or with why it cannot be opened. A newer call supersedes a
   * waiting one, which then answers `{ ok: false, canceled: true }`.
   */
  nextLessonFile(): Promise<OpenLessonResult>;
  /** Asks where to save (native dialog) and writes the lesson there atomically. */
  saveLesson(lesson: Lesson, suggestedName: string): Promise<SaveLessonResult>;
  /** The lesson editor's "Open…" and "Import…": an open dialog for a lesson file, read and checked. */
  openLessonToEdit(): Promise<EditLessonResult>;
  /**
   * The lesson editor's "Save": writes the lesson atomically to the file `fileId` stands for (one
   * this window opened or saved for editing), or, with null or an unknown id, asks where first.
   */
  saveEditedLesson(lesson: Lesson, fileId: number | null): Promise<SaveEditedLessonResult>;
  /**
   * A file dropped on the window: the preload finds its path (Electron's `webUtils.getPathForFile`)
   * and main reads and checks it as a lesson file; the page never sees the path. Over IPC the
   * argument is that path, which main checks again (a `.mlplesson` regular file outside the libraries).
   */
  openDroppedLesson(file: File): Promise<DroppedLessonResult>;
  /** Opens a dataset folder named relative to the lesson file main opened last. */
  openLessonDataset(folder: string): Promise<LessonDatasetResult>;
  /** Makes a lesson's embedded model the engine's current model (the first time, keeping the one before). */
  useLessonModel(model: LessonModel): Promise<CommandResult>;
  /** The lesson is over: puts back the model the engine had before the lesson loaded one. */
  endLesson(): Promise<CommandResult>;
}
