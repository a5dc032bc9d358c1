/**
 * When the prediction strip's guesses go out with the run's progress. A forward pass of a dozen
 * images is cheap, but not free at full speed, where a message carries dozens of batches: there the
 * guesses are taken once a second. A step, a pause, an epoch's end, the run's end and a slow
 * pace (every batch on its own) take them at once, so what the strip shows is the network as it is.
 */
import type { PredictionStrip, StripGuess } from '../engine/teaching/prediction-strip';

/**
 * Least time between two sets of guesses at full speed: one a second, long enough to read a dozen
 * guesses, and each set changes the strip on screen, a frame's work taken from the engine's cores.
 */
export const GUESS_INTERVAL_MS = 1000;

export class StripWatch {
  private takenAt = Number.NEGATIVE_INFINITY;
  /** The iteration the last guesses were taken after; -1 before the first. */
  private takenAfter = -1;

  constructor(private readonly strip: PredictionStrip) {}

  /** The guesses for `iteration` have not been taken yet. */
  behind(iteration: number): boolean {
    return iteration !== this.takenAfter;
  }

  /** Fresh guesses after `iteration` when due (`now` in ms; `force` takes them unless already taken), or null. */
  take(iteration: number, now: number, force: boolean): StripGuess[] | null {
    if (!this.behind(iteration)) return null;
    if (!force && now - this.takenAt < GUESS_INTERVAL_MS) return null;
    this.takenAt = now;
    this.takenAfter = iteration;
    return this.strip.guesses();
  }
}
