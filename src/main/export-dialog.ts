/** The native "Save as…" for exports (results CSV, chart PNG), written atomically. */
import { dialog, type BrowserWindow, type SaveDialogOptions } from 'electron';
import { writeFileAtomic } from '../node/atomic-write';
import type { ExportFileRequest, ExportFileResult } from '../shared/study-api';

export async function saveExportWithDialog(window: BrowserWindow | null, request: ExportFileRequest): Promise<ExportFileResult> {
  const options: SaveDialogOptions = {
    title: request.kind === 'csv' ? 'Export results as CSV' : 'Export chart as PNG',
    defaultPath: request.suggestedName,
    filters: [request.kind === 'csv' ? { name: 'CSV', extensions: ['csv'] } : { name: 'PNG image', extensions: ['png'] }],
  };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return { status: 'canceled' };
  try {
    const bytes = typeof request.content === 'string' ? new TextEncoder().encode(request.content) : request.content;
    writeFileAtomic(result.filePath, bytes);
    return { status: 'saved', path: result.filePath };
  } catch (error) {
    return { status: 'failed', message: `Could not write ${result.filePath}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
