/**
 * The study scheduler's `startRun` under Node: every run gets an engine process of its own (the
 * app's worker, forked with child_process) behind a fresh supervisor, which is disposed of, and its
 * process ended, as soon as the run ends or is cancelled.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forkNodeWorker } from './fork-node';
import { createSupervisedRunStarter, lostRun } from './study-run-starter';
import type { DatasetLocation, KernelChoice } from '../shared/engine-protocol';
import type { StartRun } from './study-scheduler';

/** How to start the engine worker: a script and the Node options it needs. */
export interface WorkerEntry {
  path: string;
  execArgv: string[];
}

const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/**
 * The worker's TypeScript source, run by tsx: what the CLI (itself run by tsx) forks, so that a
 * sweep trains exactly the code `train` trains, never an out-of-date build. tsx is resolved from
 * this package, so the working folder does not matter. Starting costs ~0.3 s per run.
 */
export function sourceWorker(): WorkerEntry {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { path: join(repoRoot, 'src', 'worker', 'index.ts'), execArgv: ['--import', pathToFileURL(tsx).href] };
}

/** The worker as electron-vite builds it (`npm run build`): plain JavaScript, what the app runs. */
export function builtWorker(path = join(repoRoot, 'out', 'main', 'worker.js')): WorkerEntry {
  return { path, execArgv: [] };
}

export interface NodeRunStarterOptions {
  /** The dataset every run trains on (already validated by the caller). */
  dataset: DatasetLocation;
  kernel?: KernelChoice;
  /** The worker to fork; the TypeScript source under tsx unless given. */
  worker?: WorkerEntry;
  /** Told about messages the engine refused or sent malformed (a bug, not a run's outcome). */
  log?: (message: string) => void;
}

/**
 * A `startRun` that forks one engine process per run. A worker killed by SIGINT was stopped by
 * Ctrl-C in the terminal (the whole process group receives it, often before the parent's own
 * handler runs), so its run is reported as stopped rather than as a crash; any other death of the
 * process is an `engine-crashed` saying how it died.
 */
export function createNodeRunStarter(options: NodeRunStarterOptions): StartRun {
  const worker = options.worker ?? sourceWorker();
  return createSupervisedRunStarter({
    fork: () => forkNodeWorker(worker.path, worker.execArgv),
    dataset: options.dataset,
    onDeath: (exitDetail) =>
      exitDetail === 'killed by SIGINT' ? { type: 'finished', runId: 0, reason: 'stopped', testAccuracy: null } : lostRun(exitDetail),
    ...(options.kernel ? { kernel: options.kernel } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
