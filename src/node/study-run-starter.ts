/**
 * The study scheduler's `startRun` over any way of starting an engine process: every run gets a
 * process of its own behind a fresh supervisor, disposed of (and its process ended) as soon as the
 * run ends or is cancelled. The app forks Electron utility processes, the CLI and tests Node ones.
 */
import { createEngineSupervisor, type EngineSupervisor, type WorkerHandle } from './engine-supervisor';
import type { DatasetLocation, KernelChoice } from '../shared/engine-protocol';
import type { RunEvent } from '../shared/lab-api';
import type { StartRun, StudyRunEvent } from './study-scheduler';

export interface SupervisedRunStarterOptions {
  /** Starts one engine process. */
  fork: () => WorkerHandle;
  /** The dataset every run trains on (already validated by the caller). */
  dataset: DatasetLocation;
  kernel?: KernelChoice;
  /** Told about messages the engine refused or sent malformed (a bug, not a run's outcome). */
  log?: (message: string) => void;
  /**
   * What a death of the process means, given how it died ("exit code 1", "killed by SIGINT"); by
   * default the run is lost (`engine-crashed`).
   */
  onDeath?: (exitDetail: string) => StudyRunEvent;
}

const FINAL_EVENTS = new Set<RunEvent['type']>(['finished', 'diverged', 'failed', 'engine-crashed']);

/** The events a study listens to; pause and resume never happen in a study, whose runs use one thread. */
function isStudyEvent(event: RunEvent): event is StudyRunEvent {
  return event.type !== 'paused' && event.type !== 'resumed' && event.type !== 'engine-changed';
}

export function lostRun(exitDetail: string): StudyRunEvent {
  // The supervisor's message tells an app user to press Train; a study says what happened.
  return { type: 'engine-crashed', message: `The engine process stopped unexpectedly (${exitDetail}); the run was lost.` };
}

export function createSupervisedRunStarter(options: SupervisedRunStarterOptions): StartRun {
  const onDeath = options.onDeath ?? lostRun;
  return (config, onEvent) => {
    let ended = false;
    let exitDetail = '';
    let supervisor: EngineSupervisor | null = null;
    const end = (): void => {
      ended = true;
      supervisor?.dispose();
    };
    supervisor = createEngineSupervisor({
      fork: () => {
        const handle = options.fork();
        handle.onExit((code, detail) => {
          exitDetail = detail || `exit code ${code}`;
        });
        return handle;
      },
      emit: (event) => {
        if (ended || !isStudyEvent(event)) return;
        if (FINAL_EVENTS.has(event.type)) end();
        onEvent(event.type === 'engine-crashed' ? onDeath(exitDetail) : event);
      },
      ...(options.kernel ? { kernel: options.kernel } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    const started = supervisor.start(config, options.dataset);
    if (!started.ok) {
      end();
      onEvent({ type: 'failed', runId: 0, message: started.message });
    }
    return {
      cancel() {
        if (!ended) end();
      },
    };
  };
}
