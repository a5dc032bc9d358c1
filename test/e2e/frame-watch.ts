/**
 * Watches how smoothly a page draws: the gaps between animation frames (a gap is how long the page
 * could not paint) and Chromium's long tasks (main-thread work over 50 ms). A report for people,
 * never a timed assertion: a crowded test machine makes any one figure noisy.
 *
 * A long task is split into the app's own work — the User Timing measures the renderer names
 * `mlp-lab:…` (src/renderer/src/ui/user-timing.ts) that fall inside it — and the rest: in this
 * harness mostly Playwright handing a binding's answer to the page (JSON through the DevTools
 * protocol, decoded in the page), which Electron's IPC does not cost; also garbage collection.
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
  /** The app's own measured work (mlp-lab:… measures): the longest one, and per name the longest. */
  longestAppWorkMs: number;
  appWork: Record<string, { count: number; longestMs: number }>;
  /** Per long task, its time outside the app's measures: the longest such remainder. */
  longestOutsideAppMs: number;
}

interface Span {
  name: string;
  start: number;
  duration: number;
}

interface Watch {
  gaps: number[];
  tasks: Span[];
  measures: Span[];
  started: number;
  stop(): void;
}

/** Starts watching; `stopFrameWatch` ends it and reports. */
export async function startFrameWatch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const watch: Watch = { gaps: [], tasks: [], measures: [], started: performance.now(), stop: () => undefined };
    let last = performance.now();
    let running = true;
    const tick = (now: number): void => {
      watch.gaps.push(now - last);
      last = now;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const span = { name: entry.name, start: entry.startTime, duration: entry.duration };
        if (entry.entryType === 'longtask') watch.tasks.push(span);
        else if (entry.name.startsWith('mlp-lab:')) watch.measures.push(span);
      }
    });
    observer.observe({ entryTypes: ['longtask', 'measure'] });
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
    const appWork: Record<string, { count: number; longestMs: number }> = {};
    for (const m of watch.measures) {
      const name = m.name.slice('mlp-lab:'.length);
      const seen = appWork[name] ?? { count: 0, longestMs: 0 };
      appWork[name] = { count: seen.count + 1, longestMs: Math.max(seen.longestMs, Math.round(m.duration)) };
    }
    // Measures nest (a snapshot's update contains its histograms): count only outermost time.
    const inside = (task: Span): number => {
      const spans = watch.measures
        .filter((m) => m.start >= task.start && m.start + m.duration <= task.start + task.duration + 1)
        .sort((a, b) => a.start - b.start);
      let [covered, reach] = [0, -Infinity];
      for (const m of spans) {
        const end = m.start + m.duration;
        if (end <= reach) continue;
        covered += end - Math.max(m.start, reach);
        reach = end;
      }
      return covered;
    };
    return {
      seconds: (performance.now() - watch.started) / 1000,
      frames: watch.gaps.length,
      longestFrameMs: Math.round(Math.max(0, ...watch.gaps)),
      framesOver50: watch.gaps.filter((gap) => gap > 50).length,
      longTasks: watch.tasks.length,
      longestTaskMs: Math.round(Math.max(0, ...watch.tasks.map((t) => t.duration))),
      longestAppWorkMs: Math.round(Math.max(0, ...watch.measures.map((m) => m.duration))),
      appWork,
      longestOutsideAppMs: Math.round(Math.max(0, ...watch.tasks.map((t) => t.duration - inside(t)))),
    };
  });
}

/** One line of a report. */
export function describeFrames(label: string, r: FrameReport): string {
  const work = Object.entries(r.appWork)
    .map(([name, w]) => `${name} ${w.count}× ≤${w.longestMs} ms`)
    .join(', ');
  return (
    `${label}: ${r.frames} frames in ${r.seconds.toFixed(1)} s, longest ${r.longestFrameMs} ms, ${r.framesOver50} over 50 ms; ` +
    `${r.longTasks} long tasks (longest ${r.longestTaskMs} ms, of which outside the app's measured work at most ${r.longestOutsideAppMs} ms); ` +
    `app's own work longest ${r.longestAppWorkMs} ms (${work || 'none'})`
  );
}
