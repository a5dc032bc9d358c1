/**
 * Lesson files on disk: read through the bounded reader (regular files only, within the lesson
 * limit, strict UTF-8), checked by `parseLesson`, and written atomically, so a crash mid-save
 * leaves the old file or the whole new one. Every refusal is one line naming the file.
 */
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { readBoundedFile, readBoundedFileSync } from './bounded-file';
import type { Lesson } from '../shared/lesson/lesson';
import { LessonFileError, parseLesson, serializeLesson } from '../shared/lesson/lesson-file';
import { relativeFolderProblem } from '../shared/lesson/lesson-state-read';


/** The file's text, refusing bytes that are not UTF-8 rather than reading them as something else. */
function textOf(bytes: Uint8Array, label: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LessonFileError(label, `${label}: it is not a lesson file (its text is not UTF-8).`);
  }
}

/** Reads and checks a lesson file (for the CLI). */
export function readLessonFileSync(path: string, label = basename(path)): Lesson {
  return parseLesson(textOf(readBoundedFileSync(path, { kind: 'lesson', label }), label), label);
}

/** Reads and checks a lesson file without blocking the caller's event loop (for the app's main process). */
export async function readLessonFile(path: string, label = basename(path)): Promise<Lesson> {
  return parseLesson(textOf(await readBoundedFile(path, { kind: 'lesson', label }), label), label);
}

/** Writes a lesson atomically; a lesson that could not be opened again is refused before anything is written. */
export function writeLessonFile(path: string, lesson: Lesson): void {
  writeFileAtomic(path, new TextEncoder().encode(serializeLesson(lesson, basename(path))));
}

/** The dataset folder a lesson names, beside the lesson file (the name was checked when the lesson was read). */
export function lessonFolderPath(lessonPath: string, folder: string): string {
  const problem = relativeFolderProblem(folder);
  if (problem !== null) throw new Error(`The lesson's dataset folder ${JSON.stringify(folder)} ${problem}`);
  return join(dirname(lessonPath), folder);
}
