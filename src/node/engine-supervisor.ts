import { parseWorkerEvent, type DatasetLocation, type EngineCommand, type KernelChoice } from '../shared/engine-protocol';
import type { EngineReplyValue, EngineRequest } from '../shared/engine-requests';
import type { CommandResult, RunEvent } from '../shared/lab-api';
import { describeProblems, validateRunConfig, type RunConfig } from '../engine/training/run-config';
import { paceProblem } from '../shared/run-pace';

/** A running engine process, whatever started it (Electron's utilityProcess or Node's fork). */
export interface WorkerHandle {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone; `detail` says how (exit code, signal, crash reason). */
  onExit(listener: (code: number | null, detail: string) => void): void;
  kill(): void;
}

export type ForkWorker = () => WorkerHandle;

export type DatasetRef = DatasetLocation;

export interface EngineSupervisor {
  /** Validates the config and starts a run; refused while a run is active. */
  start(config: RunConfig, dataset: DatasetRef, options?: { fromCurrentModel?: boolean }): CommandResult;
  /**
   * Asks the engine about the model it holds; resolves with its answer of the same kind, or
   * rejects with the engine's refusal, or when the engine dies or takes longer than the timeout.
   */
  request<K extends EngineRequest['kind']>(request: Extract<EngineRequest, { kind: K }>): Promise<Extract<EngineReplyValue, { kind: K }>>;
  /**
   * Pause, resume and stop the active run. Between Start and the engine's 'started' (the dataset
   * and kernels still loading) they are kept: stop goes to the engine at once (it keeps it until the
   * run exists) and beats everything; of pause and resume the last one asked is applied when the
   * run starts.
   */
  pause(): CommandResult;
  resume(): CommandResult;
  stop(): CommandResult;
  /**
   * Holds the run in progress, and the runs started after, to `batchesPerSecond` minibatches a
   * second (see run-pace.ts); null trains at full speed.
   */
  setPace(batchesPerSecond: number | null): CommandResult;
  /** Trains exactly one minibatch of the paused run; refused unless the engine said it paused. */
  step(): CommandResult;
  readonly running: boolean;
  /** Ends the worker on quit; that exit is not reported as a crash. */
  dispose(): void;
}

export interface SupervisorDeps {
  fork: ForkWorker;
  emit: (event: RunEvent) => void;
  kernel?: KernelChoice;
  /** Threads each run's kernels may use (see the start command); 1 unless given. */
  threads?: 1 | 2;
  /** Told about messages the worker refused or sent malformed (a bug, logged rather than shown). */
  log?: (message: string) => void;
  /** Longest wait for the answer to a request (evaluating 10 000 images takes a second or two). */
  requestTimeoutMs?: number;
}

interface PendingRequest {
  kind: EngineRequest['kind'];
  resolve: (value: EngineReplyValue) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Owns the engine process: forks it, relays commands to it and its events to the renderer, and
 * notices when it dies. A crash is reported once, the dead process is never written to, and the
 * next Start forks a fresh one, so the user can always start again.
 */
export function createEngineSupervisor(deps: SupervisorDeps): EngineSupervisor {
  let worker: WorkerHandle | null = null;
  let disposed = false;
  let nextRunId = 1;
  /** The run the worker is on, from Start until it finishes, diverges or fails. */
  let activeRun: number | null = null;
  /** The engine said the active run paused, and no resume was sent since. */
  let paused = false;
  /** Minibatches a second for the active and the next runs; null is full speed. */
  let pace: number | null = null;
  /**
   * While the active run is starting: the pause or resume last asked for it (null: none), and
   * whether a stop was sent. Null once the engine has said 'started'.
   */
  let startingRun: { wanted: 'pause' | 'resume' | null; stopped: boolean } | null = null;
  let nextRequestId = 1;
  const pending = new Map<number, PendingRequest>();
  const failPending = (message: string): void => {
    for (const [id, request] of pending) {
      clearTimeout(request.timer);
      pending.delete(id);
      request.reject(new Error(message));
    }
  };

  const ensureWorker = (): WorkerHandle => {
    if (worker !== null) return worker;
    const handle = deps.fork();
    worker = handle;
    handle.onMessage((message) => {
      if (worker !== handle) return;
      const parsed = parseWorkerEvent(message);
      if (!parsed.ok) {
        deps.log?.(parsed.message);
        return;
      }
      const event = parsed.value;
      if (event.type === 'ready') return;
      if (event.type === 'reply') {
        const request = pending.get(event.requestId);
        if (request === undefined) return;
        pending.delete(event.requestId);
        clearTimeout(request.timer);
        if (!event.ok) request.reject(new Error(event.message));
        else if (event.value.kind !== request.kind) request.reject(new Error(`The engine answered a ${request.kind} request with ${event.value.kind}.`));
        else request.resolve(event.value);
        return;
      }
      if (event.type === 'rejected') {
        deps.log?.(`The engine refused a command: ${event.message}`);
        return;
      }
      if (event.runId !== activeRun) return;
      if (event.type === 'finished' || event.type === 'diverged' || event.type === 'failed') {
        activeRun = null;
        startingRun = null;
      }
      if (event.type === 'paused') paused = true;
      if (event.type === 'resumed' || activeRun === null) paused = false;
      deps.emit(event);
      if (event.type === 'started') applyQueuedControl(event.runId);
    });
    handle.onExit((code, detail) => {
      if (worker !== handle) return;
      worker = null;
      const wasRunning = activeRun !== null;
      activeRun = null;
      paused = false;
      startingRun = null;
      failPending('The engine stopped before it answered; try again.');
      if (disposed) return;
      deps.emit({
        type: 'engine-crashed',
        message: `The training engine stopped unexpectedly (${detail || `exit code ${code}`})${wasRunning ? '; the run was lost' : ''}. Press Train to start again.`,
      });
    });
    return handle;
  };

  const send = (command: EngineCommand): void => {
    ensureWorker().postMessage(command);
  };

  const control = (type: 'pause' | 'resume' | 'stop'): CommandResult => {
    if (activeRun === null || worker === null) return { ok: false, message: 'No run is in progress.' };
    // From here on a step could overtake the resume: it is refused until the engine pauses again.
    if (type === 'resume') paused = false;
    if (startingRun !== null) {
      // The engine refuses pause and resume for a run it has not started: they wait for 'started'.
      if (startingRun.stopped) return { ok: true };
      if (type !== 'stop') {
        startingRun.wanted = type;
        return { ok: true };
      }
      startingRun.stopped = true;
    }
    send({ type, runId: activeRun });
    return { ok: true };
  };

  /** Once the run has started: the pause asked while it was starting, unless a stop came (a resume needs nothing). */
  const applyQueuedControl = (runId: number): void => {
    const queued = startingRun;
    startingRun = null;
    if (queued !== null && !queued.stopped && queued.wanted === 'pause') send({ type: 'pause', runId });
  };

  // Fork right away, so the first Train does not wait for the process to boot.
  ensureWorker();

  return {
    start(config, dataset, options) {
      if (disposed) return { ok: false, message: 'The app is shutting down.' };
      if (activeRun !== null) return { ok: false, message: 'A run is already in progress: stop it before starting another.' };
      const check = validateRunConfig(config);
      if (!check.ok) return { ok: false, message: describeProblems(check.problems) };
      activeRun = nextRunId++;
      paused = false;
      startingRun = { wanted: null, stopped: false };
      const start = {
        type: 'start' as const,
        runId: activeRun,
        config: check.config,
        dataset,
        kernel: deps.kernel ?? 'auto',
        threads: deps.threads ?? 1,
        ...(pace !== null ? { batchesPerSecond: pace } : {}),
      };
      send(options?.fromCurrentModel ? { ...start, fromCurrentModel: true } : start);
      return { ok: true };
    },
    request(request) {
      if (disposed) return Promise.reject(new Error('The app is shutting down.'));
      const requestId = nextRequestId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(requestId);
          reject(new Error('The engine did not answer in time; try again.'));
        }, deps.requestTimeoutMs ?? 120_000);
        pending.set(requestId, { kind: request.kind, resolve: resolve as (value: EngineReplyValue) => void, reject, timer });
        send({ type: 'request', requestId, request });
      });
    },
    pause: () => control('pause'),
    resume: () => control('resume'),
    stop: () => control('stop'),
    setPace(batchesPerSecond) {
      const problem = paceProblem(batchesPerSecond);
      if (problem !== null) return { ok: false, message: problem };
      pace = batchesPerSecond;
      if (activeRun !== null && worker !== null) send({ type: 'pace', runId: activeRun, batchesPerSecond });
      return { ok: true };
    },
    step() {
      if (activeRun === null || worker === null) return { ok: false, message: 'No run is in progress.' };
      if (!paused) return { ok: false, message: 'Pause the run first: "Step one batch" trains one batch of a paused run.' };
      send({ type: 'step', runId: activeRun });
      return { ok: true };
    },
    get running() {
      return activeRun !== null;
    },
    dispose() {
      disposed = true;
      const handle = worker;
      worker = null;
      activeRun = null;
      paused = false;
      startingRun = null;
      failPending('The app is shutting down.');
      handle?.kill();
    },
  };
}
