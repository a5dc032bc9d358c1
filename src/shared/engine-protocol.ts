/**
 * The messages between main and the engine worker (a utility process). Both directions are
 * discriminated unions, and both receivers parse what arrives with the functions below before
 * acting on it: a process boundary is a trust boundary, and a malformed message gets a clear
 * rejection rather than undefined behaviour.
 */
import { KERNEL_CHOICES, type KernelChoice } from '../engine/kernels/kernel-choice';
import type { BatchEvent, EpochMetrics, IterationPoint } from '../engine/training/events';
import { describeProblems, validateRunConfig, type RunConfig } from '../engine/training/run-config';
import { parseEngineReply, parseRequestCommand, type EngineReply, type EngineRequest } from './engine-requests';
import { paceProblem } from './run-pace';
import type { StripGuess } from '../engine/teaching/prediction-strip';

// The kernel choice is the engine's own; the protocol carries it.
export { KERNEL_CHOICES, type KernelChoice } from '../engine/kernels/kernel-choice';

/** Where the worker finds a dataset that main has already validated. */
export interface DatasetLocation {
  dir: string;
  name: string;
  /** The id the renderer knows the dataset by. */
  id: string;
}

/** A dataset the app can train on, already validated by main. */
export interface DatasetInfo {
  /** Stable id: "mnist" for the built-in set, otherwise an opaque id main assigned to a folder. */
  id: string;
  name: string;
  /** Where it came from, for display ("built-in" or a folder path). */
  source: string;
  trainCount: number;
  testCount: number;
  rows: number;
  cols: number;
  classes: number;
}

/** What computes a run. */
export interface EngineInfo {
  /** The kernels' name ("wasm-simd", "js"). */
  kernel: string;
  /** Threads the kernels compute on: 2 with a helper thread that work is split with. */
  threads: number;
  /**
   * Whether the products use fused multiply-add (the relaxed-SIMD build, Electron's): its results
   * may differ in the last bits from a run without it.
   */
  fusedMultiplyAdd: boolean;
  /** Why the run computes on fewer threads than were asked for, when it does. */
  note?: string;
}

/**
 * What the engine says about the current run (main relays it to the renderer as a RunEvent). Batch
 * progress is batched itself: at most ~20 messages a second, each carrying every iteration since
 * the previous one (so curves lose nothing).
 */
export type EngineRunEvent =
  | {
      type: 'started';
      runId: number;
      config: RunConfig;
      dataset: DatasetInfo;
      batchesPerEpoch: number;
      engine: EngineInfo;
    }
  /** The run's engine changed while it ran: its second thread failed, so it goes on with one. */
  | { type: 'engine-changed'; runId: number; engine: EngineInfo }
  | {
      type: 'progress';
      runId: number;
      points: IterationPoint[];
      latest: BatchEvent;
      samplesPerSecond: number;
      /**
       * The network's guesses on the prediction strip's test images after `latest`: about four
       * times a second at full speed; with every batch at 20 a second or slower, with a step, a
       * pause and the end of each epoch and of the run.
       */
      predictions?: StripGuess[];
    }
  | ({ type: 'epoch'; runId: number } & EpochMetrics)
  | { type: 'paused'; runId: number }
  | { type: 'resumed'; runId: number }
  | { type: 'finished'; runId: number; reason: 'completed' | 'stopped'; testAccuracy: number | null }
  | { type: 'diverged'; runId: number; reason: string; restoredEpoch: number }
  | { type: 'failed'; runId: number; message: string };

/** main → worker */
export type EngineCommand =
  | {
      type: 'start';
      runId: number;
      config: RunConfig;
      dataset: DatasetLocation;
      kernel: KernelChoice;
      /**
       * Threads the kernels may use: 2 gives the WebAssembly kernels a helper thread (the app's
       * one interactive run on a machine with two cores or more); 1 for runs that share the
       * machine with others (a study runs several at once). Absent means 1.
       */
      threads?: 1 | 2;
      /** Start from the weights of the model the worker holds (its architecture must match). */
      fromCurrentModel?: boolean;
      /** Hold the run to this many minibatches a second (see run-pace.ts); absent is full speed. */
      batchesPerSecond?: number;
    }
  | { type: 'request'; requestId: number; request: EngineRequest }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'stop'; runId: number }
  /** A new pace for the run in progress; null is full speed. */
  | { type: 'pace'; runId: number; batchesPerSecond: number | null }
  /** While the run is paused: train exactly one minibatch, report it, stay paused. */
  | { type: 'step'; runId: number };

/** worker → main: the run events, plus the worker's own housekeeping. */
export type WorkerEvent =
  | EngineRunEvent
  | EngineReply
  | { type: 'ready'; kernel: string }
  | { type: 'rejected'; message: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRunId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

/** Checks a command from main; anything that is not exactly one of EngineCommand is refused. */
export function parseEngineCommand(value: unknown): Parsed<EngineCommand> {
  if (!isRecord(value) || typeof value.type !== 'string') return { ok: false, message: 'A command must be an object with a string "type".' };
  if (value.type === 'request') return parseRequestCommand(value);
  if (!isRunId(value.runId)) return { ok: false, message: `Command "${value.type}" needs a whole, non-negative runId.` };
  const runId = value.runId;
  const type = value.type;
  switch (type) {
    case 'start': {
      const check = validateRunConfig(value.config);
      if (!check.ok) return { ok: false, message: `Invalid run configuration: ${describeProblems(check.problems)}` };
      const d = value.dataset;
      if (!isRecord(d) || typeof d.dir !== 'string' || typeof d.name !== 'string' || typeof d.id !== 'string' || d.dir === '') {
        return { ok: false, message: 'Command "start" needs a dataset with a folder (dir), a name and an id.' };
      }
      const kernel = value.kernel ?? 'auto';
      if (!(KERNEL_CHOICES as readonly unknown[]).includes(kernel)) return { ok: false, message: `Unknown kernel choice ${JSON.stringify(kernel)}.` };
      const from = value.fromCurrentModel;
      if (from !== undefined && typeof from !== 'boolean') return { ok: false, message: 'Command "start" takes fromCurrentModel as true or false.' };
      const threads = value.threads ?? 1;
      if (threads !== 1 && threads !== 2) return { ok: false, message: `Command "start" takes threads as 1 or 2; got ${JSON.stringify(threads)}.` };
      const pace = value.batchesPerSecond ?? null;
      const problem = paceProblem(pace);
      if (problem !== null) return { ok: false, message: `Command "start": ${problem}` };
      const start = {
        type,
        runId,
        config: check.config,
        dataset: { dir: d.dir, name: d.name, id: d.id },
        kernel: kernel as KernelChoice,
        threads: threads as 1 | 2,
        ...(pace !== null ? { batchesPerSecond: pace as number } : {}),
      };
      return { ok: true, value: from ? { ...start, fromCurrentModel: true } : start };
    }
    case 'pace': {
      const problem = paceProblem(value.batchesPerSecond);
      if (problem !== null) return { ok: false, message: `Command "pace": ${problem}` };
      return { ok: true, value: { type, runId, batchesPerSecond: value.batchesPerSecond as number | null } };
    }
    case 'pause':
    case 'resume':
    case 'stop':
    case 'step':
      return { ok: true, value: { type, runId } };
    default:
      return { ok: false, message: `Unknown command type "${type}".` };
  }
}

const WORKER_EVENT_TYPES = new Set<string>(['ready', 'rejected', 'started', 'progress', 'epoch', 'paused', 'resumed', 'finished', 'diverged', 'failed', 'engine-changed']);

/**
 * Checks an event from the worker. The worker is our own code, so this guards against a broken
 * build or a stray message rather than an attacker: the type must be known and a run event must
 * carry its run id.
 */
export function parseWorkerEvent(value: unknown): Parsed<WorkerEvent> {
  if (isRecord(value) && value.type === 'reply') return parseEngineReply(value);
  if (!isRecord(value) || typeof value.type !== 'string' || !WORKER_EVENT_TYPES.has(value.type)) {
    return { ok: false, message: `Unexpected message from the engine: ${JSON.stringify(value)?.slice(0, 200)}` };
  }
  if (value.type !== 'ready' && value.type !== 'rejected' && !isRunId(value.runId)) {
    return { ok: false, message: `Engine event "${value.type}" has no run id.` };
  }
  return { ok: true, value: value as WorkerEvent };
}
