import { describe, expect, it } from 'vitest';
import { RedrawPacer } from '../../src/renderer/src/ui/charts/redraw-pacer';
import { frameUpdater, type FrameClock } from '../../src/renderer/src/ui/charts/frame-updater';

/** A clock whose time moves only when told, with timers and animation frames every 16 ms. */
class FakeClock implements FrameClock {
  time = 0;
  private nextId = 1;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private frames = new Map<number, () => void>();

  now = (): number => this.time;
  setTimer = (callback: () => void, ms: number): number => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  };
  clearTimer = (id: number): void => void this.timers.delete(id);
  frame = (callback: () => void): number => {
    const id = this.nextId++;
    this.frames.set(id, callback);
    return id;
  };
  cancelFrame = (id: number): void => void this.frames.delete(id);

  /** Moves time on in 1 ms steps, firing due timers, and animation frames every 16 ms. */
  advance(ms: number): void {
    for (let step = 0; step < ms; step++) {
      this.time++;
      for (const [id, timer] of [...this.timers]) {
        if (timer.at <= this.time) {
          this.timers.delete(id);
          timer.callback();
        }
      }
      if (this.time % 16 === 0) {
        const due = [...this.frames.values()];
        this.frames.clear();
        for (const callback of due) callback();
      }
    }
  }
}

describe('redraw pacer', () => {
  it('lets the first redraw go at once, then waits a tenth of a second', () => {
    let time = 1000;
    const pacer = new RedrawPacer({ maxPerSecond: 10, budget: 0.1 }, () => time);
    expect(pacer.delay()).toBe(0);
    pacer.draw(() => (time += 2));
    expect(pacer.delay()).toBe(98);
    time += 50;
    expect(pacer.delay()).toBe(48);
    time += 100;
    expect(pacer.delay()).toBe(0);
  });

  it('waits ten times as long as a slow redraw took (a budget of a tenth)', () => {
    let time = 0;
    const pacer = new RedrawPacer({ maxPerSecond: 10, budget: 0.1 }, () => time);
    pacer.draw(() => (time += 40));
    // 400 ms from the start of the 40 ms redraw.
    expect(pacer.delay()).toBe(360);
    time += 360;
    pacer.draw(() => (time += 5));
    expect(pacer.delay()).toBe(95);
  });

  it('notes a redraw that throws', () => {
    let time = 0;
    const pacer = new RedrawPacer({ maxPerSecond: 10, budget: 0.1 }, () => time);
    expect(() =>
      pacer.draw(() => {
        time += 30;
        throw new Error('broken chart');
      }),
    ).toThrow('broken chart');
    expect(pacer.delay()).toBe(270);
  });
});

describe('frame updater', () => {
  it('redraws at most ten times a second however often progress arrives', () => {
    const clock = new FakeClock();
    let redraws = 0;
    const updater = frameUpdater(() => redraws++, clock, { maxPerSecond: 10, budget: 0.1 });
    // Progress every 5 ms for 3 seconds (200 a second).
    for (let t = 0; t < 3000; t += 5) {
      updater.request();
      clock.advance(5);
    }
    expect(redraws).toBeGreaterThanOrEqual(27);
    expect(redraws).toBeLessThanOrEqual(30);
  });

  it('redraws less often when redrawing is slow, keeping to its budget', () => {
    const clock = new FakeClock();
    let busy = 0;
    const updater = frameUpdater(
      () => {
        clock.time += 50; // a 50 ms redraw
        busy += 50;
      },
      clock,
      { maxPerSecond: 10, budget: 0.1 },
    );
    for (let t = 0; t < 10_000; t += 5) {
      updater.request();
      clock.advance(5);
    }
    // 50 ms every 500 ms or more: about 20 redraws in the 10 s (plus the time they took).
    expect(busy / clock.time).toBeLessThanOrEqual(0.1);
    expect(busy / clock.time).toBeGreaterThan(0.08);
  });

  it('draws the data of the last request: a request while one waits joins it', () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    let value = 0;
    const updater = frameUpdater(() => seen.push(value), clock, { maxPerSecond: 10, budget: 0.1 });
    updater.request();
    clock.advance(20);
    expect(seen).toEqual([0]);
    value = 1;
    updater.request();
    value = 2;
    updater.request();
    clock.advance(200);
    expect(seen).toEqual([0, 2]);
  });

  it('keeps in step with requests that come at its own pace: each is drawn on the next frame', () => {
    const clock = new FakeClock();
    const drawnAt: number[] = [];
    const updater = frameUpdater(() => drawnAt.push(clock.time), clock, { maxPerSecond: 5, budget: 0.05 });
    // The Train screen's numbers change every 200 ms (at 5, 205, 405, …, off the 16 ms frame grid)
    // and ask for a redraw each time. Counted from the redraw's frame, the pace would send every
    // other one to a frame of its own a few milliseconds later.
    const askedAt: number[] = [];
    clock.advance(5);
    for (let i = 0; i < 10; i++) {
      askedAt.push(clock.time);
      updater.request();
      clock.advance(200);
    }
    expect(drawnAt).toHaveLength(10);
    drawnAt.forEach((time, i) => {
      expect(time - askedAt[i]).toBeGreaterThanOrEqual(0);
      expect(time - askedAt[i]).toBeLessThanOrEqual(16);
    });
  });

  it('requestNow skips the wait; cancel drops a waiting redraw', () => {
    const clock = new FakeClock();
    let redraws = 0;
    const updater = frameUpdater(() => redraws++, clock, { maxPerSecond: 10, budget: 0.1 });
    updater.request();
    clock.advance(16);
    updater.request();
    updater.requestNow();
    clock.advance(16);
    expect(redraws).toBe(2);
    updater.request();
    updater.cancel();
    clock.advance(1000);
    expect(redraws).toBe(2);
  });
});
