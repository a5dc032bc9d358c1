/**
 * Where Chromium's threads went, from a trace (`browser.startTracing` / `stopTracing`): the self
 * time of each kind of event on each named thread of the page's renderer and the GPU process.
 * A V8 profile only sees script; paint, raster, compositing and the DevTools messages that stand in
 * for IPC here show up only in a trace.
 */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** Self time in ms by thread name, then by event name, largest first (events nest by time), with how many there were. */
export function summariseTrace(traceJson: string, top = 12): { seconds: number; threads: { thread: string; totalMs: number; events: [string, number, number][] }[] } {
  const parsed = JSON.parse(traceJson) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const summaries: { thread: string; totalMs: number; events: [string, number, number][] }[] = [];
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const self = new Map<string, number>();
    const count = new Map<string, number>();
    const stack: { end: number; name: string }[] = [];
    let totalMs = 0;
    for (const e of list) {
      const dur = e.dur ?? 0;
      while (stack.length > 0 && stack[stack.length - 1].end <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - dur / 1000);
      else totalMs += dur / 1000;
      self.set(e.name, (self.get(e.name) ?? 0) + dur / 1000);
      count.set(e.name, (count.get(e.name) ?? 0) + 1);
      stack.push({ end: e.ts + dur, name: e.name });
    }
    const sorted = [...self]
      .filter(([, ms]) => ms > 0.5)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]): [string, number, number] => [name, ms, count.get(name) ?? 0]);
    summaries.push({ thread: `${threadNames.get(key) ?? 'thread'} (${key})`, totalMs, events: sorted });
  }
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    if (e.ph !== 'X') continue;
    first = Math.min(first, e.ts);
    last = Math.max(last, e.ts + (e.dur ?? 0));
  }
  const seconds = last > first ? (last - first) / 1e6 : 0;
  return { seconds, threads: summaries.filter((s) => s.totalMs >= 20).sort((a, b) => b.totalMs - a.totalMs) };
}
