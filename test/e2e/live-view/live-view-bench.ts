/**
 * What the live view costs the engine: the app's default run (784-256-128-10, Adam, batch 64) on
 * the real MNIST, trained through the end-to-end harness (the built renderer in Debian's Chromium,
 * `window.lab` bridged to the real handlers, the real worker process on two threads, as the app on
 * a two-core machine) while the Data screen (no live view), the Train screen or the Weights screen
 * shows, in turns round after round; then the CLI on the same run. It reports each case's training
 * speed (the engine's own samples/s over the run's epochs, evaluation not counted), its ratio to the
 * Data screen's in the same round, and what the page's main thread did meanwhile (Chromium's own
 * counters: script, layout and style time, and the charts' redraws). A report, never a test: nothing
 * here fails on a timing.
 *
 *   npm run build && npm run -s bench:live-view -- [--rounds 3] [--epochs 2] [--json] [--no-cli]
 *   [--renderer dir]   serves another build of the renderer (to compare two builds, run by turns)
 *   [--profile]   also profiles the page's main thread during one Train and one Weights run and
 *                 prints where its time went (V8's CPU profiler, through the DevTools protocol)
 *   [--trace [train|weights]]  also traces Chromium during one Train and one Weights run (or
 *                 the one named) and prints each busy thread's time by kind of work (script,
 *                 paint, raster, the DevTools messages) and how many of each there were
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type { RunEvent } from '../../../src/shared/lab-api';
import { openAppPage } from '../app-page';
import { bridgeLabServices } from '../lab-services';
import type { EngineSupervisor } from '../../../src/node/engine-supervisor';
import { ROOT, requireBuiltAppAndBrowser } from '../e2e-env';
import type { LabBridge } from '../lab-bridge';
import { summariseProfile, type CpuProfile } from './cpu-profile-summary';
import { summariseTrace } from './trace-summary';
import { cpuByProcess } from './process-cpu';

const SCREENS = ['data', 'train', 'weights'] as const;
type Screen = (typeof SCREENS)[number];
const TAB_LABEL: Record<Screen, string> = { data: 'Data', train: 'Train', weights: 'Weights' };

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const rounds = option('rounds', 3);
const epochs = option('epochs', 2);
const json = process.argv.includes('--json');
const withCli = !process.argv.includes('--no-cli');
const profile = process.argv.includes('--profile');
const traceAt = process.argv.indexOf('--trace');
const trace = traceAt > 0;
const traceOnly = process.argv[traceAt + 1];
const traceScreens: Screen[] = traceOnly === 'train' || traceOnly === 'weights' ? [traceOnly] : ['train', 'weights'];
const rendererAt = process.argv.indexOf('--renderer');
const rendererDir = rendererAt > 0 ? process.argv[rendererAt + 1] : undefined;

/** One run as measured. */
interface Measured {
  case: Screen | 'cli';
  round: number;
  samplesPerSecond: number;
  /** Milliseconds of the page's main thread per second of the run, by kind (Chromium's counters). */
  pageMsPerSecond?: { task: number; script: number; layout: number; style: number };
  /** CPU seconds per second of the run: the harness (main's stand-in), Chromium's processes, the worker. */
  cpuPerSecond?: Record<string, number>;
  /** Progress events the page received per second of the run. */
  eventsPerSecond?: number;
  /** Redraws of the iteration chart per second of the run (Train screen only). */
  redrawsPerSecond?: number;
  /** Snapshots of the model the Weights screen fetched per second of the run. */
  snapshotsPerSecond?: number;
}

/** Training speed over a run's epochs: all samples over all training seconds. */
function speedOf(epochEvents: { seconds: number; samplesPerSecond: number }[]): { samplesPerSecond: number; seconds: number } {
  const seconds = epochEvents.reduce((sum, e) => sum + e.seconds, 0);
  const samples = epochEvents.reduce((sum, e) => sum + e.seconds * e.samplesPerSecond, 0);
  return { samplesPerSecond: samples / seconds, seconds };
}

async function pageMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

async function dataNumber(page: Page, testId: string, attribute: string): Promise<number> {
  const value = await page.getByTestId(testId).getAttribute(attribute, { timeout: 1000 }).catch(() => null);
  return Number(value ?? '0');
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function trainWithScreen(page: Page, bridge: LabBridge, cdp: CDPSession, screen: Screen, round: number): Promise<Measured> {
  const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
  await tab('Train');
  const from = bridge.events.length;
  await page.getByTestId('train').click();
  if (screen !== 'train') await tab(TAB_LABEL[screen]);
  await waitFor(() => bridge.events.slice(from).some((e) => e.type === 'started'), 'the run to start');
  const startedAt = performance.now();
  const cpuBefore = cpuByProcess();
  const before = await pageMetrics(cdp);
  const redrawsBefore = screen === 'train' ? await dataNumber(page, 'iteration-chart', 'data-redraws') : 0;
  const snapshotsBefore = screen === 'weights' ? await dataNumber(page, 'weights-source', 'data-snapshots') : 0;
  await waitFor(() => bridge.events.slice(from).some((e) => e.type === 'finished' || e.type === 'failed'), 'the run to finish');
  const after = await pageMetrics(cdp);
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const cpuAfter = cpuByProcess();
  const cpuPerSecond = Object.fromEntries([...cpuAfter].map(([name, seconds]) => [name, (seconds - (cpuBefore.get(name) ?? 0)) / wallSeconds]));
  const redrawsAfter = screen === 'train' ? await dataNumber(page, 'iteration-chart', 'data-redraws') : 0;
  const snapshots = screen === 'weights' ? (await dataNumber(page, 'weights-source', 'data-snapshots')) - snapshotsBefore : 0;
  await bridge.flushed();
  const events: RunEvent[] = bridge.events.slice(from);
  const failed = events.find((e) => e.type === 'failed');
  if (failed) throw new Error(`The run failed: ${JSON.stringify(failed)}`);
  const epochEvents = events.filter((e): e is Extract<RunEvent, { type: 'epoch' }> => e.type === 'epoch');
  const { samplesPerSecond } = speedOf(epochEvents);
  // The page works through evaluation too, so its rates are per second of the whole run.
  const perSecond = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / wallSeconds;
  return {
    case: screen,
    round,
    samplesPerSecond,
    pageMsPerSecond: { task: perSecond('TaskDuration'), script: perSecond('ScriptDuration'), layout: perSecond('LayoutDuration'), style: perSecond('RecalcStyleDuration') },
    cpuPerSecond,
    eventsPerSecond: events.filter((e) => e.type === 'progress').length / wallSeconds,
    ...(screen === 'train' ? { redrawsPerSecond: (redrawsAfter - redrawsBefore) / wallSeconds } : {}),
    ...(screen === 'weights' ? { snapshotsPerSecond: snapshots / wallSeconds } : {}),
  };
}

/** The same run in the CLI (`cli train --json`), on two threads like the app. */
function trainInCli(round: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', '--json', '--epochs', String(epochs), '--threads', '2'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cli train exited with ${code}`));
      const epochEvents = out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { type: string; seconds: number; samplesPerSecond: number })
        .filter((e) => e.type === 'epoch');
      resolve({ case: 'cli', round, samplesPerSecond: speedOf(epochEvents).samplesPerSecond });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  requireBuiltAppAndBrowser();
  const app = await openAppPage(rendererDir);
  const { page } = app;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-live-view-bench-'));
  let engine: EngineSupervisor | null = null;
  try {
    const services = await bridgeLabServices(app, { scratch, threads: 2 });
    engine = services.engine;
    const { bridge } = services;
    await page.goto(app.url);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.getByRole('button', { name: 'Default' }).click();
    await page.getByLabel('Epochs').fill(String(epochs));
    await page.getByTestId('train').waitFor({ state: 'visible' });
    while (!(await page.getByTestId('train').isEnabled())) await new Promise((resolve) => setTimeout(resolve, 100));

    // A first run warms the worker's kernels (V8 recompiles the hot WebAssembly) and is not counted.
    await trainWithScreen(page, bridge, cdp, 'data', 0);
    if (profile) {
      for (const screen of ['train', 'weights'] as const) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
        await trainWithScreen(page, bridge, cdp, screen, 0);
        const { profile: taken } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
        const { functions, files, totalMs } = summariseProfile(taken);
        console.error(`\nWhere the page's main thread went with the ${screen} screen showing (${Math.round(totalMs)} ms profiled), self time:`);
        for (const [name, ms] of functions) console.error(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
        console.error('  by file:');
        for (const [name, ms] of files) console.error(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
      }
    }

    if (trace) {
      const browser = page.context().browser();
      if (browser === null) throw new Error('--trace needs the browser the page runs in.');
      for (const screen of traceScreens) {
        await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'cc', 'gpu', 'viz', 'blink', 'v8'] });
        const measured = await trainWithScreen(page, bridge, cdp, screen, 0);
        const seconds = measured.samplesPerSecond > 0 ? (epochs * 60_000) / measured.samplesPerSecond : 1;
        const summary = summariseTrace((await browser.stopTracing()).toString('utf8'));
        console.error(
          `\nChromium's threads with the ${screen} screen showing (${summary.seconds.toFixed(1)} s traced, about ${seconds.toFixed(1)} s of them training), self time:`,
        );
        for (const s of summary.threads) {
          console.error(`  ${s.thread}: ${Math.round(s.totalMs)} ms`);
          for (const [name, ms, times] of s.events) console.error(`    ${ms.toFixed(0).padStart(6)} ms  ${String(times).padStart(5)}×  ${name}`);
        }
      }
    }

    const results: Measured[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Each round starts with a different case, so a slow patch of the machine is shared out.
      const order = SCREENS.map((_, i) => SCREENS[(i + round - 1) % SCREENS.length]);
      for (const screen of order) {
        const measured = await trainWithScreen(page, bridge, cdp, screen, round);
        results.push(measured);
        if (!json) console.error(`round ${round} ${screen}: ${Math.round(measured.samplesPerSecond)} samples/s`);
      }
      if (withCli) {
        const measured = await trainInCli(round);
        results.push(measured);
        if (!json) console.error(`round ${round} cli: ${Math.round(measured.samplesPerSecond)} samples/s`);
      }
    }
    report(results);
    if (app.problems.length > 0) console.error(`The page reported problems:\n${app.problems.join('\n')}`);
  } finally {
    engine?.dispose();
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function report(results: Measured[]): void {
  const cases = [...SCREENS, ...(withCli ? (['cli'] as const) : [])];
  const byCase = (name: string) => results.filter((r) => r.case === name);
  const ratioTo = (name: string, base: Screen | 'cli') =>
    results
      .filter((r) => r.case === name)
      .map((r) => r.samplesPerSecond / (results.find((b) => b.case === base && b.round === r.round)?.samplesPerSecond ?? Number.NaN));
  const summary = cases.map((name) => {
    const runs = byCase(name);
    const mean = (pick: (r: Measured) => number | undefined) => {
      const values = runs.map(pick).filter((v): v is number => v !== undefined);
      return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
    };
    return {
      case: name,
      samplesPerSecond: runs.map((r) => Math.round(r.samplesPerSecond)),
      medianSamplesPerSecond: Math.round(median(runs.map((r) => r.samplesPerSecond))),
      ratioToData: ratioTo(name, 'data').map((v) => Number(v.toFixed(3))),
      medianRatioToData: Number(median(ratioTo(name, 'data')).toFixed(3)),
      ...(withCli ? { medianRatioToCli: Number(median(ratioTo(name, 'cli')).toFixed(3)) } : {}),
      pageTaskMsPerSecond: round1(mean((r) => r.pageMsPerSecond?.task)),
      pageScriptMsPerSecond: round1(mean((r) => r.pageMsPerSecond?.script)),
      pageLayoutStyleMsPerSecond: round1(mean((r) => (r.pageMsPerSecond ? r.pageMsPerSecond.layout + r.pageMsPerSecond.style : undefined))),
      cpuPerSecond: cpuSummary(runs),
      progressEventsPerSecond: round1(mean((r) => r.eventsPerSecond)),
      redrawsPerSecond: round1(mean((r) => r.redrawsPerSecond)),
      snapshotsPerSecond: round1(mean((r) => r.snapshotsPerSecond)),
    };
  });
  if (json) {
    console.log(JSON.stringify({ type: 'live-view', epochs, rounds, cases: summary }));
    return;
  }
  console.log(`\nDefault run, ${epochs} epochs, ${rounds} rounds (median; ratios within a round):`);
  for (const s of summary) {
    const parts = [
      `${s.case.padEnd(8)} ${String(s.medianSamplesPerSecond).padStart(7)} samples/s`,
      `×${s.medianRatioToData.toFixed(2)} of Data`,
      ...(s.medianRatioToCli !== undefined ? [`×${s.medianRatioToCli.toFixed(2)} of CLI`] : []),
      ...(s.pageTaskMsPerSecond !== undefined ? [`page busy ${s.pageTaskMsPerSecond} ms/s (script ${s.pageScriptMsPerSecond}, layout+style ${s.pageLayoutStyleMsPerSecond})`] : []),
      ...(s.cpuPerSecond !== undefined ? [`CPU s/s ${Object.entries(s.cpuPerSecond).map(([name, value]) => `${name} ${value}`).join(', ')}`] : []),
      ...(s.progressEventsPerSecond !== undefined ? [`${s.progressEventsPerSecond} events/s`] : []),
      ...(s.redrawsPerSecond !== undefined ? [`${s.redrawsPerSecond} redraws/s`] : []),
      ...(s.snapshotsPerSecond !== undefined ? [`${s.snapshotsPerSecond} snapshots/s`] : []),
    ];
    console.log(parts.join(' · '));
  }
}

/** Mean CPU seconds per second of each process group over the runs, to two places. */
function cpuSummary(runs: Measured[]): Record<string, number> | undefined {
  const measured = runs.map((r) => r.cpuPerSecond).filter((c): c is Record<string, number> => c !== undefined);
  if (measured.length === 0) return undefined;
  const names = [...new Set(measured.flatMap((c) => Object.keys(c)))];
  return Object.fromEntries(names.map((name) => [name, Math.round((measured.reduce((sum, c) => sum + (c[name] ?? 0), 0) / measured.length) * 100) / 100]));
}

function round1(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 10) / 10;
}

await main();
