/**
 * How long a study's run took to reach a test accuracy: the wall-clock seconds from the run's start
 * (engine start-up included) to the end of the first epoch whose test accuracy reached it. Every
 * epoch of a study's run keeps its time since the run's start, so the time to any target can be read
 * afterwards, not only to the target the study was started with.
 */
import type { EpochMetrics } from '../engine/training/events';
import type { StudyRunResult } from './study';

/** One epoch of a study's run: its metrics and when it ended. */
export interface StudyEpochMetrics extends EpochMetrics {
  /**
   * Wall-clock seconds from the run's start (engine start-up included) to the end of this epoch:
   * the clock and start `secondsToTarget` is measured on. Missing in studies saved before MLP Lab
   * recorded it.
   */
  secondsSinceStart?: number;
}

/**
 * Seconds from the run's start to the end of its first epoch with test accuracy ≥ `target`; null
 * when no epoch reached it, or when that epoch's time was not recorded.
 */
export function secondsToAccuracy(epochs: readonly StudyEpochMetrics[], target: number): number | null {
  const first = epochs.find((epoch) => epoch.testAccuracy >= target);
  return typeof first?.secondsSinceStart === 'number' ? first.secondsSinceStart : null;
}

/** Whether every epoch has its time since the run's start (not so in studies saved before it was kept). */
export function epochTimesRecorded(epochs: readonly StudyEpochMetrics[]): boolean {
  return epochs.every((epoch) => typeof epoch.secondsSinceStart === 'number');
}

/** Targets closer than this are the same target (a percentage typed again need not give the same bits). */
const SAME_TARGET = 1e-9;

/** One cell of a "Time to …" column. */
export interface TimeToTarget {
  /** Seconds to the target; null when no epoch reached it or it cannot be known. */
  seconds: number | null;
  /** False when the run's epochs have no times, so only the study's own target can be timed. */
  recorded: boolean;
}

/**
 * A run's time to `target`: for the study's own target, the time measured while it ran (so a study
 * saved before epochs kept their times shows what it always showed); for any other target, read from
 * the epochs' times, or not known when they were not recorded.
 */
export function runTimeToTarget(
  run: Pick<StudyRunResult, 'secondsToTarget'>,
  epochs: readonly StudyEpochMetrics[],
  target: number,
  studyTarget: number,
): TimeToTarget {
  if (Math.abs(target - studyTarget) < SAME_TARGET) return { seconds: run.secondsToTarget, recorded: true };
  if (!epochTimesRecorded(epochs)) return { seconds: null, recorded: false };
  return { seconds: secondsToAccuracy(epochs, target), recorded: true };
}
