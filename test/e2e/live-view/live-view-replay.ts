/**
 * What each screen costs Chromium while a run streams in, measured without the engine competing:
 * the app's default run (784-256-128-10, Adam, batch 64) trains once on the real MNIST through the
 * end-to-end harness with the Data screen showing, its events recorded with their times; then those
 * events are replayed into the page at the same times, with the Data, Train or Weights screen
 * showing, in turns, and the CPU time of Chromium's processes is read from /proc. With no engine
 * training beside it, the machine's load moves these figures far less than it moves training
 * speeds (live-view-bench.ts), so two builds of the renderer can be compared on a busy machine.
 * A report, never a test.
 *
 *   npm run build && npm run -s bench:live-view-replay -- [--rounds 5] [--renderer dir]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../../src/shared/lab-api';
import { openAppPage } from '../app-page';
import { bridgeLabServices } from '../lab-services';
import type { EngineSupervisor } from '../../../src/node/engine-supervisor';
import { requireBuiltAppAndBrowser } from '../e2e-env';
import type { LabBridge } from '../lab-bridge';
import { cpuByProcess } from './process-cpu';

const SCREENS = ['Data', 'Train', 'Weights'] as const;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}
const rounds = Number(option('rounds', '5'));
const rendererDir = option('renderer', '') || undefined;

/** CPU-seconds a second over one replay: Chromium's processes, its renderer, and this process (main's stand-in). */
interface Measured {
  chromium: number;
  renderer: number;
  harness: number;
  seconds: number;
}

/** One event of the recorded run, at its time from the run's start (ms). */
interface Timed {
  at: number;
  event: RunEvent;
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Replays the run's events up to its end into the page as run `runId`; Chromium's CPU-s per second. */
async function replay(page: Page, bridge: LabBridge, recorded: Timed[], screen: string, runId: number): Promise<Measured> {
  await page.getByRole('tab', { name: screen, exact: true }).click();
  const before = cpuByProcess();
  const start = performance.now();
  for (const { at, event } of recorded) {
    if (event.type === 'finished') break;
    const wait = at - (performance.now() - start);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    bridge.deliver({ ...event, runId } as RunEvent);
  }
  await bridge.flushed();
  const seconds = (performance.now() - start) / 1000;
  const after = cpuByProcess();
  const used = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  const chromium = [...after.keys()].filter((name) => name.startsWith('chromium')).reduce((sum, name) => sum + used(name), 0);
  // The replayed run ends (stopped), so the next starts from an idle screen.
  bridge.deliver({ type: 'finished', runId, reason: 'stopped', testAccuracy: null } as RunEvent);
  await bridge.flushed();
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { chromium: chromium / seconds, renderer: used('chromium renderer') / seconds, harness: used('harness') / seconds, seconds };
}

async function main(): Promise<void> {
  requireBuiltAppAndBrowser();
  const app = await openAppPage(rendererDir);
  const { page } = app;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-live-view-replay-'));
  const recorded: Timed[] = [];
  let startedAt = 0;
  let engine: EngineSupervisor | null = null;
  try {
    const services = await bridgeLabServices(app, { scratch, threads: 2, onEvent: (event) => recorded.push({ at: performance.now() - startedAt, event }) });
    engine = services.engine;
    const { bridge } = services;
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Default' }).click();
    await page.getByLabel('Epochs').fill('2');
    while (!(await page.getByTestId('train').isEnabled())) await new Promise((resolve) => setTimeout(resolve, 100));

    // The recorded run: trained for real with the Data screen showing; its model stays in the
    // engine, so the Weights screen fetches real snapshots during the replays.
    await page.getByTestId('train').click();
    startedAt = performance.now();
    await page.getByRole('tab', { name: 'Data', exact: true }).click();
    await waitFor(() => recorded.some((r) => r.event.type === 'finished' || r.event.type === 'failed'), 'the recorded run to end');
    const failed = recorded.find((r) => r.event.type === 'failed');
    if (failed) throw new Error(`The run failed: ${JSON.stringify(failed.event)}`);
    const firstAt = recorded[0].at;
    const run = recorded.map(({ at, event }) => ({ at: at - firstAt, event }));
    const progress = run.filter((r) => r.event.type === 'progress').length;
    console.error(`Recorded ${run.length} events (${progress} progress) over ${(run.at(-1)!.at / 1000).toFixed(1)} s.`);

    const results = new Map<string, Measured[]>();
    for (let round = 1; round <= rounds; round++) {
      for (let i = 0; i < SCREENS.length; i++) {
        const screen = SCREENS[(i + round - 1) % SCREENS.length];
        const measured = await replay(page, bridge, run, screen, 1_000_000 + round * 10 + i);
        results.set(screen, [...(results.get(screen) ?? []), measured]);
        console.error(
          `round ${round} ${screen}: Chromium ${measured.chromium.toFixed(3)} CPU-s/s (renderer ${measured.renderer.toFixed(3)}), harness ${measured.harness.toFixed(3)}, over ${measured.seconds.toFixed(1)} s`,
        );
      }
    }
    console.log(`\nChromium's CPU while the default run's events stream in (median of ${rounds}; CPU-seconds a second):`);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    for (const screen of SCREENS) {
      const runs = results.get(screen) ?? [];
      const of = (pick: (r: Measured) => number) => median(runs.map(pick)).toFixed(3);
      console.log(`${screen.padEnd(8)} Chromium ${of((r) => r.chromium)} · renderer ${of((r) => r.renderer)} · harness ${of((r) => r.harness)}`);
    }
    if (app.problems.length > 0) console.error(`The page reported problems:\n${app.problems.join('\n')}`);
  } finally {
    engine?.dispose();
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
