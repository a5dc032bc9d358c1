import type { Dataset } from '../engine/training/dataset';
import type { BatchEvent, TrainingEvent } from '../engine/training/events';
import type { Kernels } from '../engine/kernels/kernels';
import { smallestSplitBatch, type WasmKernels } from '../engine/kernels/wasm/wasm-kernels';
import { createRun, type Run } from '../engine/training/run';
import { TrainingLoop } from '../engine/training/loop';
import { parseEngineCommand, type EngineCommand, type KernelChoice, type WorkerEvent } from '../shared/engine-protocol';
import type { EngineRequest } from '../shared/engine-requests';
import type { RunConfig } from '../engine/training/run-config';
import type { DatasetInfo, EngineInfo } from '../shared/engine-protocol';
import type { IterationPoint } from '../engine/training/events';
import { ModelKeeper } from './model-keeper';
import { PredictionStrip } from '../engine/teaching/prediction-strip';
import { StripWatch } from './strip-watch';

export interface EngineHostDeps {
  /** Sends one event to main. */
  send(event: WorkerEvent): void;
  /** Reads a dataset folder (throws with a message that names the file and the problem). */
  loadDataset(dir: string, name: string): Dataset;
  /** Kernels for a run; with threads 2, a helper thread where the kernels can use one. */
  getKernels(choice: KernelChoice, threads?: 1 | 2): Promise<Kernels>;
  /** Why the kernels have one thread although two were asked for (ProcessKernels.helperProblem), or null. */
  helperProblem?: () => string | null;
  now?: () => number;
  /** Least time between two progress messages: 50 ms keeps them at ≤ 20 a second. */
  progressIntervalMs?: number;
}

/** Paced at this many batches a second or slower, every batch is sent on its own, so curves move batch by batch. */
const EVERY_BATCH_PACE = 20;

interface ActiveRun {
  runId: number;
  run: Run;
  loop: TrainingLoop;
  /** The threads the run asked its kernels for. */
  threads: 1 | 2;
  /** Minibatches a second the run is held to; null at full speed. */
  pace: number | null;
  /** The guesses on the prediction strip's test images, sent with the progress. */
  watch: StripWatch;
}

/**
 * The engine's side of the protocol: commands in, engine calls, events out. It holds at most one
 * run; progress from every batch is gathered and sent at most every 50 ms, so curves lose no
 * point while the channel carries only what the eye needs.
 */
export class EngineHost {
  private active: ActiveRun | null = null;
  /**
   * The run between its start command and its first batch (the dataset and kernels are loading),
   * and whether a stop came for it meanwhile: that stop is kept and applied once the run exists,
   * so a Stop pressed right after Start stops the run instead of being refused. A new pace is
   * kept the same way.
   */
  private starting: { runId: number; stopRequested: boolean; pace: number | null } | null = null;
  private datasetCache: { dir: string; data: Dataset } | null = null;
  private pending: IterationPoint[] = [];
  private latest: BatchEvent | null = null;
  private lastFlush = 0;
  private rateWindow: { at: number; samples: number } = { at: 0, samples: 0 };
  private samplesPerSecond = 0;
  private readonly now: () => number;
  /** The model requests are about: the last or ongoing run's, or one loaded from the library. */
  private readonly keeper: ModelKeeper;

  constructor(private readonly deps: EngineHostDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.keeper = new ModelKeeper({
      loadDataset: (dataset) => this.dataset(dataset.dir, dataset.name),
      getKernels: async () => {
        const kernels = await deps.getKernels('auto');
        // A run may have started while the kernels were made: its model must not be let go.
        if (this.active !== null) throw new Error('A run is in progress: stop it before loading a model.');
        return kernels;
      },
    });
  }

  /** Handles one raw message from main. */
  receive(message: unknown): void {
    const parsed = parseEngineCommand(message);
    if (!parsed.ok) {
      // A malformed request still gets its one reply, so main is not left waiting for it.
      const requestId = (message as { type?: unknown; requestId?: unknown } | null)?.requestId;
      if ((message as { type?: unknown } | null)?.type === 'request' && Number.isInteger(requestId) && (requestId as number) >= 0) {
        this.deps.send({ type: 'reply', requestId: requestId as number, ok: false, message: parsed.message });
        return;
      }
      this.deps.send({ type: 'rejected', message: parsed.message });
      return;
    }
    this.handle(parsed.value);
  }

  private handle(command: EngineCommand): void {
    switch (command.type) {
      case 'start':
        void this.start(command);
        return;
      case 'request':
        void this.answer(command.requestId, command.request);
        return;
      case 'pause':
      case 'resume':
      case 'stop':
      case 'pace':
      case 'step': {
        const active = this.active;
        if (command.type === 'stop' && this.starting?.runId === command.runId) {
          this.starting.stopRequested = true;
          return;
        }
        if (command.type === 'pace' && this.starting?.runId === command.runId) {
          this.starting.pace = command.batchesPerSecond;
          return;
        }
        if (active === null || active.runId !== command.runId) {
          this.deps.send({ type: 'rejected', message: `Run ${command.runId} is not running.` });
          return;
        }
        if (command.type === 'pause') {
          active.loop.pause();
          this.flush(active.runId, true);
          this.deps.send({ type: 'paused', runId: active.runId });
        } else if (command.type === 'pace') {
          active.pace = command.batchesPerSecond;
          active.loop.setPace(command.batchesPerSecond);
        } else if (command.type === 'step') {
          this.step(active);
        } else if (command.type === 'resume') {
          active.loop.resume();
          // The pause is not training time: measure speed and pace messages afresh from here.
          this.rateWindow = { at: this.now(), samples: 0 };
          this.lastFlush = this.now();
          this.deps.send({ type: 'resumed', runId: active.runId });
        } else {
          active.loop.cancel();
        }
        return;
      }
    }
  }

  private async start(command: Extract<EngineCommand, { type: 'start' }>): Promise<void> {
    const { runId, config } = command;
    if (this.active !== null) {
      this.deps.send({ type: 'failed', runId, message: 'A run is already in progress; stop it first.' });
      return;
    }
    let active: ActiveRun;
    let data: Dataset;
    this.starting = { runId, stopRequested: false, pace: command.batchesPerSecond ?? null };
    try {
      data = this.dataset(command.dataset.dir, command.dataset.name);
      const from = command.fromCurrentModel ? this.continuing(config) : null;
      // Copied now: the held model's buffers are freed before the run's are made.
      const initialWeights = from?.network.getWeights();
      // Two threads only for batches the kernels split; below that the helper would idle.
      const threads = command.threads === 2 && config.batchSize >= smallestSplitBatch ? 2 : 1;
      const kernels = await this.deps.getKernels(command.kernel, threads);
      // Another start may have begun its run during the wait: that run's model stays.
      if (this.active !== null) throw new Error('A run is already in progress; stop it first.');
      this.keeper.release(kernels);
      const run = createRun(config, data, kernels, initialWeights ? { initialWeights } : {});
      const loop = new TrainingLoop(run.training, (event) => this.onTrainingEvent(runId, event));
      const pace = this.starting?.runId === runId ? this.starting.pace : (command.batchesPerSecond ?? null);
      loop.setPace(pace);
      // Made after the held model's buffers were freed: the strip's input lives with this run.
      const watch = new StripWatch(new PredictionStrip(run.network, data.test, data.classes));
      active = { runId, run, loop, threads, pace, watch };
      this.keeper.holdRun(config, run.network, data, run.training.history, from?.history ?? []);
    } catch (error) {
      this.starting = null;
      this.deps.send({ type: 'failed', runId, message: messageOf(error) });
      return;
    }
    const stopRequested = this.starting?.runId === runId && this.starting.stopRequested;
    this.starting = null;
    this.active = active;
    this.pending = [];
    this.latest = null;
    this.lastFlush = this.now();
    this.rateWindow = { at: this.now(), samples: 0 };
    this.samplesPerSecond = 0;
    this.deps.send({
      type: 'started',
      runId,
      config,
      dataset: describeDataset(command.dataset.id, command.dataset.dir, data),
      batchesPerEpoch: active.run.training.batchesPerEpoch,
      engine: this.engineInfo(active),
    });
    // Cancelled before its first batch: the run ends at once as stopped, with its start reported.
    if (stopRequested) active.loop.cancel();
    try {
      const outcome = await active.loop.run();
      this.flush(runId, outcome !== 'diverged');
      const testAccuracy = active.run.training.history.at(-1)?.testAccuracy ?? null;
      if (outcome !== 'diverged') this.deps.send({ type: 'finished', runId, reason: outcome === 'cancelled' ? 'stopped' : 'completed', testAccuracy });
    } catch (error) {
      this.deps.send({ type: 'failed', runId, message: messageOf(error) });
    } finally {
      // The model stays held for requests.
      this.active = null;
    }
  }

  /**
   * "Step one batch": while paused, trains exactly one minibatch and sends it at once; the run
   * stays paused. Refused, with the reason, when the run is not paused.
   */
  private step(active: ActiveRun): void {
    if (!active.loop.isPaused) {
      this.deps.send({ type: 'rejected', message: `Run ${active.runId} is not paused: pause it before stepping one batch.` });
      return;
    }
    // A step is not a measure of speed: the speed shown stays the one measured before the pause.
    this.rateWindow = { at: this.now(), samples: 0 };
    active.loop.step();
    this.flush(active.runId, true);
    this.rateWindow = { at: this.now(), samples: 0 };
  }

  /**
   * The kernels lost their second thread (ProcessKernels calls this): the run in progress, if any,
   * goes on with one and says so.
   */
  helperLost(): void {
    const active = this.active;
    if (active === null) return;
    this.deps.send({ type: 'engine-changed', runId: active.runId, engine: this.engineInfo(active) });
  }

  private engineInfo({ run, threads: asked }: ActiveRun): EngineInfo {
    const kernels = run.network.kernels;
    const threads = threadsOf(kernels);
    const note = threads < asked ? this.deps.helperProblem?.() : null;
    return { kernel: kernels.name, threads, fusedMultiplyAdd: (kernels as Partial<WasmKernels>).fusedMultiplyAdd === true, ...(note ? { note } : {}) };
  }

  private onTrainingEvent(runId: number, event: TrainingEvent): void {
    switch (event.type) {
      case 'batch': {
        this.pending.push({ iteration: event.iteration, loss: event.loss, accuracy: event.accuracy });
        this.latest = event;
        this.rateWindow.samples += this.active?.run.config.batchSize ?? 0;
        if (this.sendsEveryBatch()) this.flush(runId, true);
        else if (this.now() - this.lastFlush >= (this.deps.progressIntervalMs ?? 50)) this.flush(runId);
        return;
      }
      case 'epoch': {
        this.flush(runId, true);
        const { type: _type, ...metrics } = event;
        this.deps.send({ type: 'epoch', runId, ...metrics });
        return;
      }
      case 'diverged':
        this.flush(runId);
        this.deps.send({ type: 'diverged', runId, reason: event.reason, restoredEpoch: event.restoredEpoch });
        return;
    }
  }

  /** The run is paced slowly enough for each batch to be sent on its own. */
  private sendsEveryBatch(): boolean {
    const pace = this.active?.pace ?? null;
    return pace !== null && pace <= EVERY_BATCH_PACE;
  }

  /**
   * Sends the gathered per-batch points, with a recent samples/s (over the last second or so) and,
   * when due or `now` (a step, a pause, an epoch's or the run's end), the strip's guesses.
   */
  private flush(runId: number, guessesNow = false): void {
    const latest = this.latest;
    const watch = this.active?.watch;
    if (latest === null) return;
    if (this.pending.length === 0 && !(guessesNow && watch?.behind(latest.iteration))) return;
    const now = this.now();
    const span = now - this.rateWindow.at;
    if (span >= 250) {
      const recent = (this.rateWindow.samples * 1000) / span;
      this.samplesPerSecond = this.samplesPerSecond === 0 ? recent : 0.5 * this.samplesPerSecond + 0.5 * recent;
      this.rateWindow = { at: now, samples: 0 };
    }
    const predictions = watch?.take(latest.iteration, now, guessesNow) ?? null;
    this.deps.send({ type: 'progress', runId, points: this.pending, latest, samplesPerSecond: this.samplesPerSecond, ...(predictions ? { predictions } : {}) });
    this.pending = [];
    this.lastFlush = now;
  }

  /** The held model to continue from; its layer widths and activation must be the config's. */
  private continuing(config: RunConfig): NonNullable<ReturnType<ModelKeeper['startingPoint']>> {
    const from = this.keeper.startingPoint();
    if (from === null) throw new Error('There is no model to continue training: train one or load one first.');
    if (from.config.layers.join(',') !== config.layers.join(',') || from.config.activation !== config.activation) {
      throw new Error(
        `To continue training, the network must stay ${from.config.layers.join(' → ')} with ${from.config.activation}; this run asks for ${config.layers.join(' → ')} with ${config.activation}.`,
      );
    }
    return from;
  }

  /** Answers one request about the held model; every request gets exactly one reply. */
  private async answer(requestId: number, request: EngineRequest): Promise<void> {
    if (request.kind === 'load-model' && this.active !== null) {
      this.deps.send({ type: 'reply', requestId, ok: false, message: 'A run is in progress: stop it before loading a model.' });
      return;
    }
    try {
      const value = await this.keeper.answer(request);
      this.deps.send({ type: 'reply', requestId, ok: true, value });
    } catch (error) {
      this.deps.send({ type: 'reply', requestId, ok: false, message: messageOf(error) });
    }
  }

  /** The dataset, read once per folder: a second run on the same data starts at once. */
  private dataset(dir: string, name: string): Dataset {
    if (this.datasetCache?.dir !== dir) this.datasetCache = { dir, data: this.deps.loadDataset(dir, name) };
    return this.datasetCache.data;
  }
}

function describeDataset(id: string, dir: string, data: Dataset): DatasetInfo {
  return {
    id,
    name: data.name,
    source: dir,
    trainCount: data.train.count,
    testCount: data.test.count,
    rows: data.train.rows,
    cols: data.train.cols,
    classes: data.classes,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How many threads kernels compute on (the WebAssembly ones say; others use one). */
function threadsOf(kernels: Kernels): number {
  return (kernels as Partial<WasmKernels>).threads ?? 1;
}
