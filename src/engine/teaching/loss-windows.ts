/**
 * A noisy per-minibatch loss curve as a few steady numbers: the mean loss of each run of
 * `batchesPerWindow` consecutive minibatches. Only full windows count (a half-filled last window
 * would be judged on a handful of batches), and non-finite losses are left out of their window's
 * mean (a window with none finite is left out altogether).
 */
export function lossWindows(losses: ArrayLike<number>, batchesPerWindow: number): number[] {
  if (!Number.isInteger(batchesPerWindow) || batchesPerWindow < 1) {
    throw new RangeError(`A loss window needs a whole number of minibatches, at least 1; got ${batchesPerWindow}.`);
  }
  const means: number[] = [];
  const full = Math.floor(losses.length / batchesPerWindow) * batchesPerWindow;
  for (let start = 0; start < full; start += batchesPerWindow) {
    let sum = 0;
    let count = 0;
    for (let i = start; i < start + batchesPerWindow; i++) {
      const loss = losses[i];
      if (Number.isFinite(loss)) {
        sum += loss;
        count++;
      }
    }
    if (count > 0) means.push(sum / count);
  }
  return means;
}
