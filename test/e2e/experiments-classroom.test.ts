/**
 * Issue 13, item 5, end to end in Chromium with the real study service and workers, on a small
 * MNIST: the blog study (9 runs) shown for a class — the setup form folded (and unfolded on
 * demand), a plot at least 300 px tall at 1280×800, short labels, an x axis in epochs or images
 * seen as well as iterations, every table row reachable, colours from the palette that passes
 * contrast. Screenshots at 1024×768, 1280×800 and 1920×1080 in both themes go to test-output/.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openClassroomApp, type ClassroomApp } from './classroom-app';
import { screenshotBothThemes } from './classroom-shots';
import { requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

describe('Experiments screen for a class: the blog study, readable', () => {
  let classroom: ClassroomApp;
  let page: Page;

  beforeAll(async () => {
    classroom = await openClassroomApp(6000, 1000);
    page = classroom.page;
  });

  afterEach(() => {
    expect(classroom.app.problems).toEqual([]);
  });

  afterAll(async () => {
    await classroom?.close();
  });

  const chart = () => page.getByTestId('study-chart');
  const rows = () => page.locator('[data-testid="study-table"] tbody tr');

  it('runs the blog study and folds the setup form away while it is shown', async () => {
    await page.getByRole('tab', { name: 'Experiments', exact: true }).click();
    const setup = page.locator('#study-setup');
    expect(await setup.isVisible()).toBe(true);
    // Before any study there is nothing to fold it for.
    expect(await page.getByTestId('toggle-setup').count()).toBe(0);
    await page.getByRole('button', { name: /Blog study/ }).click();
    await page.getByLabel('Study epochs').fill('1');
    await page.getByTestId('start-study').click();
    await expect.poll(() => setup.isVisible()).toBe(false);
    const toggle = page.getByTestId('toggle-setup');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => page.locator('[data-testid="study-table"] tbody tr[data-status="completed"]').count(), { timeout: 300_000 }).toBe(9);
    // Unfolded on demand, folded again.
    await toggle.click();
    expect(await setup.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.click();
    expect(await setup.isVisible()).toBe(false);
  });

  it('labels runs shortly, in the legend and the table', async () => {
    await expect.poll(() => chart().getAttribute('data-lines')).toBe('9');
    const settings = await page.locator('[data-testid="study-table"] tbody tr td.label').allTextContents();
    expect(settings).toEqual(['batch 16', 'batch 32', 'batch 64 · lr 0.01 · relu', 'batch 128', 'lr 0.1', 'lr 0.001', 'lr 0.0001', 'sigmoid', 'tanh']);
    // The full label stays one hover away.
    expect(await page.locator('[data-testid="study-table"] tbody tr td.label').first().getAttribute('title')).toBe('batch size 16');
  });

  it('draws the plot at least 300 px tall at 1280×800, along epochs by default, images seen or iterations on demand', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(async () => Number(await chart().getAttribute('data-plot-height'))).toBeGreaterThanOrEqual(300);
    // Images seen by default. Counted in whole batches: batch 128's last, partial batch of 112 images reads as 128 (6 016).
    expect(await page.getByLabel('X axis').inputValue()).toBe('images');
    await expect.poll(async () => Number(await chart().getAttribute('data-x-max'))).toBeGreaterThanOrEqual(6000);
    expect(Number(await chart().getAttribute('data-x-max'))).toBeLessThanOrEqual(6000 + 128);
    // Every run ends at epoch 1, batch 16 (375 iterations) and batch 128 (47) alike.
    await page.getByLabel('X axis').selectOption({ label: 'Epochs' });
    await expect.poll(async () => Number(await chart().getAttribute('data-x-max'))).toBeCloseTo(1, 6);
    await page.getByLabel('X axis').selectOption({ label: 'Iterations' });
    await expect.poll(async () => Number(await chart().getAttribute('data-x-max'))).toBe(375);
    await page.getByLabel('X axis').selectOption({ label: 'Images seen' });
  });

  it('lets every row of the table be reached, at each classroom size', async () => {
    for (const size of [{ width: 1024, height: 768 }, { width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size);
      expect(await rows().count()).toBe(9);
      for (const k of [0, 8]) {
        const row = rows().nth(k);
        await row.scrollIntoViewIfNeeded();
        // The row itself is what shows at its middle: nothing clips or covers it.
        const hit = await row.evaluate((tr) => {
          const box = tr.getBoundingClientRect();
          const found = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          return found !== null && tr.contains(found);
        });
        expect(hit, `row ${k + 1} at ${size.width}×${size.height}`).toBe(true);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('colours runs from the palette that stands out on each theme', async () => {
    const swatch = () => rows().nth(2).locator('.swatch').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await swatch()).toBe('rgb(153, 119, 0)');
    await page.getByRole('button', { name: 'Dark', exact: true }).click();
    await expect.poll(swatch).toBe('rgb(238, 221, 136)');
    await page.getByRole('button', { name: 'Light', exact: true }).click();
    await page.locator('.study-head').scrollIntoViewIfNeeded();
    await screenshotBothThemes(page, 'experiments-5-blog-study');
    await screenshotBothThemes(page, 'experiments-5-blog-table', rows().nth(8));
    await page.getByLabel('X axis').selectOption({ label: 'Epochs' });
    await screenshotBothThemes(page, 'experiments-5-epochs');
  });
});
