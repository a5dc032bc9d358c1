/**
 * Names a piece of the renderer's work on the browser's performance timeline (User Timing), so a
 * PerformanceObserver — the end-to-end frame report, or DevTools — can tell the app's own time in a
 * long task from the rest (a test harness delivering a result, garbage collection). Each measure is
 * cleared from the timeline's buffer at once, so hours of live updates keep no entries: observers
 * still receive it.
 */
const PREFIX = 'mlp-lab:';

/** Runs `work`, measured as `mlp-lab:<name>`; returns what it returns. */
export function timed<T>(name: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    const full = PREFIX + name;
    performance.measure(full, { start, end: performance.now() });
    performance.clearMeasures(full);
  }
}
