/**
 * The path of a lesson file dropped on the window, as the preload found it with Electron's
 * `webUtils.getPathForFile`. It arrives over IPC, so main trusts nothing about it: only an absolute
 * path to a `.mlplesson` file outside MLP Lab's library folders (links resolved) is read, and the
 * bounded lesson reader then refuses anything that is not a regular file within the lesson limit.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { LESSON_FILE_EXTENSION } from '../shared/lesson/lesson';
import { protectedFolderOf } from '../node/library-guard';

/** Longer than any real path (Linux's PATH_MAX is 4 096 bytes); a longer one is refused unread. */
const MAX_PATH_LENGTH = 4096;

/** Why `path` is not opened as a dropped lesson, in one line; null when it may be read. */
export function droppedLessonPathProblem(path: unknown, protectedDirs: readonly string[]): string | null {
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH || path.includes('\0') || !isAbsolute(path)) {
    return 'A dropped lesson is opened from the file it came from; this one has no usable path.';
  }
  if (!path.toLowerCase().endsWith(LESSON_FILE_EXTENSION)) return `Only a ${LESSON_FILE_EXTENSION} file dropped on the window is opened as a lesson.`;
  if (protectedFolderOf(path, protectedDirs) !== undefined || protectedFolderOf(realPathOrSelf(path), protectedDirs) !== undefined) {
    return "A lesson is not opened from MLP Lab's own library folders; move it elsewhere and drop it again.";
  }
  return null;
}

/** The file's real path (a link dropped from elsewhere may point into a library); itself if it cannot be resolved. */
function realPathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
