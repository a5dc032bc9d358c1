/**
 * Runs a study's grid: at most `parallel` runs at once, each in its own engine started by an
 * injected `startRun`, the rest queued in order. Any queued or running run can be cancelled; a run
 * that diverges, fails or loses its engine is marked so and the others carry on. Pure logic: the
 * engine processes and the clock come from outside, so the tests drive it by hand.
 */
import type { IterationPoint, RunEvent } from '../shared/lab-api';
import type { RunConfig } from '../engine/training/run-config';
import type { StudyRun, StudyRunResult } from '../shared/study';
import type { StudyEpochMetrics } from '../shared/time-to-target';

/** What a run's engine reports: the run events a study listens to. */
export type StudyRunEvent = Extract<RunEvent, { type: 'started' | 'progress' | 'epoch' | 'finished' | 'diverged' | 'failed' | 'engine-crashed' }>;

export interface RunHandle {
  /** Ends the run now; no event is expected after it. */
  cancel(): void;
}

/**
 * Starts one run in an engine of its own and reports its events, the last of them `finished`,
 * `diverged`, `failed` or `engine-crashed`; after that last event it cleans up by itself. It may
 * report synchronously (a run refused at once) or throw; either way the run is marked failed.
 */
export type StartRun = (config: RunConfig, onEvent: (event: StudyRunEvent) => void) => RunHandle;

/** Everything known about one run of the study, kept up to date while it runs. */
export interface StudyRunRecord extends StudyRunResult {
  /** The per-epoch metrics so far, each with its time since the run's start. */
  epochs: StudyEpochMetrics[];
  /** Every minibatch's loss and accuracy so far (the per-iteration curves). */
  iterations: IterationPoint[];
  /** Minibatches trained so far, and in the whole run (known once the engine has started it). */
  iterationsDone: number;
  totalIterations: number | null;
  /** Why the run diverged, failed or crashed. */
  message: string | null;
  /** Clock reading (ms) when the run was started, and when it ended. */
  startedAt: number | null;
  endedAt: number | null;
}

export interface StudySchedulerOptions {
  startRun: StartRun;
  /** Most runs at once (a whole number ≥ 1). */
  parallel: number;
  /** The test accuracy whose first reaching is timed (`secondsToTarget`); 0.9 unless given. */
  targetAccuracy?: number;
  /** A clock in milliseconds; injectable so tests need not depend on time. */
  now?: () => number;
  /** Told after every change to a run (its record is live: copy it to keep a snapshot). */
  onUpdate?: (run: StudyRunRecord) => void;
}

const FINISHED_STATUSES = new Set(['completed', 'diverged', 'failed', 'cancelled']);

function isFinished(run: StudyRunRecord): boolean {
  return FINISHED_STATUSES.has(run.status);
}

export class StudyScheduler {
  /** One record per run, in the study's order. */
  readonly runs: readonly StudyRunRecord[];
  private readonly handles = new Map<number, RunHandle>();
  private readonly now: () => number;
  private readonly targetAccuracy: number;
  private running = 0;
  private pumping = false;
  private done: Promise<StudyRunRecord[]> | null = null;
  private resolveDone: ((runs: StudyRunRecord[]) => void) | null = null;

  constructor(
    runs: readonly StudyRun[],
    private readonly options: StudySchedulerOptions,
  ) {
    if (!Number.isInteger(options.parallel) || options.parallel < 1) {
      throw new RangeError(`parallel must be a whole number of at least 1; got ${options.parallel}.`);
    }
    this.now = options.now ?? (() => performance.now());
    this.targetAccuracy = options.targetAccuracy ?? 0.9;
    this.runs = runs.map((run) => ({
      ...run,
      status: 'queued',
      finalTestAccuracy: null,
      bestEpoch: null,
      bestTestAccuracy: null,
      finalTrainLoss: null,
      seconds: null,
      secondsToTarget: null,
      epochs: [],
      iterations: [],
      iterationsDone: 0,
      totalIterations: null,
      message: null,
      startedAt: null,
      endedAt: null,
    }));
  }

  /** Starts the study (once); resolves with every run's record when none is queued or running. */
  run(): Promise<StudyRunRecord[]> {
    if (this.done === null) {
      this.done = new Promise((resolve) => {
        this.resolveDone = resolve;
      });
      this.pump();
      this.checkDone();
    }
    return this.done;
  }

  /** How many runs are in progress now. */
  get active(): number {
    return this.running;
  }

  /** Cancels a queued or running run; false when it had already ended (or there is no such run). */
  cancel(index: number): boolean {
    const run = this.runs[index];
    if (run === undefined || isFinished(run)) return false;
    // The handle is missing only while startRun is still on the stack; start() cancels it then.
    const handle = this.handles.get(index);
    this.settle(run, 'cancelled', null);
    handle?.cancel();
    this.afterEnd(run);
    return true;
  }

  /** Cancels every run: the queue first, so that no freed slot starts a queued run. */
  cancelAll(): void {
    for (const run of this.runs) if (run.status === 'queued') this.cancel(run.index);
    for (const run of this.runs) if (run.status === 'running') this.cancel(run.index);
  }

  /** Starts queued runs, in order, while there is room. Safe to re-enter from a run's events. */
  private pump(): void {
    if (this.pumping || this.done === null) return;
    this.pumping = true;
    try {
      let next: StudyRunRecord | undefined;
      while (this.running < this.options.parallel && (next = this.runs.find((r) => r.status === 'queued')) !== undefined) {
        this.start(next);
      }
    } finally {
      this.pumping = false;
    }
  }

  private start(run: StudyRunRecord): void {
    run.status = 'running';
    run.startedAt = this.now();
    this.running++;
    this.options.onUpdate?.(run);
    let handle: RunHandle;
    try {
      handle = this.options.startRun(run.config, (event) => this.receive(run, event));
    } catch (error) {
      if (run.status === 'running') this.end(run, 'failed', error instanceof Error ? error.message : String(error));
      return;
    }
    if (run.status === 'running') this.handles.set(run.index, handle);
    else if (run.status === 'cancelled') handle.cancel();
  }

  private receive(run: StudyRunRecord, event: StudyRunEvent): void {
    // A cancelled or ended run may still have events in flight: they no longer count.
    if (run.status !== 'running') return;
    switch (event.type) {
      case 'started':
        run.totalIterations = event.batchesPerEpoch * run.config.epochs;
        break;
      case 'progress':
        for (const point of event.points) run.iterations.push(point);
        run.iterationsDone = event.latest.iteration;
        break;
      case 'epoch':
        this.recordEpoch(run, event);
        break;
      case 'finished':
        if (event.reason === 'completed') this.end(run, 'completed', null);
        else this.cancel(run.index);
        return;
      case 'diverged':
        this.end(run, 'diverged', event.reason);
        return;
      case 'failed':
        this.end(run, 'failed', event.message);
        return;
      case 'engine-crashed':
        this.end(run, 'failed', event.message);
        return;
    }
    this.options.onUpdate?.(run);
  }

  private recordEpoch(run: StudyRunRecord, event: Extract<StudyRunEvent, { type: 'epoch' }>): void {
    const { type: _type, runId: _runId, ...metrics } = event;
    // One clock reading for both, so the time to the study's target is exactly its epoch's time.
    const secondsSinceStart = run.startedAt === null ? null : (this.now() - run.startedAt) / 1000;
    run.epochs.push(secondsSinceStart === null ? metrics : { ...metrics, secondsSinceStart });
    run.finalTestAccuracy = metrics.testAccuracy;
    run.finalTrainLoss = metrics.trainLoss;
    if (run.bestTestAccuracy === null || metrics.testAccuracy > run.bestTestAccuracy) {
      run.bestTestAccuracy = metrics.testAccuracy;
      run.bestEpoch = metrics.epoch;
    }
    if (run.secondsToTarget === null && metrics.testAccuracy >= this.targetAccuracy) run.secondsToTarget = secondsSinceStart;
  }

  /** Marks a run ended, frees its slot and starts the next queued run. */
  private end(run: StudyRunRecord, status: 'completed' | 'diverged' | 'failed', message: string | null): void {
    this.settle(run, status, message);
    this.afterEnd(run);
  }

  private settle(run: StudyRunRecord, status: 'completed' | 'diverged' | 'failed' | 'cancelled', message: string | null): void {
    const wasRunning = run.status === 'running';
    run.status = status;
    run.message = message;
    if (!wasRunning) return;
    run.endedAt = this.now();
    run.seconds = run.startedAt === null ? null : (run.endedAt - run.startedAt) / 1000;
    this.running--;
    this.handles.delete(run.index);
  }

  private afterEnd(run: StudyRunRecord): void {
    this.options.onUpdate?.(run);
    this.pump();
    this.checkDone();
  }

  private checkDone(): void {
    if (this.resolveDone !== null && this.runs.every(isFinished)) {
      const resolve = this.resolveDone;
      this.resolveDone = null;
      resolve([...this.runs]);
    }
  }
}
