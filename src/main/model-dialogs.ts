/** The native dialogs of the Models screen: where to export a model (ours or ONNX), which file to import. */
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { ONNX_FILE_EXTENSION } from '../node/onnx/onnx-file';
import { MODEL_FILE_EXTENSION } from '../shared/model-library';
import type { ModelDialogs } from './handlers/insight-handlers';

const FILTERS = [{ name: 'MLP Lab model', extensions: [MODEL_FILE_EXTENSION.slice(1)] }];
const ONNX_FILTERS = [{ name: 'ONNX model', extensions: [ONNX_FILE_EXTENSION.slice(1)] }];
const IMPORT_FILTERS = [
  { name: 'MLP Lab or ONNX model', extensions: [MODEL_FILE_EXTENSION.slice(1), ONNX_FILE_EXTENSION.slice(1)] },
  ...FILTERS,
  ...ONNX_FILTERS,
];

/** A file name safe to suggest: the model's name with anything path-like replaced. */
export function suggestedModelFileName(name: string, extension = MODEL_FILE_EXTENSION): string {
  const stem = name.replace(/[^\p{L}\p{N} ._-]+/gu, '-').replace(/^[.\s-]+/, '').slice(0, 100).trim();
  return `${stem || 'model'}${extension}`;
}

export function createModelDialogs(getWindow: () => BrowserWindow | null): ModelDialogs {
  return {
    async chooseExportPath(suggestedName) {
      const options: SaveDialogOptions = { title: 'Export model', defaultPath: suggestedModelFileName(suggestedName), filters: FILTERS };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseOnnxExportPath(suggestedName) {
      const options: SaveDialogOptions = {
        title: 'Export model as ONNX',
        defaultPath: suggestedModelFileName(suggestedName, ONNX_FILE_EXTENSION),
        filters: ONNX_FILTERS,
      };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseImportPath() {
      const options: OpenDialogOptions = { title: 'Import model', buttonLabel: 'Import', filters: IMPORT_FILTERS, properties: ['openFile'] };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null);
    },
  };
}
