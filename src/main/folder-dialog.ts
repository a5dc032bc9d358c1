/** The native "Open dataset folder…" picker. */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';

/** Asks for one folder; resolves to its path, or null when the user cancels. */
export async function chooseDatasetFolder(window: BrowserWindow | null): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Open dataset folder',
    buttonLabel: 'Open dataset',
    message: 'Choose a folder with IDX files (train and t10k images and labels, raw or .gz).',
    properties: ['openDirectory'],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null);
}
