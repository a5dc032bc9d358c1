/**
 * The Experiments screen's commands, as plain functions over injected services like every other
 * handler: the arguments are untrusted (the sender is checked before).
 */
import type { CommandResult } from '../../shared/lab-api';
import { checkStudyRequest, EXPORT_MAX_BYTES, type ExportFileRequest, type ExportFileResult, type StartStudyResult } from '../../shared/study-api';
import type { StartRun } from '../../node/study-scheduler';
import type { DatasetsService, KnownDataset } from '../datasets';
import type { DatasetRef } from '../../node/engine-supervisor';
import type { CommandHandlers } from './handler-types';
import { shapeMismatch } from './shape-mismatch';
import type { StudyService } from '../study-service';

export interface StudyHandlerDeps {
  studies: StudyService;
  /** A `startRun` that trains on `dataset`, one engine process per run. */
  runStarter: (dataset: DatasetRef) => StartRun;
  /** Asks where to save an export (native dialog) and writes it atomically. */
  saveExport: (request: ExportFileRequest) => Promise<ExportFileResult>;
}

type StudyCommand = 'startStudy' | 'cancelStudyRun' | 'cancelStudy' | 'listStudies' | 'openStudy' | 'renameStudy' | 'deleteStudy' | 'exportFile';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Checks an export request from the renderer; null when it is usable, else why not. */
export function exportProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'An export must be an object.';
  const { kind, suggestedName, content } = value as Record<string, unknown>;
  if (typeof suggestedName !== 'string' || suggestedName.length > 200) return 'An export needs a file name of at most 200 characters.';
  if (kind === 'csv') {
    if (typeof content !== 'string') return 'A CSV export must be text.';
    if (content.length > EXPORT_MAX_BYTES) return 'The CSV is too large to export.';
    return null;
  }
  if (kind === 'png') {
    if (!(content instanceof Uint8Array)) return 'A PNG export must be bytes.';
    if (content.length > EXPORT_MAX_BYTES) return 'The picture is too large to export.';
    if (!PNG_MAGIC.every((byte, i) => content[i] === byte)) return 'The picture is not a PNG.';
    return null;
  }
  return 'An export is a CSV or a PNG.';
}

/** A file name safe to suggest in a save dialog, ending in the export's extension. */
export function safeExportName(suggestedName: string, kind: 'csv' | 'png'): string {
  const stem = suggestedName.replace(/\.(csv|png)$/i, '').replace(/[^\p{L}\p{N} ._-]+/gu, '-').replace(/^[.\s-]+/, '').slice(0, 100);
  return `${stem || 'study'}.${kind}`;
}

export function createStudyHandlers(
  deps: StudyHandlerDeps | undefined,
  datasets: DatasetsService,
): Pick<CommandHandlers, StudyCommand> {
  const unavailable = 'Studies are not available in this window.';
  return {
    async startStudy(request): Promise<StartStudyResult> {
      if (!deps) return { ok: false, message: unavailable };
      const checked = checkStudyRequest(request);
      if (!checked.ok) return checked;
      let dataset: KnownDataset | undefined;
      try {
        dataset = await datasets.find(checked.request.datasetId);
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      if (!dataset) return { ok: false, message: `There is no dataset "${checked.request.datasetId.slice(0, 80)}"; open its folder again.` };
      for (const run of checked.runs) {
        const mismatch = shapeMismatch(run.config, dataset.info);
        if (mismatch) return { ok: false, message: mismatch };
      }
      return deps.studies.start(checked.request, checked.runs, deps.runStarter(dataset.ref));
    },

    async cancelStudyRun(studyId, runIndex): Promise<CommandResult> {
      return deps ? deps.studies.cancelRun(studyId, runIndex) : { ok: false, message: unavailable };
    },

    async cancelStudy(studyId): Promise<CommandResult> {
      return deps ? deps.studies.cancelAll(studyId) : { ok: false, message: unavailable };
    },

    async listStudies() {
      return deps ? deps.studies.list() : [];
    },

    async openStudy(studyId) {
      return deps ? deps.studies.open(studyId) : { ok: false, message: unavailable };
    },

    async renameStudy(studyId, name): Promise<CommandResult> {
      return deps ? deps.studies.rename(studyId, name) : { ok: false, message: unavailable };
    },

    async deleteStudy(studyId): Promise<CommandResult> {
      return deps ? deps.studies.delete(studyId) : { ok: false, message: unavailable };
    },

    async exportFile(request): Promise<ExportFileResult> {
      if (!deps) return { ok: false, canceled: false, message: unavailable };
      const problem = exportProblem(request);
      if (problem) return { ok: false, canceled: false, message: problem };
      const checked = request as ExportFileRequest;
      return deps.saveExport({ ...checked, suggestedName: safeExportName(checked.suggestedName, checked.kind) });
    },
  };
}
