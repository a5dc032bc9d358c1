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
 * an uninterrupted one.
 */
export class TrainingLoop {
  private paused = false;
  private cancelled = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly training: Training,
    private readonly onEvent: (event: TrainingEvent) => void,
    private readonly options: LoopOptions = {},
  ) {}

  get isPaused(): boolean {
    return this.paused;
  }

  /** Takes effect before the next batch. */
  pause(): void {
    this.paused = true;
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
      for (const event of this.training.step()) this.onEvent(event);
      if (now() - lastYield >= yieldEveryMs) {
        await yieldToHost();
        lastYield = now();
      }
    }
    return this.training.status === 'diverged' ? 'diverged' : 'completed';
  }

  private wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }
}
