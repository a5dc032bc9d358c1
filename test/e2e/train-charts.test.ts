/**
 * The Train screen's charts end to end, in real Chromium with the real handlers and worker on the
 * real MNIST: the iteration chart's x axis in iterations, images seen or epochs, over the whole
 * run, its first epoch or on a log scale; redraws paced to at most about four a second (the pace
 * of the numbers beside them) while a run streams in; and the previous run kept as a faint dashed
 * curve beside the new one on both charts, until "Clear previous run" or another dataset. Screenshots at 1024×768 and 1920×1080 go to
 * test-output/ (train-charts-*).
 *
 * Needs `npm run build` first (`npm test` does it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSupervisor } from '../../src/node/engine-supervisor';
import { idxBytes } from '../helpers/idx-bytes';
import { openAppPage, type AppPage } from './app-page';
import { bridgeLabServices } from './lab-services';
import type { LabBridge } from './lab-bridge';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

/** A small valid dataset of 28×28 images (random pixels, labels 0–9), to switch datasets with. */
function writeSmallDataset(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const images = (count: number) => idxBytes([count, 28, 28], Array.from({ length: count * 784 }, (_, i) => (i * 37) % 256));
  const labels = (count: number) => idxBytes([count], Array.from({ length: count }, (_, i) => i % 10));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), images(300));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels(300));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images(50));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels(50));
}

describe('Train screen charts in Chromium: x axis, paced redraws, the previous run', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  let nextFolder: string | null = null;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-charts-'));

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;
    // The prediction strip above the charts draws real test images (the insight handlers).
    ({ engine, bridge } = await bridgeLabServices(app, { scratch, threads: 2, chooseFolder: async () => nextFolder }));
    await page.goto(app.url);
  });

  afterEach(async () => {
    await bridge.flushed();
    expect(app.problems).toEqual([]);
  });

  afterAll(async () => {
    engine?.dispose();
    await app?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const phase = () => page.getByTestId('status').getAttribute('data-phase');
  const chart = (id: 'iteration-chart' | 'epoch-chart') => page.getByTestId(id);
  const attribute = async (id: 'iteration-chart' | 'epoch-chart', name: string) => (await chart(id).getAttribute(name)) ?? '';
  const number = async (id: 'iteration-chart' | 'epoch-chart', name: string) => Number(await attribute(id, name));
  /** Both charts have drawn every event delivered so far (none waits for its turn). */
  const chartsSettled = async () => {
    await bridge.flushed();
    await page.waitForFunction(() => document.querySelectorAll('canvas[data-redraw-pending="true"]').length === 0);
  };
  /**
   * Scrolls the charts into view and saves the page at 1024×768 and 1920×1080; at each size both
   * plots lie whole inside their cards, below the axis choices (which must not push them out).
   */
  const shoot = async (name: string) => {
    for (const [width, height] of [
      [1024, 768],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await chart('iteration-chart').scrollIntoViewIfNeeded();
      await chartsSettled();
      await page.screenshot({ path: join(SCREENSHOTS, `train-charts-${name}-${width}x${height}.png`) });
      for (const id of ['iteration-chart', 'epoch-chart'] as const) {
        const plot = await chart(id).boundingBox();
        const card = await chart(id).locator('xpath=ancestor::figure').boundingBox();
        expect(plot && card, id).toBeTruthy();
        expect(plot!.height, `${id} at ${width}×${height}`).toBeGreaterThanOrEqual(140);
        expect(plot!.y + plot!.height, `${id} at ${width}×${height}`).toBeLessThanOrEqual(card!.y + card!.height + 1);
      }
      const tools = await page.getByTestId('x-unit').boundingBox();
      expect(tools!.y + tools!.height).toBeLessThanOrEqual((await chart('iteration-chart').boundingBox())!.y);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  };

  /** 784-32-10, batch 64 (938 minibatches an epoch), `epochs` epochs at learning rate `lr`. */
  async function configure(epochs: number, lr: string): Promise<void> {
    await page.getByRole('button', { name: 'Default' }).click();
    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill('32');
    await page.getByLabel('Epochs').fill(String(epochs));
    await page.getByLabel('Learning rate η').fill(lr);
    await expect.poll(() => page.locator('.summary').textContent()).toContain('784 → 32 → 10');
  }

  async function trainToTheEnd(): Promise<void> {
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    await expect.poll(phase, { timeout: 120_000 }).toBe('completed');
    await chartsSettled();
  }

  it('redraws at most about four times a second while a run streams in', async () => {
    await expect.poll(() => page.locator('#dataset-note').textContent()).toMatch(/60,000 training/);
    await configure(2, '0.001');
    const before = await number('iteration-chart', 'data-redraws');
    const started = Date.now();
    await trainToTheEnd();
    const seconds = (Date.now() - started) / 1000;
    const redraws = (await number('iteration-chart', 'data-redraws')) - before;
    expect(await number('iteration-chart', 'data-points')).toBe(2 * 938);
    expect(redraws).toBeGreaterThan(0);
    // Four a second, plus the redraws at once that a new run's axis and a new previous run ask for.
    expect(redraws / seconds).toBeLessThanOrEqual(4 + 3 / seconds);
  });

  it('counts the x axis in iterations, images seen or epochs, over the run, its first epoch or on a log scale', async () => {
    const xMax = () => number('iteration-chart', 'data-x-max');
    expect(await xMax()).toBe(1876);
    await page.getByTestId('x-unit').selectOption('images');
    // Each epoch is the 60,000 images, its last minibatch short (937 × 64 + 32).
    await expect.poll(xMax).toBe(120_000);
    await page.getByTestId('x-unit').selectOption('epochs');
    await expect.poll(xMax).toBe(2);
    await page.getByTestId('x-span').selectOption('first-epoch');
    await expect.poll(xMax).toBe(1);
    // Only the first epoch's points are drawn (one more runs to the edge), decimated per pixel column.
    expect(await number('iteration-chart', 'data-drawn')).toBeLessThanOrEqual(939);
    await page.getByTestId('x-unit').selectOption('iterations');
    await expect.poll(xMax).toBe(938);
    await shoot('first-epoch');

    await page.getByTestId('x-span').selectOption('log');
    await expect.poll(() => attribute('iteration-chart', 'data-x-type')).toBe('logarithmic');
    expect(await xMax()).toBe(1876);
    expect(await number('iteration-chart', 'data-x-min')).toBe(1);
    await page.getByTestId('x-unit').selectOption('images');
    await expect.poll(() => number('iteration-chart', 'data-x-min')).toBe(64);
    await shoot('log-images');
    await page.getByTestId('x-unit').selectOption('iterations');
    await page.getByTestId('x-span').selectOption('run');
    await expect.poll(() => attribute('iteration-chart', 'data-x-type')).toBe('linear');
  });

  it('keeps the previous run as a faint dashed curve beside the new one, on both charts, until cleared', async () => {
    expect(await page.getByTestId('clear-previous').count()).toBe(0);
    expect(await number('iteration-chart', 'data-previous')).toBe(0);
    await configure(3, '0.01');
    await trainToTheEnd();
    // The last run's trends (1,876 minibatches, decimated) and its two epochs.
    expect(await number('iteration-chart', 'data-previous')).toBeGreaterThan(100);
    expect(await number('epoch-chart', 'data-previous')).toBe(2);
    expect(await number('epoch-chart', 'data-points')).toBe(3);
    await expect.poll(() => page.locator('#iteration-chart-title').textContent()).toMatch(/dashed grey: the previous run/);
    await shoot('previous-run');

    await page.getByTestId('clear-previous').click();
    await expect.poll(() => number('iteration-chart', 'data-previous')).toBe(0);
    await expect.poll(() => number('epoch-chart', 'data-previous')).toBe(0);
    expect(await page.getByTestId('clear-previous').count()).toBe(0);
    // The current run's curves stay.
    expect(await number('epoch-chart', 'data-points')).toBe(3);
  });

  it('lets the previous run go when another dataset is chosen', async () => {
    await configure(1, '0.001');
    await trainToTheEnd();
    expect(await number('epoch-chart', 'data-previous')).toBe(3);
    nextFolder = join(scratch, 'small-set');
    writeSmallDataset(nextFolder);
    await page.getByRole('button', { name: 'Open dataset folder…' }).click();
    await expect.poll(() => page.locator('#dataset-note').textContent()).toContain('300 training');
    await expect.poll(() => number('epoch-chart', 'data-previous')).toBe(0);
    expect(await page.getByTestId('clear-previous').count()).toBe(0);
  });
});
