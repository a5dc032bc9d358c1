/**
 * The speeds the Train screen offers: full speed, then paces a class can follow, down to two
 * batches a second (slow enough to read each guess, quick enough to see a trend).
 */
import { formatCount } from '$ui/format';

/** Minibatches a second, fastest first; null is full speed. */
export const PACE_STEPS: readonly (number | null)[] = [null, 100, 20, 5, 2];

/** The step's short label: "Full speed", "20/s". */
export function paceLabel(pace: number | null): string {
  return pace === null ? 'Full speed' : `${pace}/s`;
}

/** A sentence for the step's tooltip, in batches and (with the batch size known) images. */
export function describePace(pace: number | null, batchSize: number | null): string {
  if (pace === null) return 'As fast as this computer can train';
  const batches = `${pace} batches a second`;
  return batchSize === null ? batches : `${batches}: ${formatCount(pace * batchSize)} images a second at ${batchSize} images a batch`;
}
