/**
 * The time to any target from a run's per-epoch times: the first epoch at or above it, null when
 * none reached it or when the times were not recorded (studies saved before they were kept); the
 * study's own target keeps the time measured while it ran.
 */
import { describe, expect, it } from 'vitest';
import { epochTimesRecorded, runTimeToTarget, secondsToAccuracy, type StudyEpochMetrics } from '../../src/shared/time-to-target';

function epoch(n: number, testAccuracy: number, secondsSinceStart?: number): StudyEpochMetrics {
  const metrics = { epoch: n, trainLoss: 0.5, trainAccuracy: 0.8, testLoss: 0.4, testAccuracy, seconds: 1, samplesPerSecond: 1000 };
  return secondsSinceStart === undefined ? metrics : { ...metrics, secondsSinceStart };
}

/** Test accuracy 0.85, 0.92, 0.91, 0.96 at 2.5, 4, 5.5 and 7 s after the run started. */
const timed = [epoch(1, 0.85, 2.5), epoch(2, 0.92, 4), epoch(3, 0.91, 5.5), epoch(4, 0.96, 7)];
/** The same epochs as a study saved before their times were kept. */
const untimed = timed.map(({ secondsSinceStart: _s, ...metrics }) => metrics);

describe('seconds to a test accuracy', () => {
  it('is the time of the first epoch at or above the target, not of the best one', () => {
    expect(secondsToAccuracy(timed, 0.9)).toBe(4);
    expect(secondsToAccuracy(timed, 0.95)).toBe(7);
    expect(secondsToAccuracy(timed, 0.5)).toBe(2.5);
  });

  it('counts a target reached exactly at an epoch as reached', () => {
    expect(secondsToAccuracy(timed, 0.92)).toBe(4);
    expect(secondsToAccuracy(timed, 0.96)).toBe(7);
    expect(secondsToAccuracy([epoch(1, 1, 3)], 1)).toBe(3);
  });

  it('is null when no epoch reached the target, or there are no epochs', () => {
    expect(secondsToAccuracy(timed, 0.9601)).toBeNull();
    expect(secondsToAccuracy(timed, 1)).toBeNull();
    expect(secondsToAccuracy([], 0.1)).toBeNull();
  });

  it('is null when the times were not recorded, even for a target that was reached', () => {
    expect(secondsToAccuracy(untimed, 0.9)).toBeNull();
    expect(secondsToAccuracy(untimed, 0.5)).toBeNull();
    expect(epochTimesRecorded(untimed)).toBe(false);
    expect(epochTimesRecorded(timed)).toBe(true);
  });
});

describe('a run\'s cell in the "Time to …" column', () => {
  it('shows the time measured while the study ran for the study\'s own target, with or without epoch times', () => {
    // 4.2 s measured live; the epochs need not agree (an older study's own numbers are kept as they were).
    expect(runTimeToTarget({ secondsToTarget: 4.2 }, untimed, 0.9, 0.9)).toEqual({ seconds: 4.2, recorded: true });
    expect(runTimeToTarget({ secondsToTarget: null }, untimed, 0.9, 0.9)).toEqual({ seconds: null, recorded: true });
    expect(runTimeToTarget({ secondsToTarget: 4 }, timed, 0.9, 0.9)).toEqual({ seconds: 4, recorded: true });
    // 92.5 % typed as a percentage is the study's target 0.925 however the division rounds.
    expect(runTimeToTarget({ secondsToTarget: 6 }, untimed, 92.5 / 100, 0.925)).toEqual({ seconds: 6, recorded: true });
  });

  it('reads another target from the epochs\' times', () => {
    expect(runTimeToTarget({ secondsToTarget: 4 }, timed, 0.95, 0.9)).toEqual({ seconds: 7, recorded: true });
    expect(runTimeToTarget({ secondsToTarget: 4 }, timed, 0.99, 0.9)).toEqual({ seconds: null, recorded: true });
  });

  it('is not known for another target when the epochs have no times', () => {
    expect(runTimeToTarget({ secondsToTarget: 4 }, untimed, 0.95, 0.9)).toEqual({ seconds: null, recorded: false });
    expect(runTimeToTarget({ secondsToTarget: 4 }, untimed, 0.5, 0.9)).toEqual({ seconds: null, recorded: false });
  });

  it('is simply not reached for a run that finished no epoch', () => {
    expect(runTimeToTarget({ secondsToTarget: null }, [], 0.5, 0.9)).toEqual({ seconds: null, recorded: true });
  });
});
