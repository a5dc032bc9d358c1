/**
 * One training session as the Train screen sees it: what phase the run is in, how far it got, how
 * fast it goes, how it ended, and the curves it drew. It listens to `window.lab` run events and sends
 * the run commands; the curves outlive the run, so a stopped or diverged run keeps what it had.
 */
import type { CommandResult, DatasetInfo, EngineInfo, LabApi, RunEvent } from '$shared/lab-api';
import type { RunConfig } from '$engine/training/run-config';
import type { EpochMetrics } from '$engine/training/events';
import { EpochCurves, IterationCurves, type Point } from '$ui/charts/curves';
import type { RunShape, XSpan, XUnit } from './iteration-axis';
import type { PreviousIterations } from './iteration-chart';
import { errorMessage } from '$ui/errors';
import { PredictionStripView } from './prediction-strip.svelte';
import { RunDiagnosis } from './run-diagnosis.svelte';
import { PacedLatest } from '$ui/paced-latest';
import type { StripGuess } from '$engine/teaching/prediction-strip';

/**
 * Least time between two updates of the screen (the numbers, the strip's guesses, the charts'
 * redraws, all on this one clock). The engine sends progress up to 20 times a second; each update
 * that changes the page costs the browser a new frame (style, layout, paint, and, with no GPU,
 * compositing in software), taken from the cores the engine trains on. Four a second still read
 * as a steady count, and in one frame each make a third of the frames that the numbers at ten a
 * second, the strip and the charts' redraws each in frames of their own made.
 */
const PROGRESS_SHOWN_EVERY_MS = 250;

export type Phase =
  | 'idle'
  | 'starting'
  | 'running'
  | 'paused'
  | 'completed'
  | 'stopped'
  | 'diverged'
  | 'failed'
  | 'crashed';

/** Where the run is, from the latest progress event. */
export interface Progress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  iteration: number;
  totalIterations: number;
  samplesPerSecond: number;
  loss: number;
  accuracy: number;
}

/** How the run ended, in the words the status line needs. */
export type Outcome =
  | { kind: 'completed'; testAccuracy: number | null }
  | { kind: 'stopped'; testAccuracy: number | null }
  | { kind: 'diverged'; reason: string; restoredEpoch: number }
  | { kind: 'failed'; message: string }
  | { kind: 'crashed'; message: string };

/** The run before the current one, kept as faint curves beside it (until cleared or the dataset changes). */
export interface PreviousRun {
  datasetId: string;
  iterations: PreviousIterations;
  epochs: { train: readonly Point[]; test: readonly Point[] };
}

export class TrainingSession {
  phase = $state<Phase>('idle');
  /** The config and dataset of the current (or last) run, as the engine confirmed them. */
  config = $state.raw<RunConfig | null>(null);
  dataset = $state.raw<DatasetInfo | null>(null);
  progress = $state.raw<Progress | null>(null);
  /** What computes the current (or last) run, as the engine reported it. */
  engine = $state.raw<EngineInfo | null>(null);
  /** Metrics of every finished epoch of the current run. */
  epochs = $state.raw<EpochMetrics[]>([]);
  outcome = $state.raw<Outcome | null>(null);
  /** Why the last command was refused, or news about the engine between runs; cleared by the next command. */
  notice = $state<string | null>(null);
  /** A command is on its way; the buttons wait for its answer. */
  busy = $state(false);
  /** Minibatches a second the runs are held to; null is full speed. Kept from one run to the next. */
  pace = $state<number | null>(null);

  /** Plain arrays the charts draw; `curvesVersion` ticks whenever the iteration curves grow, `epochsVersion` the epoch curves. */
  readonly iterations = new IterationCurves();
  readonly epochCurves = new EpochCurves();
  curvesVersion = $state(0);
  epochsVersion = $state(0);
  /** The previous run's curves, or null (none yet, cleared, or another dataset). */
  previous = $state.raw<PreviousRun | null>(null);
  /** What the iteration chart's x axis counts, and what part of the run it spans. */
  xUnit = $state<XUnit>('iterations');
  xSpan = $state<XSpan>('run');
  /** Minibatches drawn so far in this run (0 before the first progress). */
  pointCount = $state(0);
  /** The network's current guesses on a dozen fixed test images. */
  readonly strip: PredictionStripView;
  /** What the run's numbers say, in plain words (live, and in full once it ends). */
  readonly diagnosis: RunDiagnosis;

  /** A run is under way (it may be paused). */
  readonly active = $derived(this.phase === 'starting' || this.phase === 'running' || this.phase === 'paused');
  /** What places the current run's iterations on the chart's axis. */
  readonly shape: RunShape = $derived({
    batchSize: this.config?.batchSize ?? 1,
    batchesPerEpoch: this.progress?.batchesPerEpoch ?? 1,
    trainCount: this.dataset?.trainCount ?? 1,
    totalIterations: this.progress?.totalIterations ?? 1,
  });
  /** Fraction of all minibatches done. */
  readonly fraction = $derived(
    this.progress === null ? 0 : Math.min(1, this.progress.iteration / Math.max(1, this.progress.totalIterations)),
  );
  /** Seconds left at the current speed (evaluation after each epoch not counted). */
  readonly etaSeconds = $derived.by(() => {
    const p = this.progress;
    if (p === null || this.config === null || p.samplesPerSecond <= 0) return null;
    return ((p.totalIterations - p.iteration) * this.config.batchSize) / p.samplesPerSecond;
  });

  private runId: number | null = null;
  /** Progress reaches the screen at most four times a second (the curves get every point at once). */
  private readonly shown = new PacedLatest<Extract<RunEvent, { type: 'progress' }>>(PROGRESS_SHOWN_EVERY_MS, (event) => this.show(event));
  private lastStart: { config: RunConfig; datasetId: string } | null = null;
  /** The latest guesses on the strip's images not yet shown (they are shown with the numbers). */
  private waitingGuesses: { guesses: StripGuess[]; iteration: number } | null = null;

  constructor(private readonly lab: LabApi) {
    this.strip = new PredictionStripView(lab);
    this.diagnosis = new RunDiagnosis(this, lab);
  }

  /** Starts listening to run events; returns the function that stops listening. */
  connect(): () => void {
    const stop = this.lab.onRunEvent((event) => this.receive(event));
    return () => {
      stop();
      this.shown.cancel();
    };
  }

  /** Puts the latest progress on screen: the numbers, and a tick for the charts. */
  private show(event: Extract<RunEvent, { type: 'progress' }>): void {
    if (event.runId !== this.runId) return;
    this.pointCount = this.iterations.size;
    this.progress = {
      epoch: event.latest.epoch,
      batch: event.latest.batch,
      batchesPerEpoch: event.latest.batchesPerEpoch,
      iteration: event.latest.iteration,
      totalIterations: this.progress?.totalIterations ?? event.latest.batchesPerEpoch,
      samplesPerSecond: event.samplesPerSecond,
      loss: event.latest.loss,
      accuracy: event.latest.accuracy,
    };
    this.curvesVersion++;
    const waiting = this.waitingGuesses;
    this.waitingGuesses = null;
    if (waiting !== null) this.strip.update(waiting.guesses, waiting.iteration);
  }

  receive(event: RunEvent): void {
    // Anything else comes after the progress before it: show that progress first.
    if (event.type !== 'progress') this.shown.flush();
    if (event.type === 'started') {
      this.begin(event.runId, event.config, event.dataset, event.batchesPerEpoch);
      this.engine = event.engine;
      return;
    }
    if (event.type === 'engine-crashed') {
      if (this.active) this.end({ kind: 'crashed', message: event.message });
      else this.notice = `The engine stopped between runs (${event.message}); it starts again with the next run.`;
      return;
    }
    // A run can fail before it has started (its dataset would not load): the first event after a
    // Start names the run.
    if (this.phase === 'starting' && this.runId === null) this.runId = event.runId;
    if (event.runId !== this.runId) return;
    switch (event.type) {
      case 'progress':
        this.iterations.add(event.points);
        this.shown.offer(event);
        // Predictions come with some progress events only; the latest waits for the numbers' next
        // turn, so the strip changes in the same frame as they do.
        if (event.predictions) this.waitingGuesses = { guesses: event.predictions, iteration: event.latest.iteration };
        return;
      case 'epoch': {
        const { type: _type, runId: _runId, ...metrics } = event;
        this.epochs = [...this.epochs, metrics];
        this.epochCurves.add(metrics);
        this.epochsVersion++;
        return;
      }
      case 'paused':
        this.phase = 'paused';
        return;
      case 'resumed':
        this.phase = 'running';
        return;
      case 'engine-changed':
        this.engine = event.engine;
        return;
      case 'finished':
        this.end({ kind: event.reason, testAccuracy: event.testAccuracy });
        return;
      case 'diverged':
        this.end({ kind: 'diverged', reason: event.reason, restoredEpoch: event.restoredEpoch });
        return;
      case 'failed':
        this.end({ kind: 'failed', message: event.message });
        return;
      default:
        return assertNever(event);
    }
  }

  async start(config: RunConfig, datasetId: string): Promise<void> {
    this.lastStart = { config, datasetId };
    const previous = this.phase;
    this.phase = 'starting';
    // Main keeps the speed for the next run; said again so that a reloaded page and main agree.
    const result = await this.send(async () => {
      const paced = await this.lab.setPace(this.pace);
      return paced.ok ? this.lab.startRun(config, datasetId) : paced;
    });
    // Refused: nothing started, so the screen goes back to what it showed.
    if (!result.ok && this.phase === 'starting') this.phase = previous;
  }

  /** Starts the last run again, e.g. after the engine crashed. */
  async startAgain(): Promise<void> {
    if (this.lastStart !== null) await this.start(this.lastStart.config, this.lastStart.datasetId);
  }

  pause(): Promise<CommandResult> {
    return this.send(() => this.lab.pause());
  }

  resume(): Promise<CommandResult> {
    return this.send(() => this.lab.resume());
  }

  stop(): Promise<CommandResult> {
    return this.send(() => this.lab.stop());
  }

  /** While paused: trains exactly one minibatch, which the curves then show; the run stays paused. */
  step(): Promise<CommandResult> {
    return this.send(() => this.lab.step());
  }

  /**
   * Changes the speed: at once if a run trains, and for the runs after. Not a `send`: the run
   * controls stay usable while it is on its way.
   */
  async setPace(batchesPerSecond: number | null): Promise<void> {
    const previous = this.pace;
    this.pace = batchesPerSecond;
    this.notice = null;
    let result: CommandResult;
    try {
      result = await this.lab.setPace(batchesPerSecond);
    } catch (error) {
      result = { ok: false, message: errorMessage(error) };
    }
    if (!result.ok) {
      this.pace = previous;
      this.notice = result.message;
    }
  }

  private async send(command: () => Promise<CommandResult>): Promise<CommandResult> {
    this.notice = null;
    this.busy = true;
    try {
      const result = await command();
      if (!result.ok) this.notice = result.message;
      return result;
    } catch (error) {
      const message = errorMessage(error);
      this.notice = message;
      return { ok: false, message };
    } finally {
      this.busy = false;
    }
  }

  /** Lets go of the previous run's curves (the button beside the charts; a new dataset). */
  clearPrevious(): void {
    this.previous = null;
  }

  /**
   * Keeps the curves shown so far as the previous run's, when a run on `datasetId` starts: a run
   * that drew nothing leaves the one before it in place; a run on another dataset keeps none.
   */
  private keepAsPrevious(datasetId: string): void {
    if (this.iterations.size > 0 && this.dataset !== null) {
      this.previous = {
        datasetId: this.dataset.id,
        iterations: { lossTrend: this.iterations.lossTrend.slice(), accuracyTrend: this.iterations.accuracyTrend.slice(), shape: this.shape },
        epochs: { train: this.epochCurves.train.slice(), test: this.epochCurves.test.slice() },
      };
    }
    if (this.previous?.datasetId !== datasetId) this.previous = null;
  }

  private begin(runId: number, config: RunConfig, dataset: DatasetInfo, batchesPerEpoch: number): void {
    this.keepAsPrevious(dataset.id);
    this.runId = runId;
    this.diagnosis.reset();
    this.config = config;
    this.dataset = dataset;
    this.strip.reset(dataset.id);
    this.waitingGuesses = null;
    this.outcome = null;
    this.epochs = [];
    this.iterations.clear(config.batchSize);
    this.epochCurves.clear();
    this.pointCount = 0;
    this.progress = {
      epoch: 1,
      batch: 0,
      batchesPerEpoch,
      iteration: 0,
      totalIterations: batchesPerEpoch * config.epochs,
      samplesPerSecond: 0,
      loss: Number.NaN,
      accuracy: Number.NaN,
    };
    this.phase = 'running';
    this.curvesVersion++;
    this.epochsVersion++;
  }

  private end(outcome: Outcome): void {
    this.runId = null;
    this.outcome = outcome;
    this.phase = outcome.kind;
    void this.diagnosis.measureUnits();
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected run event: ${JSON.stringify(value)}`);
}
