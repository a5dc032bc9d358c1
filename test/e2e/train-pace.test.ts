/**
 * Learning you can watch, end to end in real Chromium with the real handlers, supervisor and
 * worker on real MNIST: the Train screen's speed control holds a run to a few batches a second
 * (every batch arrives on its own and the chart grows by one point at a time), changes during the
 * run, and "Step one batch" trains exactly one minibatch of a paused run, which stays paused; a
 * step of a run that is not paused is refused with the reason. The prediction strip shows the
 * network's guesses on twelve fixed test images, right and wrong told apart by mark and border as
 * well as colour, updated with the run, above the charts at 1024×768. Screenshots at 1024×768 and
 * 1920×1080 go to test-output/.
 *
 * Needs `npm run build` first (`npm test` does it in `pretest`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSupervisor } from '../../src/node/engine-supervisor';
import type { LabApi, RunEvent } from '../../src/shared/lab-api';
import { openAppPage, type AppPage } from './app-page';
import { bridgeLabServices } from './lab-services';
import type { LabBridge } from './lab-bridge';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

describe('Train screen speed control and "Step one batch" in Chromium', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-pace-'));

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;
    ({ engine, bridge } = await bridgeLabServices(app, { scratch, threads: 2 }));
    await page.goto(app.url);
  });

  afterAll(async () => {
    engine?.dispose();
    await app?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const phase = () => page.getByTestId('status').getAttribute('data-phase');
  const points = async () => Number((await page.getByTestId('iteration-chart').getAttribute('data-points')) ?? '0');
  const speed = (label: string) => page.getByTestId('pace').getByText(label, { exact: true });
  const progressEvents = () => bridge.events.filter((e): e is Extract<RunEvent, { type: 'progress' }> => e.type === 'progress');
  const lastIteration = () => progressEvents().at(-1)?.latest.iteration ?? 0;
  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

  async function sizes(name: string): Promise<void> {
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(`${name}-1024x768`);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(`${name}-1920x1080`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('offers full speed down to 2 batches a second, full speed chosen, Step disabled before a run', async () => {
    await expect.poll(() => page.locator('#dataset-note').textContent()).toMatch(/60,000 training/);
    const labels = await page.getByTestId('pace').locator('label').allTextContents();
    expect(labels.map((l) => l.trim())).toEqual(['Full speed', '100/s', '20/s', '5/s', '2/s']);
    expect(await page.getByRole('radio', { name: 'Full speed' }).isChecked()).toBe(true);
    expect(await page.getByTestId('step').isDisabled()).toBe(true);
    expect(await speed('5/s').getAttribute('title')).toBe('5 batches a second: 320 images a second at 64 images a batch');
    expect(await page.getByTestId('prediction-strip').textContent()).toContain('appear here as it trains');
  });

  it('at 2 batches a second the chart grows one batch at a time; full speed goes on at once', async () => {
    await page.getByLabel('Epochs').fill('3');
    await speed('2/s').click();
    expect(await page.getByRole('radio', { name: '2/s' }).isChecked()).toBe(true);
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    await expect.poll(points, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const startedAt = Date.now();
    const from = lastIteration();
    await page.waitForTimeout(2_000);
    const grown = lastIteration() - from;
    const seconds = (Date.now() - startedAt) / 1000;
    // About two a second: never the hundreds a second of full speed.
    expect(grown).toBeGreaterThanOrEqual(2);
    expect(grown).toBeLessThanOrEqual(Math.ceil(seconds * 2) + 1);
    // Each batch came on its own, so the chart moved point by point.
    expect(progressEvents().every((e) => e.points.length === 1)).toBe(true);
    await expect.poll(points).toBe(lastIteration());

    // The strip: twelve test images with a guess each, right and wrong marked, updated batch by batch.
    const strip = page.getByTestId('prediction-strip');
    await expect.poll(() => strip.getByTestId('strip-item').count()).toBe(12);
    await expect.poll(() => strip.locator('canvas').count()).toBe(12);
    const stripAt = async () => Number(await strip.getAttribute('data-iteration'));
    const before = await stripAt();
    await expect.poll(stripAt, { timeout: 10_000 }).toBeGreaterThan(before);
    for (const item of await strip.getByTestId('strip-item').all()) {
      const right = (await item.getAttribute('data-right')) === 'true';
      const text = (await item.textContent()) ?? '';
      expect(text).toMatch(right ? /✓ \d/ : /✗ \d/);
      expect(text).toMatch(/\d+ %/);
      expect(await item.evaluate((li) => getComputedStyle(li).borderTopStyle)).toBe(right ? 'solid' : 'dashed');
      expect(await item.getAttribute('aria-label')).toMatch(new RegExp(`guessed \\d, \\d+ % sure, ${right ? 'right' : 'wrong'}$`));
    }
    await sizes('pace-1-two-a-second');

    await speed('Full speed').click();
    await expect.poll(lastIteration, { timeout: 30_000 }).toBeGreaterThan(from + 200);
    await speed('5/s').click();
    await page.waitForTimeout(300);
    const slowFrom = lastIteration();
    await page.waitForTimeout(1_000);
    expect(lastIteration() - slowFrom).toBeLessThanOrEqual(8);
  });

  it('"Step one batch" while paused trains exactly one batch and stays paused; refused while running', async () => {
    expect(await page.getByTestId('step').isDisabled()).toBe(true);
    // The command itself refuses a running run, with the reason.
    expect(await page.evaluate(() => (window as unknown as { lab: LabApi }).lab.step())).toEqual({ ok: false, message: 'Pause the run first: "Step one batch" trains one batch of a paused run.' });

    await page.getByTestId('pause').click();
    await expect.poll(phase).toBe('paused');
    await bridge.flushed();
    const pausedAt = lastIteration();
    await expect.poll(points).toBe(pausedAt);
    await expect.poll(() => page.getByTestId('step').isEnabled()).toBe(true);

    await page.getByTestId('step').click();
    await expect.poll(lastIteration).toBe(pausedAt + 1);
    // The step's guesses are on the strip at once.
    await expect.poll(() => page.getByTestId('prediction-strip').getAttribute('data-iteration')).toBe(String(pausedAt + 1));
    await expect.poll(points).toBe(pausedAt + 1);
    expect(await phase()).toBe('paused');
    await expect.poll(() => page.getByTestId('status').textContent()).toContain(`Paused after iteration ${pausedAt + 1}.`);
    await page.getByTestId('step').click();
    await expect.poll(lastIteration).toBe(pausedAt + 2);
    // Nothing more on its own: the run is still paused.
    await page.waitForTimeout(700);
    expect(lastIteration()).toBe(pausedAt + 2);
    expect(await phase()).toBe('paused');
    await sizes('pace-2-stepped');

    await page.getByTestId('resume').click();
    await expect.poll(phase).toBe('running');
    await expect.poll(lastIteration, { timeout: 10_000 }).toBeGreaterThan(pausedAt + 2);
    await page.getByTestId('stop').click();
    await expect.poll(phase, { timeout: 10_000 }).toBe('stopped');
    expect(await page.getByTestId('step').isDisabled()).toBe(true);
  });

  it('at 1024×768 the strip sits above the charts, which are in view whole; its text is 14 px or more', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    const strip = await page.getByTestId('prediction-strip').boundingBox();
    const chart = await page.getByTestId('iteration-chart').boundingBox();
    expect(strip && chart).toBeTruthy();
    expect(strip!.y + strip!.height).toBeLessThanOrEqual(chart!.y);
    expect(chart!.y + chart!.height).toBeLessThanOrEqual(768);
    const smallest = await page.getByTestId('prediction-strip').evaluate((root) =>
      Math.min(...[...root.querySelectorAll('*')].filter((e) => e.textContent?.trim()).map((e) => parseFloat(getComputedStyle(e).fontSize))),
    );
    expect(smallest).toBeGreaterThanOrEqual(14);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the dark theme shows the chosen speed plainly', async () => {
    await page.getByRole('button', { name: 'Dark' }).click();
    await sizes('pace-3-dark');
    await page.getByRole('button', { name: 'Light' }).click();
  });

  it('logged no console error, page error or CSP violation', async () => {
    await bridge.flushed();
    expect(app.problems).toEqual([]);
  });
});
