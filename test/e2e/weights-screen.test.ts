/**
 * The Weights screen for a class, end to end in real Chromium with the real handlers and worker
 * training on MNIST: a report of how smoothly the screen draws while a run trains (frames over
 * 50 ms, never a timed assertion), and how fast the run goes with Weights showing versus Data.
 *
 * Needs `npm run build` first (`npm test` does it). Screenshots go to test-output/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../src/main/datasets';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { createLabHandlers } from '../../src/main/handlers/ipc-handlers';
import { createModelStore } from '../../src/main/model-store';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openAppPage, type AppPage } from './app-page';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { SCREENSHOTS, WORKER_PATH, requireBuiltAppAndBrowser } from './e2e-env';
import { describeFrames, startFrameWatch, stopFrameWatch } from './frame-watch';

requireBuiltAppAndBrowser();

describe('Weights screen for a class, in Chromium with the real handlers and worker', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-weights-'));
  /** When each progress event arrived, to measure the run's speed. */
  const progress: { at: number; iteration: number; epoch: number }[] = [];

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;
    engine = createEngineSupervisor({
      fork: () => forkNodeWorker(WORKER_PATH),
      emit: (event) => {
        if (event.type === 'progress') progress.push({ at: performance.now(), iteration: event.latest.iteration, epoch: event.latest.epoch });
        bridge.deliver(event);
      },
    });
    const datasets = createDatasetsService({ builtInDir: defaultMnistDir(), load: loadDatasetFolder, chooseFolder: async () => null });
    const handlers = createLabHandlers({
      appPageUrl: app.url,
      datasets,
      engine,
      insight: {
        engine,
        images: (id) => datasets.images(id),
        models: createModelStore({ dir: join(scratch, 'models') }),
        dialogs: { chooseExportPath: async () => null, chooseOnnxExportPath: async () => null, chooseImportPath: async () => null },
      },
    });
    bridge = await installLabBridge(page, handlers, (message) => app.problems.push(message));
    await page.goto(app.url);
  });

  afterEach(() => {
    expect(app.problems).toEqual([]);
  });

  afterAll(async () => {
    engine?.dispose();
    await app?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
  const phase = () => page.getByTestId('status').getAttribute('data-phase');
  /**
   * Iterations a second over `ms` with `screen` showing, from the progress events that arrived;
   * the test-set evaluation at an epoch's end is left out (it runs whatever the screen).
   */
  async function speedWith(screen: string, ms: number): Promise<number> {
    await tab(screen);
    await page.waitForTimeout(500);
    const from = progress.length;
    await page.waitForTimeout(ms);
    let [iterations, seconds] = [0, 0];
    for (let i = Math.max(1, from); i < progress.length; i++) {
      if (progress[i].epoch !== progress[i - 1].epoch) continue;
      iterations += progress[i].iteration - progress[i - 1].iteration;
      seconds += (progress[i].at - progress[i - 1].at) / 1000;
    }
    return seconds > 0 ? iterations / seconds : 0;
  }

  it('reports long frames and training speed with Weights showing while the default run trains (a report, not a timed test)', async () => {
    await expect.poll(() => page.locator('#dataset-note').textContent()).toMatch(/60,000 training/);
    await tab('Train');
    await page.getByLabel('Epochs').fill('50');
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    await tab('Weights');
    await expect.poll(() => page.getByTestId('first-layer-tiles').getAttribute('data-units'), { timeout: 10_000 }).toBe('256');
    if (process.env.WEIGHTS_PROFILE) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
      await page.waitForTimeout(6000);
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const dt = new Map<number, number>();
      profile.samples?.forEach((id, k) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[k] ?? 0)));
      for (const node of profile.nodes) {
        const key = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
      }
      console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0)} ms ${k}`).join('\n'));
    }
    for (const [width, height] of [[1024, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(1000);
      await startFrameWatch(page);
      await page.waitForTimeout(5000);
      const frames = await stopFrameWatch(page);
      console.log(describeFrames(`Weights showing at ${width}x${height}, 784-256-128-10 training`, frames));
      expect(frames.frames).toBeGreaterThan(0);
      await page.screenshot({ path: join(SCREENSHOTS, `weights-live-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    const speeds: Record<string, number[]> = { Weights: [], Data: [] };
    for (let round = 0; round < 3; round++) {
      for (const screen of ['Data', 'Weights'] as const) speeds[screen].push(await speedWith(screen, 4000));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `Training speed: Data showing ${mean(speeds.Data).toFixed(0)} it/s (${speeds.Data.map((s) => s.toFixed(0)).join(', ')}), ` +
        `Weights showing ${mean(speeds.Weights).toFixed(0)} it/s (${speeds.Weights.map((s) => s.toFixed(0)).join(', ')}), ` +
        `ratio ${((100 * mean(speeds.Weights)) / mean(speeds.Data)).toFixed(0)} %`,
    );
    expect(mean(speeds.Data)).toBeGreaterThan(0);
    await tab('Train');
    await page.getByTestId('stop').click();
    await expect.poll(phase, { timeout: 10_000 }).toBe('stopped');
  });
});
