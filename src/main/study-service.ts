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
import { STUDY_CURVE_LIMITS, thinStudyCurves } from '../shared/study-curve-limit';
import { StudyScheduler, type StartRun, type StudyRunRecord } from '../node/study-scheduler';
import type { StudyEpochMetrics } from '../shared/time-to-target';
import type { StudyStore } from './study-store';

export interface StudyService {
  /** Starts the study; answers once its first save (with no curves yet) is written. */
  start(request: StudyRequest, runs: StudyRun[], startRun: StartRun): Promise<StartStudyResult>;
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

  // Thinned as a save would thin them: what is sent is never more than what is kept.
  const snapshot = (data: StudyData, scheduler: StudyScheduler, finished: boolean): StudyData => ({
    ...data,
    finished,
    runs: thinStudyCurves(scheduler.runs.map(runData), STUDY_CURVE_LIMITS),
  });

  /** Null once saved, or why the study was not. */
  const save = async (study: StudyData): Promise<string | null> => {
    try {
      await deps.store.save(study);
      return null;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      deps.log?.(`Could not save study ${study.id}: ${why}`);
      return why;
    }
  };

  const isActive = (studyId: unknown): boolean => active !== null && active.data.id === studyId;

  /** The refusal to change the study in progress, or null when `studyId` is not running. */
  const stillRunning = (studyId: unknown, doing: string): CommandResult | null => {
    if (!isActive(studyId) || active === null) return null;
    return { ok: false, message: `The study "${active.data.name}" is still running; cancel it or wait for it to finish before ${doing} it.` };
  };

  return {
    async start(request, runs, startRun) {
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
      // The first save runs while the study does; the last one waits for it, so the two never cross.
      const firstSave = save(started);
      deps.emit({ type: 'study-started', study: started });
      void scheduler.run().then(async () => {
        await firstSave;
        const problem = await save(snapshot(data, scheduler, true));
        active = null;
        if (!disposed) {
          const message = problem === null ? null : `The study finished but could not be saved: ${problem}`;
          deps.emit({ type: 'study-finished', studyId: data.id, saved: problem === null, message });
        }
      });
      await firstSave;
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
