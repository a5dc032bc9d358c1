/**
 * Watches how smoothly a page draws: the gaps between animation frames (a gap is how long the page
 * could not paint) and Chromium's long tasks (main-thread work over 50 ms). A report for people,
 * never a timed assertion: a crowded test machine makes any one figure noisy.
 */
import type { Page } from 'playwright-core';

export interface FrameReport {
  /** Seconds watched. */
  seconds: number;
  frames: number;
  /** The longest time between two animation frames, in ms. */
  longestFrameMs: number;
  /** Frames that took longer than 50 ms. */
  framesOver50: number;
  /** Long tasks Chromium reported (main-thread work over 50 ms), and the longest. */
  longTasks: number;
  longestTaskMs: number;
}

interface Watch {
  gaps: number[];
  tasks: number[];
  started: number;
  stop(): void;
}

/** Starts watching; `stopFrameWatch` ends it and reports. */
export async function startFrameWatch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const watch: Watch = { gaps: [], tasks: [], started: performance.now(), stop: () => undefined };
    let last = performance.now();
    let running = true;
    const tick = (now: number): void => {
      watch.gaps.push(now - last);
      last = now;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) watch.tasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    watch.stop = () => {
      running = false;
      observer.disconnect();
    };
    (window as unknown as { __frameWatch: Watch }).__frameWatch = watch;
  });
}

export async function stopFrameWatch(page: Page): Promise<FrameReport> {
  return page.evaluate(() => {
    const watch = (window as unknown as { __frameWatch: Watch }).__frameWatch;
    watch.stop();
    return {
      seconds: (performance.now() - watch.started) / 1000,
      frames: watch.gaps.length,
      longestFrameMs: Math.round(Math.max(0, ...watch.gaps)),
      framesOver50: watch.gaps.filter((gap) => gap > 50).length,
      longTasks: watch.tasks.length,
      longestTaskMs: Math.round(Math.max(0, ...watch.tasks)),
    };
  });
}

/** One line of a report. */
export function describeFrames(label: string, r: FrameReport): string {
  return `${label}: ${r.frames} frames in ${r.seconds.toFixed(1)} s, longest ${r.longestFrameMs} ms, ${r.framesOver50} over 50 ms; ${r.longTasks} long tasks (longest ${r.longestTaskMs} ms)`;
}
