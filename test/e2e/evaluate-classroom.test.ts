/**
 * Issue 13, item 6, end to end in Chromium with every handler real, on a small MNIST: the Evaluate
 * screen measures the model by itself when a run ends and when a saved model is loaded; its
 * confusion matrix paints mistakes on their own scale (the diagonal apart), with a legend for each
 * and a named corner header; the misclassified thumbnails are large, their labels readable.
 * Screenshots at 1024×768, 1280×800 and 1920×1080 in both themes go to test-output/.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openClassroomApp, type ClassroomApp } from './classroom-app';
import { screenshotBothThemes } from './classroom-shots';
import { requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

describe('Evaluate screen for a class: automatic, with mistakes on their own scale', () => {
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

  const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
  const phase = () => page.getByTestId('status').getAttribute('data-phase');
  const accuracy = () => page.getByTestId('eval-accuracy').textContent();

  async function train(hidden: number, epochs: number): Promise<void> {
    await tab('Train');
    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill(String(hidden));
    await page.getByLabel('Epochs').fill(String(epochs));
    await page.getByLabel('Batch size').fill('64');
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 60_000 }).toBe('completed');
  }

  it('says it will measure the model by itself before there is one', async () => {
    await tab('Evaluate');
    await expect.poll(() => page.getByTestId('evaluation-empty').textContent()).toMatch(/measured on the 1,000 test images as soon as a run ends or a model is loaded/);
  });

  it('evaluates by itself when a run ends: accuracy, a matrix whose mistakes have their own scale, legends', async () => {
    await train(32, 2);
    await tab('Evaluate');
    await expect.poll(accuracy, { timeout: 30_000 }).toMatch(/^\d+\.\d\d %$/);
    expect(await page.getByTestId('evaluate').textContent()).toMatch(/Evaluate again/);

    const matrix = page.getByTestId('confusion-matrix');
    // The corner header names both axes (an empty header is an accessibility error).
    expect((await matrix.locator('thead th').first().textContent())?.trim()).toBe('true \\ predicted');
    const cells = await matrix.locator('tbody button').evaluateAll((buttons) =>
      buttons.map((b) => ({ count: Number(b.textContent), background: getComputedStyle(b).backgroundColor })),
    );
    expect(cells).toHaveLength(100);
    const off = cells.filter((_, k) => Math.floor(k / 10) !== k % 10);
    const diagonal = cells.filter((_, k) => Math.floor(k / 10) === k % 10);
    const maxMistake = Math.max(...off.map((c) => c.count));
    expect(maxMistake).toBeGreaterThan(0);
    // The largest mistake takes the darkest red, whatever the diagonal's thousands.
    for (const cell of off.filter((c) => c.count === maxMistake)) expect(cell.background).toBe('rgb(179, 0, 0)');
    // A cell with no mistakes is left unpainted.
    for (const cell of off.filter((c) => c.count === 0)) expect(cell.background).toBe('rgba(0, 0, 0, 0)');
    // The diagonal is blue; mistakes are warm.
    const rgb = (css: string) => (/\d+, \d+, \d+/.exec(css)?.[0] ?? '0, 0, 0').split(', ').map(Number);
    for (const cell of diagonal) {
      const [r, , b] = rgb(cell.background);
      expect(b).toBeGreaterThan(r);
    }
    for (const cell of off.filter((c) => c.count > 0)) {
      const [r, , b] = rgb(cell.background);
      expect(r).toBeGreaterThan(b);
    }
    expect(await page.getByTestId('legend-max-mistake').textContent()).toBe(String(maxMistake));
    expect(await page.getByTestId('confusion-legend').textContent()).toMatch(/Correct \(diagonal\).*Mistakes \(own scale\)/s);
  });

  it('shows misclassified images at 84 px or more at 1024×768, with readable true and predicted labels', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    const gallery = page.getByTestId('misclassified');
    await expect.poll(() => gallery.getAttribute('data-count')).not.toBeNull();
    const first = gallery.locator(':scope > li').first();
    const facts = await first.evaluate((li) => {
      const canvas = li.querySelector('canvas')?.getBoundingClientRect();
      const verdict = li.querySelector('.verdict');
      const texts = [...li.querySelectorAll('.verdict, .detail, .digit')].map((e) => parseFloat(getComputedStyle(e).fontSize));
      return { width: canvas?.width ?? 0, height: canvas?.height ?? 0, verdict: verdict?.textContent ?? '', smallestText: Math.min(...texts) };
    });
    expect(facts.width).toBeGreaterThanOrEqual(84);
    expect(facts.height).toBeGreaterThanOrEqual(84);
    const label = await first.getAttribute('data-label');
    const predicted = await first.getAttribute('data-predicted');
    expect(facts.verdict).toBe(`true ${label} · said ${predicted}`);
    expect(facts.smallestText).toBeGreaterThanOrEqual(14);
    // The matrix fits its panel at the projector's width.
    const fits = await page.evaluate(() => {
      const table = document.querySelector('[data-testid="confusion-matrix"]')?.getBoundingClientRect();
      const panel = document.querySelector('.summary')?.getBoundingClientRect();
      return !!table && !!panel && table.right <= panel.right;
    });
    expect(fits).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshotBothThemes(page, 'evaluate-6-matrix');
    await screenshotBothThemes(page, 'evaluate-6-misclassified', gallery);
  });

  it('evaluates again by itself after another run and after loading a saved model', async () => {
    const first = await accuracy();
    await tab('Models');
    await page.getByLabel('Save the current model as').fill('Two epochs');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toBe('Saved “Two epochs”.');

    await train(16, 1);
    await tab('Evaluate');
    await expect.poll(accuracy, { timeout: 30_000 }).not.toBe(first);
    expect(await page.getByTestId('evaluation-stale').count()).toBe(0);

    await tab('Models');
    await page.getByRole('button', { name: 'Two epochs' }).click();
    await page.getByRole('button', { name: 'Load into Evaluate and Weights' }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toMatch(/Loaded “Two epochs”/);
    await tab('Evaluate');
    await expect.poll(accuracy, { timeout: 30_000 }).toBe(first);
    expect(await page.getByTestId('evaluation-stale').count()).toBe(0);
  });
});
