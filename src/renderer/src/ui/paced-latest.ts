/**
 * Hands on the latest of a stream of values at most once every `everyMs`: a value that comes
 * sooner waits for its turn, and one that comes while another waits replaces it. `flush` hands on
 * the waiting value at once (something that must come after it is about to be shown).
 */
export interface PaceTimers {
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

const globalTimers: PaceTimers = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export class PacedLatest<T> {
  private waiting: { value: T } | null = null;
  private timer: unknown = null;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly everyMs: number,
    private readonly deliver: (value: T) => void,
    private readonly timers: PaceTimers = globalTimers,
  ) {}

  offer(value: T): void {
    this.waiting = { value };
    if (this.timer !== null) return;
    const wait = this.last + this.everyMs - this.timers.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = this.timers.setTimer(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  flush(): void {
    this.stopTimer();
    const waiting = this.waiting;
    if (waiting === null) return;
    this.waiting = null;
    this.last = this.timers.now();
    this.deliver(waiting.value);
  }

  /** Drops the waiting value. */
  cancel(): void {
    this.stopTimer();
    this.waiting = null;
  }

  private stopTimer(): void {
    if (this.timer !== null) this.timers.clearTimer(this.timer);
    this.timer = null;
  }
}
