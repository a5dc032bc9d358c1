/** Formats seconds as "1:05" or "1:02:03". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export interface ProgressState {
  epoch: number;
  epochs: number;
  /** Minibatches done in the whole run. */
  done: number;
  total: number;
  /** Training samples per second, recent. */
  samplesPerSecond: number;
  /** Seconds since the run started (excluding evaluation is not needed for an estimate). */
  elapsedSeconds: number;
  loss: number;
}

/**
 * One line of progress: `epoch 2/5 [#######-------] 43% 3,210/7,500  loss 0.213  8,412 img/s  ETA 0:41`.
 * The ETA extrapolates the average pace so far over the batches left.
 */
export function renderProgress(state: ProgressState, width = 24): string {
  const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 0;
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const eta = state.done > 0 ? (state.elapsedSeconds / state.done) * (state.total - state.done) : Number.NaN;
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  const rate = Math.round(state.samplesPerSecond).toLocaleString('en-US');
  return `epoch ${state.epoch}/${state.epochs} [${bar}] ${pct} ${state.done.toLocaleString('en-US')}/${state.total.toLocaleString('en-US')}  loss ${state.loss.toFixed(3)}  ${rate} img/s  ETA ${formatDuration(eta)}`;
}
