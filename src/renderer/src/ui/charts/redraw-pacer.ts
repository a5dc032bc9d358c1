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
 * The live charts' pace: ten redraws a second at most, and a twentieth of the time at most. The
 * engine trains on every core; what a redraw costs beyond its script (the browser's paint and
 * compositing of a new frame) comes on top, so the budget is kept small.
 */
export const LIVE_CHART_PACE: RedrawPace = { maxPerSecond: 10, budget: 0.05 };

export class RedrawPacer {
  private lastStart = -Infinity;
  private lastDuration = 0;

  constructor(
    private readonly pace: RedrawPace,
    private readonly now: () => number,
  ) {}

  /** Milliseconds to wait from now before the next redraw (0: it may redraw now). */
  delay(): number {
    const gap = Math.max(1000 / this.pace.maxPerSecond, this.lastDuration / this.pace.budget);
    return Math.max(0, this.lastStart + gap - this.now());
  }

  /** Runs one redraw and notes when it started and how long it took. */
  draw(redraw: () => void): void {
    const start = this.now();
    try {
      redraw();
    } finally {
      this.lastStart = start;
      this.lastDuration = this.now() - start;
    }
  }
}
