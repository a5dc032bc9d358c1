/**
 * Lesson files the operating system hands the app: a path on the command line
 * (`mlp-lab lesson.mlplesson`, which is also how Windows and Linux open a file the installer
 * associated with the app), the command line of a second launch (Electron's 'second-instance'
 * gives it with that launch's working folder), or macOS's 'open-file'. They wait in an inbox until
 * the window asks for the next one.
 */
import { isAbsolute, resolve } from 'node:path';
import { LESSON_FILE_EXTENSION } from '../shared/lesson/lesson';

/**
 * The lesson file named on a command line, made absolute against the launch's working folder; the
 * last one if several are given. Chromium may move switches around in a second launch's argv, so
 * the path is recognised by its extension, never by its position.
 */
export function lessonPathFromArgv(argv: readonly string[], workingDirectory: string): string | null {
  for (let i = argv.length - 1; i >= 1; i--) {
    const word = argv[i];
    if (!word.startsWith('-') && word.toLowerCase().endsWith(LESSON_FILE_EXTENSION)) return isAbsolute(word) ? word : resolve(workingDirectory, word);
  }
  return null;
}

/** Paths kept while the window is not asking: a lesson is one at a time, so the newest few are enough. */
const MAX_WAITING = 4;

export interface LessonInbox {
  /** A path the operating system handed the app. */
  offer(path: string): void;
  /** The next path; a newer call makes an earlier, still waiting one resolve with null. */
  next(): Promise<string | null>;
}

export function createLessonInbox(): LessonInbox {
  const waiting: string[] = [];
  let taker: ((path: string | null) => void) | null = null;
  return {
    offer(path) {
      if (taker !== null) {
        const give = taker;
        taker = null;
        give(path);
        return;
      }
      waiting.push(path);
      if (waiting.length > MAX_WAITING) waiting.shift();
    },
    next() {
      taker?.(null);
      taker = null;
      const path = waiting.shift();
      if (path !== undefined) return Promise.resolve(path);
      return new Promise((resolve) => {
        taker = resolve;
      });
    },
  };
}
