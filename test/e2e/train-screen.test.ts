/**
 * The Train screen end to end, in real Chromium: the built renderer (out/renderer) is served on
 * 127.0.0.1, `window.lab` is bridged to the real main-side handlers, datasets service and engine
 * supervisor, and the supervisor forks the real built worker (out/main/worker.js) under Node, which
 * trains on the real MNIST: the ready screen, invalid settings explained inline, a bad dataset
 * folder refused, a run that pauses, resumes and stops, a crashed engine, a diverging run, the dark
 * theme and the keyboard. Any console error, page error, CSP violation, failed request or HTTP
 * error fails the test.
 *
 * Needs `npm run build` first (`npm test` does it in `pretest`). Screenshots go to test-output/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../src/main/datasets';
import { createEngineSupervisor, type EngineSupervisor, type WorkerHandle } from '../../src/node/engine-supervisor';
import { createLabHandlers } from '../../src/main/handlers/ipc-handlers';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import { openAppPage, type AppPage } from './app-page';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { SCREENSHOTS, WORKER_PATH, requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

describe('Train screen in Chromium, bridged to the real handlers and worker', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  const workers: WorkerHandle[] = [];
  let nextFolder: string | null = null;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-'));

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;

    engine = createEngineSupervisor({
      fork: () => {
        const worker = forkNodeWorker(WORKER_PATH);
        workers.push(worker);
        return worker;
      },
      emit: (event) => bridge.deliver(event),
      threads: 2, // as the app asks on a machine with two cores
    });
    const datasets = createDatasetsService({
      builtInDir: defaultMnistDir(),
      load: loadDatasetFolder,
      chooseFolder: async () => nextFolder,
    });
    const handlers = createLabHandlers({ appPageUrl: app.url, datasets, engine });
    bridge = await installLabBridge(page, handlers, (message) => app.problems.push(message));
    await page.goto(app.url);
  });

  afterAll(async () => {
    engine?.dispose();
    await app?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const status = () => page.getByTestId('status');
  const phase = () => status().getAttribute('data-phase');
  const points = async (chart: 'iteration-chart' | 'epoch-chart') =>
    Number((await page.getByTestId(chart).getAttribute('data-points')) ?? '0');
  /** Charts redraw on an animation frame at a pace: once none waits for its turn, they show every event delivered. */
  const chartsRedrawn = () => page.waitForFunction(() => document.querySelectorAll('canvas[data-redraw-pending="true"]').length === 0);
  /** What a chart has drawn, read in one go: its point count and its pixels. */
  const drawn = (chart: 'iteration-chart' | 'epoch-chart') =>
    page.getByTestId(chart).evaluate((canvas) => ({
      points: Number((canvas as HTMLCanvasElement).dataset['points'] ?? '0'),
      pixels: (canvas as HTMLCanvasElement).toDataURL(),
    }));
  const progressValue = async () => Number(await page.getByTestId('progress-bar').evaluate((bar) => (bar as HTMLProgressElement).value));
  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

  /** One hidden layer of 32 units: a quick run; small batches make it long enough to pause. */
  async function configureSmallRun(epochs: number, batchSize: number): Promise<void> {
    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill('32');
    await page.getByLabel('Epochs').fill(String(epochs));
    await page.getByLabel('Batch size').fill(String(batchSize));
    await expect.poll(() => page.locator('.summary').textContent()).toContain('784 → 32 → 10');
  }

  it('shows the built-in MNIST and the default preset, with no console errors', async () => {
    await expect.poll(() => page.locator('#dataset-note').textContent()).toMatch(/60,000 training and 10,000 test images of 28×28/);
    await expect.poll(() => page.getByRole('button', { name: 'Default' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('train').isEnabled()).toBe(true);
    expect(await phase()).toBe('idle');
    await screenshot('1-ready-1280x800');
  });

  it('explains invalid values inline and disables Train until they are fixed', async () => {
    await page.getByLabel('Learning rate η').fill('0');
    await page.getByLabel('Batch size').fill('');
    await expect.poll(() => page.locator('#learning-rate-note').textContent()).toContain('Learning rate must be a number above 0');
    await expect.poll(() => page.locator('#batch-size-note').textContent()).toContain('the box is empty');
    await page.getByLabel('Hidden 1').fill('0');
    await expect.poll(() => page.locator('#layers-note').textContent()).toContain('Hidden layer 1 width must be a whole number from 1 to 4096; got 0.');
    expect(await page.getByTestId('train').isDisabled()).toBe(true);
    expect(await page.getByTestId('train-blocked').textContent()).toContain('Fix 3 highlighted settings to train.');
    await screenshot('2-invalid-1280x800');

    await page.getByRole('button', { name: 'Default' }).click();
    await expect.poll(() => page.getByTestId('train').isEnabled()).toBe(true);
    expect(await page.locator('.field.invalid').count()).toBe(0);
  });

  it('refuses a bad dataset folder with a message naming the file and problem', async () => {
    const bad = join(scratch, 'not-mnist');
    mkdirSync(bad);
    writeFileSync(join(bad, 'train-images-idx3-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 0]));
    nextFolder = bad;
    await page.getByRole('button', { name: 'Open dataset folder…' }).click();
    await expect.poll(() => page.locator('#dataset-note').textContent()).toContain(bad);
    expect(await page.locator('#dataset-note').textContent()).toMatch(/missing 3 of the 4 dataset files:\s+training labels/);
    // The built-in set stays selected and usable.
    expect(await page.locator('#dataset').inputValue()).toBe('mnist');
    await screenshot('3-bad-folder-1280x800');
  });

  it('trains on MNIST: the progress bar and both charts move; pause holds, resume goes on, stop keeps the curves', async () => {
    // 1000 epochs (the most a run may have): a run that could end before Stop is clicked would not
    // test Stop, and this network trains 20 epochs of batch 8 in seconds on a quiet machine.
    await configureSmallRun(1000, 8);
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    await expect.poll(() => points('iteration-chart'), { timeout: 30_000 }).toBeGreaterThan(50);

    const firstProgress = await progressValue();
    const first = await drawn('iteration-chart');
    await expect.poll(async () => (await drawn('iteration-chart')).points, { timeout: 30_000 }).toBeGreaterThan(first.points + 100);
    await expect.poll(progressValue).toBeGreaterThan(firstProgress);
    expect((await drawn('iteration-chart')).pixels).not.toBe(first.pixels);
    await expect.poll(() => page.getByTestId('speed').textContent()).toMatch(/^[\d,]+$/);
    // Batch 8 is too small to split between threads: the run says nothing about threads.
    expect(await page.getByTestId('speed-label').textContent()).toBe('Samples/s');
    await expect.poll(() => page.getByTestId('eta').textContent()).toMatch(/\d+ (s|min)/);
    // Which epoch depends on the machine's speed (this network ends one in about a second).
    await expect.poll(() => page.getByTestId('epoch').textContent()).toMatch(/^\d{1,3} of 1000$/);

    await page.getByTestId('pause').click();
    await expect.poll(phase, { timeout: 5_000 }).toBe('paused');
    await bridge.flushed();
    await chartsRedrawn();
    const pausedAt = await points('iteration-chart');
    const pausedProgress = await progressValue();
    await page.waitForTimeout(600);
    await bridge.flushed();
    await chartsRedrawn();
    expect(await points('iteration-chart')).toBe(pausedAt);
    expect(await progressValue()).toBe(pausedProgress);
    await screenshot('4-paused-1280x800');

    await page.getByTestId('resume').click();
    await expect.poll(phase).toBe('running');
    await expect.poll(() => points('iteration-chart'), { timeout: 30_000 }).toBeGreaterThan(pausedAt);
    await expect.poll(() => points('epoch-chart'), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('test-accuracy').textContent()).toMatch(/^\d+\.\d %$/);
    await screenshot('5-training-1280x800');
    await page.setViewportSize({ width: 1024, height: 640 });
    await screenshot('5-training-1024x640');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByTestId('stop').click();
    await expect.poll(phase, { timeout: 10_000 }).toBe('stopped');
    await expect.poll(() => status().textContent()).toMatch(/Stopped at iteration \d+; the curves so far are kept\./);
    expect(await points('iteration-chart')).toBeGreaterThan(pausedAt);
    expect(await page.getByTestId('train').isEnabled()).toBe(true);
    await screenshot('6-stopped-1280x800');
  });

  it('a crashed engine is reported with a "Start again" that starts a fresh worker', async () => {
    // 3 epochs, so that the run is still going when its worker is killed.
    await configureSmallRun(3, 32);
    await page.getByTestId('train').click();
    await expect.poll(() => points('iteration-chart'), { timeout: 30_000 }).toBeGreaterThan(10);
    // Batch 32 is split: the engine process runs a helper thread, and the stats say so.
    await expect.poll(() => page.getByTestId('speed-label').textContent(), { timeout: 30_000 }).toBe('Samples/s · 2 threads');
    workers.at(-1)?.kill();
    await expect.poll(phase, { timeout: 10_000 }).toBe('crashed');
    await expect.poll(() => status().textContent()).toMatch(/engine stopped unexpectedly/);
    await screenshot('7-crashed-1280x800');

    const workersBefore = workers.length;
    await page.getByTestId('start-again').click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    expect(workers.length).toBe(workersBefore + 1);
    await expect.poll(phase, { timeout: 90_000 }).toBe('completed');
    await expect.poll(() => status().textContent()).toMatch(/Finished: test accuracy \d+\.\d\d % after 3 epochs\./);
    await screenshot('8-finished-1280x800');
  });

  it('a run that diverges says so plainly, with the engine\'s reason and advice, and keeps its curves', async () => {
    await configureSmallRun(1, 32);
    await page.getByLabel('Optimiser').selectOption('sgd');
    await page.getByLabel('Learning rate η').fill('100000');
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('diverged');
    const text = (await status().textContent()) ?? '';
    expect(text).toMatch(/Training diverged: the loss exploded/);
    expect(text).toMatch(/learning rate \(100000\) is probably too high/);
    await chartsRedrawn();
    expect(await points('iteration-chart')).toBeGreaterThan(0);
    await screenshot('8b-diverged-1280x800');
    await page.getByRole('button', { name: 'Default' }).click();
  });

  it('switches to the dark theme and keeps it readable', async () => {
    await page.getByRole('button', { name: 'Dark' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await screenshot('9-dark-1280x800');
    await page.setViewportSize({ width: 1024, height: 640 });
    await screenshot('9-dark-1024x640');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('can be driven from the keyboard, with a visible focus ring', async () => {
    await page.getByRole('button', { name: 'Auto' }).focus();
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const focused = document.activeElement as HTMLElement;
      return { tag: focused.tagName, outline: getComputedStyle(focused).outlineStyle };
    });
    expect(outline.outline).toBe('solid');
    await screenshot('10-keyboard-focus-1280x800');
  });

  it('logged no console error, page error or CSP violation', async () => {
    await bridge.flushed();
    expect(app.problems).toEqual([]);
  });
});
