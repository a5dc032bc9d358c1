/**
 * Runs a sliced computation (src/engine/files/slices.ts) on this thread without holding its event
 * loop: slices run back to back for up to `budgetMs`, then timers, I/O and IPC get a turn
 * (setImmediate) before the next. In the app's main process this keeps the window answering while
 * a model of hundreds of MiB is checked and decoded.
 *
 * Slicing rather than a worker thread: the same engine code then serves the CLI (run to the end at
 * once) and the app, with no second bundle entry to build and ship, and tests drive it directly.
 */
import type { Sliced } from '../engine/files/slices';

/** The longest run of slices between two turns of the event loop. */
export const SLICE_BUDGET_MS = 10;

export async function runInSlices<T>(work: Sliced<T>, budgetMs = SLICE_BUDGET_MS): Promise<T> {
  let until = performance.now() + budgetMs;
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() >= until) {
      await nextTurn();
      until = performance.now() + budgetMs;
    }
  }
}

/** Resolves after the event loop has run its pending timers and I/O once. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
