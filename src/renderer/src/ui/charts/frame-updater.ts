/**
 * Coalesces update requests into paced redraws: progress may arrive many times a redraw's worth,
 * but a chart redraws on an animation frame (when the screen can show it), at the pace a
 * RedrawPacer allows. A request that comes while a redraw is waiting joins it.
 */
import { LIVE_CHART_PACE, RedrawPacer, type RedrawPace } from './redraw-pacer';

export interface FrameUpdater {
  /** Redraw when the pace allows. */
  request(): void;
  /** Redraw on the next frame, whatever the pace (the chart was just built or changed shape). */
  requestNow(): void;
  cancel(): void;
}

/** What the updater waits on: the browser's timers and animation frames (live-chart), or a test's. */
export interface FrameClock {
  now(): number;
  setTimer(callback: () => void, ms: number): number;
  clearTimer(id: number): void;
  frame(callback: () => void): number;
  cancelFrame(id: number): void;
}

/** The browser's animation frames, reached through globalThis so this file needs no DOM types. */
interface AnimationFrames {
  requestAnimationFrame(callback: () => void): number;
  cancelAnimationFrame(id: number): void;
}

const browserClock: FrameClock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms) as unknown as number,
  clearTimer: (id) => clearTimeout(id),
  frame: (callback) => (globalThis as unknown as AnimationFrames).requestAnimationFrame(callback),
  cancelFrame: (id) => (globalThis as unknown as AnimationFrames).cancelAnimationFrame(id),
};

export function frameUpdater(update: () => void, clock: FrameClock = browserClock, pace: RedrawPace = LIVE_CHART_PACE): FrameUpdater {
  const pacer = new RedrawPacer(pace, clock.now);
  let timer: number | null = null;
  let frame: number | null = null;
  let askedAt = 0;

  const onFrame = (): void => {
    frame = null;
    pacer.draw(update, askedAt);
  };
  const toFrame = (): void => {
    timer = null;
    if (frame !== null) return;
    askedAt = clock.now();
    frame = clock.frame(onFrame);
  };
  const cancel = (): void => {
    if (timer !== null) clock.clearTimer(timer);
    if (frame !== null) clock.cancelFrame(frame);
    timer = null;
    frame = null;
  };

  return {
    request() {
      if (timer !== null || frame !== null) return;
      const wait = pacer.delay();
      if (wait > 0) timer = clock.setTimer(toFrame, wait);
      else toFrame();
    },
    requestNow() {
      if (timer !== null) clock.clearTimer(timer);
      toFrame();
    },
    cancel,
  };
}
