/**
 * The renderer's whole view of the rest of the app: `window.lab`, exposed by the preload with one
 * named method per message. Nothing here is Electron-specific, so the end-to-end tests can provide
 * the same object through a test bridge to the real main-side handlers and a real worker.
 */
import type { InsightApi } from './insight-api';
import type { RunConfig } from '../engine/training/run-config';
import type { IterationPoint } from '../engine/training/events';
import type { DatasetInfo, EngineInfo, EngineRunEvent } from './engine-protocol';

export type { DatasetInfo, EngineInfo, IterationPoint };
import type { ExportFileRequest, ExportFileResult, OpenStudyResult, SavedStudyEntry, StartStudyResult, StudyEvent, StudyRequest } from './study-api';
import type { CommandResult, DialogResult } from './command-result';
import type { LessonApi } from './lesson/lesson-api';

export type { CommandResult };

/** The answer to "Open dataset folder…". */
export type OpenDatasetResult = DialogResult<{ dataset: DatasetInfo }>;

/**
 * What the renderer hears about the current run: the engine's run events (engine-protocol.ts),
 * relayed by main, and main's own word when the engine process itself is gone.
 */
export type RunEvent = EngineRunEvent | { type: 'engine-crashed'; message: string };

export interface LabApi extends InsightApi, LessonApi {
  /** The datasets available now: the built-in MNIST first, then any opened folders. */
  listDatasets(): Promise<DatasetInfo[]>;
  /** Shows a folder picker and validates the IDX files in the chosen folder. */
  openDatasetFolder(): Promise<OpenDatasetResult>;
  /** Starts a run; refused (with a message) when the config is invalid or a run is active. */
  startRun(config: RunConfig, datasetId: string): Promise<CommandResult>;
  pause(): Promise<CommandResult>;
  resume(): Promise<CommandResult>;
  stop(): Promise<CommandResult>;
  /**
   * Holds the run, and the runs started after it, to `batchesPerSecond` minibatches a second
   * (from 0.5 to 1000); null trains at full speed. Takes effect at once, also during a run.
   */
  setPace(batchesPerSecond: number | null): Promise<CommandResult>;
  /** While the run is paused: trains exactly one minibatch, reports it, and stays paused. */
  step(): Promise<CommandResult>;
  /** Subscribes to run events; returns the function that unsubscribes. */
  onRunEvent(listener: (event: RunEvent) => void): () => void;
  /** Starts a study (one engine process per run, up to the number of cores at once); one study at a time. */
  startStudy(request: StudyRequest): Promise<StartStudyResult>;
  /** Cancels one queued or running run of the study in progress; the others carry on. */
  cancelStudyRun(studyId: string, runIndex: number): Promise<CommandResult>;
  /** Cancels every run of the study in progress that has not ended. */
  cancelStudy(studyId: string): Promise<CommandResult>;
  /** The studies saved under userData/studies, newest first, then the files that cannot be read. */
  listStudies(): Promise<SavedStudyEntry[]>;
  /** Reads a saved study back, curves and all. */
  openStudy(studyId: string): Promise<OpenStudyResult>;
  /** Renames a saved study (trimmed, 1 to 100 characters); refused while it runs. */
  renameStudy(studyId: string, name: string): Promise<CommandResult>;
  /** Deletes a saved study's file; refused while it runs. */
  deleteStudy(studyId: string): Promise<CommandResult>;
  /** Asks where to save a CSV or PNG the renderer made, and writes it atomically. */
  exportFile(request: ExportFileRequest): Promise<ExportFileResult>;
  /** Subscribes to study events; returns the function that unsubscribes. */
  onStudyEvent(listener: (event: StudyEvent) => void): () => void;
  /**
   * Asks the window to enter or leave full screen. The change comes later (the window manager
   * does it), announced through `onFullScreenChange`, as is any change the user makes (F11).
   */
  setFullScreen(on: boolean): Promise<CommandResult>;
  /** Whether the window is full screen now. */
  isFullScreen(): Promise<boolean>;
  /** Subscribes to the window entering (true) or leaving (false) full screen; returns the unsubscriber. */
  onFullScreenChange(listener: (fullScreen: boolean) => void): () => void;
}
