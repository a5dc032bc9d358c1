/** The native "Save as…" for exports (results CSV, chart PNG), written atomically. */
import { dialog, type BrowserWindow, type SaveDialogOptions } from 'electron';
import { writeFileAtomic } from '../node/atomic-write';
import { protectedFolderOf } from '../node/library-guard';
import type { ExportFileRequest, ExportFileResult } from '../shared/study-api';

/** Asks where to save, then writes there atomically; never into one of `protectedDirs` (links resolved). */
export async function saveExportWithDialog(window: BrowserWindow | null, request: ExportFileRequest, protectedDirs: readonly string[]): Promise<ExportFileResult> {
  const options: SaveDialogOptions = {
    title: request.kind === 'csv' ? 'Export results as CSV' : 'Export chart as PNG',
    defaultPath: request.suggestedName,
    filters: [request.kind === 'csv' ? { name: 'CSV', extensions: ['csv'] } : { name: 'PNG image', extensions: ['png'] }],
  };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return { ok: false, canceled: true };
  if (protectedFolderOf(result.filePath, protectedDirs) !== undefined) {
    return { ok: false, canceled: false, message: "Choose a folder outside MLP Lab's own library folders to export to; a file there could replace a saved model or study." };
  }
  try {
    const bytes = typeof request.content === 'string' ? new TextEncoder().encode(request.content) : request.content;
    writeFileAtomic(result.filePath, bytes);
    return { ok: true, path: result.filePath };
  } catch (error) {
    return { ok: false, canceled: false, message: `Could not write ${result.filePath}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
