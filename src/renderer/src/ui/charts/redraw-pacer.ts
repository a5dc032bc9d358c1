/**
 * When a live chart may redraw next. Two limits, whichever is later: at most `maxPerSecond`
 * redraws a second (ten are smooth to the eye), and redraws taking at most `budget` of the time
 * (a redraw that took 30 ms waits 600 ms at a budget of 0.05). On a busy machine, where a redraw
 * takes longer, the chart redraws less often instead of taking the cores from the engine.
 */
export interface RedrawPace {
  /** Most redraws in a second. */
  maxPerSecond: number;
  /** Largest fraction of the time that redrawing may take. */
  budget: number;
}

/**
 * The live charts' pace: four redraws a second at most, the pace the Train screen's numbers change
 * at (a redraw then shares their frame), and a twentieth of the time at most. The engine trains on
 * every core; what a redraw costs beyond its script (the browser's paint and compositing of a new
 * frame) comes on top, so the budget is kept small.
 */
export const LIVE_CHART_PACE: RedrawPace = { maxPerSecond: 4, budget: 0.05 };

export class RedrawPacer {
  private lastAsked = -Infinity;
  private lastStart = -Infinity;
  private lastDuration = 0;

  constructor(
    private readonly pace: RedrawPace,
    private readonly now: () => number,
  ) {}

  /** Milliseconds to wait from now before the next redraw (0: it may redraw now). */
  delay(): number {
    const next = Math.max(this.lastAsked + 1000 / this.pace.maxPerSecond, this.lastStart + this.lastDuration / this.pace.budget);
    return Math.max(0, next - this.now());
  }

  /**
   * Runs one redraw and notes when it started, how long it took and when it was let through
   * (`askedAt`: it then waited for an animation frame; its start if not given). The most redraws a
   * second count from that ask, which keeps redraws in step with the changes asking for them (the
   * Train screen's numbers, on the same pace): each shares their frame instead of making one of its
   * own just after. The budget counts from the start.
   */
  draw(redraw: () => void, askedAt?: number): void {
    const start = this.now();
    try {
      redraw();
    } finally {
      this.lastAsked = Math.min(askedAt ?? start, start);
      this.lastStart = start;
      this.lastDuration = this.now() - start;
    }
  }
}
