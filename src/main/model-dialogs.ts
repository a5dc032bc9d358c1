/** The native dialogs of the Models screen: where to export a model, which file to import. */
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { MODEL_FILE_EXTENSION } from '../shared/model-library';
import type { ModelDialogs } from './handlers/insight-handlers';

const FILTERS = [{ name: 'MLP Lab model', extensions: [MODEL_FILE_EXTENSION.slice(1)] }];

/** A file name safe to suggest: the model's name with anything path-like replaced. */
export function suggestedModelFileName(name: string): string {
  const stem = name.replace(/[^\p{L}\p{N} ._-]+/gu, '-').replace(/^[.\s-]+/, '').slice(0, 100).trim();
  return `${stem || 'model'}${MODEL_FILE_EXTENSION}`;
}

export function createModelDialogs(getWindow: () => BrowserWindow | null): ModelDialogs {
  return {
    async chooseExportPath(suggestedName) {
      const options: SaveDialogOptions = { title: 'Export model', defaultPath: suggestedModelFileName(suggestedName), filters: FILTERS };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseImportPath() {
      const options: OpenDialogOptions = { title: 'Import model', buttonLabel: 'Import', filters: FILTERS, properties: ['openFile'] };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null);
    },
  };
}
