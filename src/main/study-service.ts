/**
 * The study in progress, owned by main: a StudyScheduler whose runs each get an engine process,
 * events to the renderer as runs change (only what is new since the last event), and the study
 * saved when it starts and when it ends. One study at a time.
 */
import { randomBytes } from 'node:crypto';
import type { CommandResult, IterationPoint } from '../shared/lab-api';
import type { StudyRun } from '../shared/study';
import {
  studyGroups,
  type OpenStudyResult,
  type SavedStudyEntry,
  type StartStudyResult,
  type StudyData,
  type StudyEvent,
  type StudyRequest,
  type StudyRunData,
  type StudyRunSummary,
} from '../shared/study-api';
import { StudyScheduler, type StartRun, type StudyRunRecord } from '../node/study-scheduler';
import type { StudyEpochMetrics } from '../shared/time-to-target';
import type { StudyStore } from './study-store';

export interface StudyService {
  start(request: StudyRequest, runs: StudyRun[], startRun: StartRun): StartStudyResult;
  cancelRun(studyId: unknown, runIndex: unknown): CommandResult;
  cancelAll(studyId: unknown): CommandResult;
  list(): Promise<SavedStudyEntry[]>;
  open(studyId: unknown): Promise<OpenStudyResult>;
  /** Renames a saved study; refused while it runs (its end would save the old name again). */
  rename(studyId: unknown, name: unknown): Promise<CommandResult>;
  /** Deletes a saved study; refused while it runs. */
  delete(studyId: unknown): CommandResult;
  /** Cancels every run (on quit); nothing is sent afterwards. */
  dispose(): void;
}

export interface StudyServiceDeps {
  store: StudyStore;
  emit: (event: StudyEvent) => void;
  /** Most runs at once: the number of cores in the app. */
  parallel: number;
  now?: () => Date;
  newId?: () => string;
  /** Told when a save fails (the study goes on; the renderer is told it was not saved). */
  log?: (message: string) => void;
}

export function summariseRun(run: StudyRunRecord): StudyRunSummary {
  const { epochs: _epochs, iterations: _iterations, startedAt: _startedAt, endedAt: _endedAt, ...summary } = run;
  return summary;
}

function runData(run: StudyRunRecord): StudyRunData {
  return { ...summariseRun(run), epochs: [...run.epochs], iterations: [...run.iterations] };
}

export function createStudyService(deps: StudyServiceDeps): StudyService {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => randomBytes(16).toString('hex'));
  let active: { data: StudyData; scheduler: StudyScheduler; sent: Map<number, { iterations: number; epochs: number }> } | null = null;
  let disposed = false;

  const snapshot = (data: StudyData, scheduler: StudyScheduler, finished: boolean): StudyData => ({
    ...data,
    finished,
    runs: scheduler.runs.map(runData),
  });

  const save = (study: StudyData): boolean => {
    try {
      deps.store.save(study);
      return true;
    } catch (error) {
      deps.log?.(`Could not save study ${study.id}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };

  const isActive = (studyId: unknown): boolean => active !== null && active.data.id === studyId;

  /** The refusal to change the study in progress, or null when `studyId` is not running. */
  const stillRunning = (studyId: unknown, doing: string): CommandResult | null => {
    if (!isActive(studyId) || active === null) return null;
    return { ok: false, message: `The study "${active.data.name}" is still running; cancel it or wait for it to finish before ${doing} it.` };
  };

  return {
    start(request, runs, startRun) {
      if (active !== null) return { ok: false, message: 'A study is already running; cancel it or wait for it to finish.' };
      if (runs.length === 0) return { ok: false, message: 'The study has no runs.' };
      const parallel = Math.max(1, Math.min(deps.parallel, runs.length));
      const sent = new Map<number, { iterations: number; epochs: number }>();
      const data: StudyData = {
        id: newId(),
        name: request.name,
        createdAt: now().toISOString(),
        datasetId: request.datasetId,
        base: request.base,
        grids: request.grids,
        groups: request.grids.length > 1 ? studyGroups(runs, request.base, request.grids) : [],
        targetAccuracy: request.targetAccuracy,
        parallel,
        finished: false,
        runs: [],
      };
      const scheduler = new StudyScheduler(runs, {
        startRun,
        parallel,
        targetAccuracy: request.targetAccuracy,
        onUpdate: (run) => {
          if (disposed) return;
          const seen = sent.get(run.index) ?? { iterations: 0, epochs: 0 };
          const newIterations: IterationPoint[] = run.iterations.slice(seen.iterations);
          const newEpochs: StudyEpochMetrics[] = run.epochs.slice(seen.epochs);
          sent.set(run.index, { iterations: run.iterations.length, epochs: run.epochs.length });
          deps.emit({ type: 'run-update', studyId: data.id, run: summariseRun(run), newIterations, newEpochs });
        },
      });
      active = { data, scheduler, sent };
      const started = snapshot(data, scheduler, false);
      save(started);
      deps.emit({ type: 'study-started', study: started });
      void scheduler.run().then(() => {
        const saved = save(snapshot(data, scheduler, true));
        active = null;
        if (!disposed) {
          deps.emit({ type: 'study-finished', studyId: data.id, saved, message: saved ? null : 'The study finished but could not be saved.' });
        }
      });
      return { ok: true, study: started };
    },

    cancelRun(studyId, runIndex) {
      if (!isActive(studyId) || active === null) return { ok: false, message: 'That study is not running.' };
      if (typeof runIndex !== 'number' || !Number.isInteger(runIndex)) return { ok: false, message: 'Say which run to cancel by its number.' };
      return active.scheduler.cancel(runIndex) ? { ok: true } : { ok: false, message: `Run ${runIndex + 1} has already ended.` };
    },

    cancelAll(studyId) {
      if (!isActive(studyId) || active === null) return { ok: false, message: 'That study is not running.' };
      active.scheduler.cancelAll();
      return { ok: true };
    },

    list: () => deps.store.list(),

    async open(studyId) {
      if (active !== null && active.data.id === studyId) return { ok: true, study: snapshot(active.data, active.scheduler, false) };
      return deps.store.open(studyId);
    },

    rename: async (studyId, name) => stillRunning(studyId, 'renaming') ?? deps.store.rename(studyId, name),

    delete: (studyId) => stillRunning(studyId, 'deleting') ?? deps.store.delete(studyId),

    dispose() {
      disposed = true;
      active?.scheduler.cancelAll();
    },
  };
}
