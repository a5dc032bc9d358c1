/** The native dialogs of lessons: which lesson file to open, where to save one. */
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { LESSON_FILE_EXTENSION } from '../shared/lesson/lesson';
import { suggestedModelFileName } from './model-dialogs';

const FILTERS = [{ name: 'MLP Lab lesson', extensions: [LESSON_FILE_EXTENSION.slice(1)] }];

export interface LessonDialogs {
  /** Asks for a lesson file to open; null when the user cancels. */
  chooseOpenPath(): Promise<string | null>;
  /** Asks where to save a lesson; null when the user cancels. */
  chooseSavePath(suggestedName: string): Promise<string | null>;
}

export function createLessonDialogs(getWindow: () => BrowserWindow | null): LessonDialogs {
  return {
    async chooseOpenPath() {
      const options: OpenDialogOptions = { title: 'Open lesson', buttonLabel: 'Open lesson', filters: FILTERS, properties: ['openFile'] };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null);
    },
    async chooseSavePath(suggestedName) {
      const options: SaveDialogOptions = { title: 'Save lesson', defaultPath: suggestedModelFileName(suggestedName, LESSON_FILE_EXTENSION), filters: FILTERS };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
