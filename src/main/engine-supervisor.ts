import { parseWorkerEvent, type DatasetLocation, type EngineCommand, type KernelChoice } from '../shared/engine-protocol';
import type { CommandResult, RunEvent } from '../shared/lab-api';
import { describeProblems, validateRunConfig, type RunConfig } from '../shared/run-config';

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
  start(config: RunConfig, dataset: DatasetRef): CommandResult;
  pause(): CommandResult;
  resume(): CommandResult;
  stop(): CommandResult;
  readonly running: boolean;
  /** Ends the worker on quit; that exit is not reported as a crash. */
  dispose(): void;
}

export interface SupervisorDeps {
  fork: ForkWorker;
  emit: (event: RunEvent) => void;
  kernel?: KernelChoice;
  /** Told about messages the worker refused or sent malformed (a bug, logged rather than shown). */
  log?: (message: string) => void;
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
      if (event.type === 'rejected') {
        deps.log?.(`The engine refused a command: ${event.message}`);
        return;
      }
      if (event.runId !== activeRun) return;
      if (event.type === 'finished' || event.type === 'diverged' || event.type === 'failed') activeRun = null;
      deps.emit(event);
    });
    handle.onExit((code, detail) => {
      if (worker !== handle) return;
      worker = null;
      const wasRunning = activeRun !== null;
      activeRun = null;
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
    send({ type, runId: activeRun });
    return { ok: true };
  };

  // Fork right away, so the first Train does not wait for the process to boot.
  ensureWorker();

  return {
    start(config, dataset) {
      if (disposed) return { ok: false, message: 'The app is shutting down.' };
      if (activeRun !== null) return { ok: false, message: 'A run is already in progress: stop it before starting another.' };
      const check = validateRunConfig(config);
      if (!check.ok) return { ok: false, message: describeProblems(check.problems) };
      activeRun = nextRunId++;
      send({ type: 'start', runId: activeRun, config: check.config, dataset, kernel: deps.kernel ?? 'auto' });
      return { ok: true };
    },
    pause: () => control('pause'),
    resume: () => control('resume'),
    stop: () => control('stop'),
    get running() {
      return activeRun !== null;
    },
    dispose() {
      disposed = true;
      const handle = worker;
      worker = null;
      activeRun = null;
      handle?.kill();
    },
  };
}
