/** What `sweep` prints: JSON lines, the live progress line and the final results table. */
import type { StudyRunRecord } from '../node/study-scheduler';
import type { StudyRunStatus } from '../shared/study';

/** The `{"type":"run-done",…}` line for a run that ended; `reason` only when it did not complete. */
export function runDoneRecord(run: StudyRunRecord): Record<string, unknown> {
  return {
    type: 'run-done',
    run: run.index + 1,
    label: run.label,
    status: run.status,
    config: run.config,
    testAccuracy: run.finalTestAccuracy,
    bestEpoch: run.bestEpoch,
    bestTestAccuracy: run.bestTestAccuracy,
    trainLoss: run.finalTrainLoss,
    seconds: run.seconds,
    secondsToTarget: run.secondsToTarget,
    ...(run.status !== 'completed' ? { reason: run.message ?? (run.status === 'cancelled' ? 'cancelled' : null) } : {}),
  };
}

/** The completed run with the highest final test accuracy (the first of equals), if any. */
export function bestRun(runs: readonly StudyRunRecord[]): StudyRunRecord | null {
  let best: StudyRunRecord | null = null;
  for (const run of runs) {
    if (run.status !== 'completed' || run.finalTestAccuracy === null) continue;
    if (best === null || run.finalTestAccuracy > (best.finalTestAccuracy as number)) best = run;
  }
  return best;
}

function count(runs: readonly StudyRunRecord[], status: StudyRunStatus): number {
  return runs.filter((r) => r.status === status).length;
}

/** The last JSON line: how many runs ended how, and the best one. */
export function summaryRecord(runs: readonly StudyRunRecord[], seconds: number, parallel: number, targetAccuracy: number): Record<string, unknown> {
  const best = bestRun(runs);
  return {
    type: 'summary',
    runs: runs.length,
    completed: count(runs, 'completed'),
    diverged: count(runs, 'diverged'),
    failed: count(runs, 'failed'),
    cancelled: count(runs, 'cancelled'),
    bestRun: best === null ? null : best.index + 1,
    bestLabel: best?.label ?? null,
    bestTestAccuracy: best?.finalTestAccuracy ?? null,
    seconds,
    parallel,
    targetAccuracy,
  };
}

const STATUS_ORDER: readonly StudyRunStatus[] = ['completed', 'diverged', 'failed', 'cancelled', 'running', 'queued'];

/** Completed runs first, best final test accuracy first; then the rest by status; ties in run order. */
export function sortForTable(runs: readonly StudyRunRecord[]): StudyRunRecord[] {
  return [...runs].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      (b.finalTestAccuracy ?? -1) - (a.finalTestAccuracy ?? -1) ||
      a.index - b.index,
  );
}

export function pct(fraction: number | null): string {
  return fraction === null ? '-' : `${(fraction * 100).toFixed(2)}%`;
}

function secondsText(seconds: number | null): string {
  return seconds === null ? '-' : seconds.toFixed(1);
}

/** The final table, one line per run, sorted by `sortForTable`, columns padded to fit. */
export function resultsTable(runs: readonly StudyRunRecord[], targetAccuracy: number): string[] {
  const header = ['run', 'label', 'status', 'test acc', 'best (epoch)', 'train loss', 'seconds', `s to ${Number((targetAccuracy * 100).toFixed(2))}%`];
  const rows = sortForTable(runs).map((r) => [
    String(r.index + 1),
    r.label,
    r.status,
    pct(r.finalTestAccuracy),
    r.bestEpoch === null ? '-' : `${pct(r.bestTestAccuracy)} (${r.bestEpoch})`,
    r.finalTrainLoss === null ? '-' : r.finalTrainLoss.toFixed(4),
    secondsText(r.seconds),
    secondsText(r.secondsToTarget),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  // Text columns (label, status) align left, numbers right.
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 1 || c === 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** One line when a run ends, e.g. `run 3/9 completed (batchSize=64): test 97.12%, best 97.30% at epoch 4, 41.2 s`. */
export function runEndLine(run: StudyRunRecord, total: number): string {
  const head = `run ${run.index + 1}/${total} ${run.status} (${run.label})`;
  if (run.status === 'completed') {
    return `${head}: test ${pct(run.finalTestAccuracy)}, best ${pct(run.bestTestAccuracy)} at epoch ${run.bestEpoch}, ${secondsText(run.seconds)} s`;
  }
  return run.message === null ? head : `${head}: ${run.message}`;
}

/** The live line on a terminal: each running run's epoch and progress, and how many are done. */
export function progressLine(runs: readonly StudyRunRecord[]): string {
  const running = runs
    .filter((r) => r.status === 'running')
    .map((r) => {
      const fraction = r.totalIterations ? Math.floor((r.iterationsDone / r.totalIterations) * 100) : 0;
      const epoch = Math.min(r.epochs.length + 1, r.config.epochs);
      return `#${r.index + 1} epoch ${epoch}/${r.config.epochs} ${fraction}%`;
    });
  const ended = runs.filter((r) => r.status !== 'running' && r.status !== 'queued').length;
  return `${ended}/${runs.length} done${running.length > 0 ? ` | ${running.join(' | ')}` : ''}`;
}
