import type { TrainingEvent } from './events';
import type { Training } from './training';

export type LoopOutcome = 'completed' | 'diverged' | 'cancelled';

export interface LoopOptions {
  /** Hand control back to the host (so commands can arrive) at least this often, in ms. */
  yieldEveryMs?: number;
  /** How to give the host a turn; a macrotask by default, so pending messages are handled. */
  yieldToHost?: () => Promise<void>;
  now?: () => number;
}

/**
 * Drives a Training to its end while staying responsive: between batches it honours pause,
 * resume and cancel, and every few milliseconds it yields so that a worker can receive those
 * commands. Pausing only delays the next step, so a paused-and-resumed run is bit-identical to
 * an uninterrupted one; so is a paced run (held to a few batches a second, resting on a timer
 * between them) and one stepped batch by batch while paused.
 */
export class TrainingLoop {
  private paused = false;
  private cancelled = false;
  private wakeUp: (() => void) | null = null;
  /** Least milliseconds from one batch's start to the next's; 0 is full speed. */
  private batchInterval = 0;

  constructor(
    private readonly training: Training,
    private readonly onEvent: (event: TrainingEvent) => void,
    private readonly options: LoopOptions = {},
  ) {}

  get isPaused(): boolean {
    return this.paused;
  }

  /** Takes effect before the next batch (a rest between paced batches ends at once). */
  pause(): void {
    this.paused = true;
    this.wake();
  }

  /**
   * Holds the run to at most `batchesPerSecond` minibatches a second, resting between them on a
   * timer (never spinning, so the host keeps handling commands); null trains at full speed. A new
   * pace applies to the rest in progress.
   */
  setPace(batchesPerSecond: number | null): void {
    this.batchInterval = batchesPerSecond === null ? 0 : 1000 / batchesPerSecond;
    this.wake();
  }

  /**
   * While paused: trains exactly one minibatch, reports its events and stays paused. Returns false,
   * having trained nothing, when the run is not paused or has ended.
   */
  step(): boolean {
    if (!this.paused || this.cancelled || this.training.done) return false;
    for (const event of this.training.step()) this.onEvent(event);
    // That batch may have been the run's last: let run() see it and return.
    if (this.training.done) this.wake();
    return true;
  }

  resume(): void {
    this.paused = false;
    this.wake();
  }

  /** Takes effect before the next batch; the weights stay as they are. */
  cancel(): void {
    this.cancelled = true;
    this.wake();
  }

  async run(): Promise<LoopOutcome> {
    const yieldEveryMs = this.options.yieldEveryMs ?? 15;
    const yieldToHost = this.options.yieldToHost ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    const now = this.options.now ?? (() => performance.now());
    let lastYield = now();
    while (!this.training.done) {
      if (this.cancelled) return 'cancelled';
      if (this.paused) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
        });
        lastYield = now();
        continue;
      }
      // Full speed reads the clock only as often as before: the pace costs it one comparison.
      const began = this.batchInterval > 0 ? now() : 0;
      for (const event of this.training.step()) this.onEvent(event);
      if (this.batchInterval > 0 && (await this.rest(began, now))) lastYield = now();
      if (now() - lastYield >= yieldEveryMs) {
        await yieldToHost();
        lastYield = now();
      }
    }
    return this.training.status === 'diverged' ? 'diverged' : 'completed';
  }

  /**
   * Waits until `batchInterval` after `began`, on a timer; a pause, a stop or a new pace wakes it
   * early (the new pace is measured from the same batch start). True when it waited at all.
   */
  private async rest(began: number, now: () => number): Promise<boolean> {
    let waited = false;
    for (let left = began + this.batchInterval - now(); left > 0 && !this.paused && !this.cancelled; left = began + this.batchInterval - now()) {
      waited = true;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.wake(), left);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return waited;
  }

  private wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }
}
