/**
 * Time and memory bounds for the security suite: each hostile case runs under `withinBounds`, which
 * measures its wall-clock time and how far the process's peak resident memory rose, and fails the
 * case past either bound. The peak (`maxRSS`) is the right measure: a refusal that first inflated a
 * gigabyte and then let it go shows there, never in a later `rss`.
 */
import { expect } from 'vitest';

export interface Cost {
  ms: number;
  /** Rise of the process's peak resident memory during the case, in MiB (0 if it stayed below an earlier peak). */
  peakRiseMiB: number;
}

export const DEFAULT_BOUNDS = { ms: 2000, peakRiseMiB: 64 };

/** Runs `action` and returns its result with its cost; fails when it took longer or grew more than the bounds. */
export async function withinBounds<T>(action: () => T | Promise<T>, bounds: Partial<typeof DEFAULT_BOUNDS> = {}): Promise<{ result: T; cost: Cost }> {
  const limit = { ...DEFAULT_BOUNDS, ...bounds };
  const peakBefore = process.resourceUsage().maxRSS;
  const start = performance.now();
  const result = await action();
  const cost = { ms: performance.now() - start, peakRiseMiB: (process.resourceUsage().maxRSS - peakBefore) / 1024 };
  expect(cost.ms, 'time').toBeLessThan(limit.ms);
  expect(cost.peakRiseMiB, 'peak memory rise').toBeLessThan(limit.peakRiseMiB);
  return { result, cost };
}

/** The error `action` throws or rejects with; fails when it succeeds. */
export async function refusal(action: () => unknown): Promise<Error> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected a refusal, but the action succeeded');
}
