import { describe, expect, it } from 'vitest';
import { PacedLatest, type PaceTimers } from '../../src/renderer/src/ui/paced-latest';

/** Timers on a clock that moves only when told. */
function fakeTimers(): PaceTimers & { advance(ms: number): void } {
  let time = 0;
  let due: { at: number; callback: () => void } | null = null;
  return {
    now: () => time,
    setTimer: (callback, ms) => (due = { at: time + ms, callback }),
    clearTimer: (timer) => {
      if (timer === due) due = null;
    },
    advance(ms) {
      for (let step = 0; step < ms; step++) {
        time++;
        if (due !== null && due.at <= time) {
          const { callback } = due;
          due = null;
          callback();
        }
      }
    },
  };
}

describe('paced latest', () => {
  it('hands on the first value at once, then at most one every interval, always the latest', () => {
    const timers = fakeTimers();
    const shown: number[] = [];
    const paced = new PacedLatest<number>(100, (value) => shown.push(value), timers);
    paced.offer(1);
    expect(shown).toEqual([1]);
    // Twenty a second for a second: ten handed on, each the latest at its turn.
    for (let i = 2; i <= 21; i++) {
      timers.advance(50);
      paced.offer(i);
    }
    timers.advance(100);
    expect(shown.length).toBeLessThanOrEqual(12);
    expect(shown.length).toBeGreaterThanOrEqual(10);
    expect(shown.at(-1)).toBe(21);
    for (let i = 1; i < shown.length; i++) expect(shown[i]).toBeGreaterThan(shown[i - 1]);
  });

  it('flush hands on the waiting value at once; cancel drops it', () => {
    const timers = fakeTimers();
    const shown: string[] = [];
    const paced = new PacedLatest<string>(100, (value) => shown.push(value), timers);
    paced.offer('a');
    paced.offer('b');
    expect(shown).toEqual(['a']);
    paced.flush();
    expect(shown).toEqual(['a', 'b']);
    paced.flush();
    expect(shown).toEqual(['a', 'b']);
    timers.advance(10);
    paced.offer('c');
    paced.cancel();
    timers.advance(500);
    expect(shown).toEqual(['a', 'b']);
  });
});
