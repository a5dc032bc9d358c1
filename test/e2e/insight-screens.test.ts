/**
 * The Weights, Data, Evaluate and Models screens end to end in real Chromium, like the Train
 * screen's test: the built renderer served on 127.0.0.1, `window.lab` bridged to the real handlers,
 * the datasets service, a model store in a temporary folder, and the supervisor forking the built
 * worker, which trains on the real MNIST. Data pages through images; Weights follows a run as it
 * trains; Evaluate shows accuracy, the confusion matrix and a prediction for a drawn digit; Models
 * saves, renames, loads, exports and imports models; all in the dark theme too. After each test, any
 * console error, page error, CSP violation, failed request or HTTP error fails it.
 *
 * Needs `npm run build` first (`npm test` does it). Screenshots go to test-output/.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSupervisor } from '../../src/node/engine-supervisor';
import { openAppPage, type AppPage } from './app-page';
import { bridgeLabServices } from './lab-services';
import type { LabBridge } from './lab-bridge';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';
import { screenshotSizes } from './screenshots';

requireBuiltAppAndBrowser();

describe('Weights, Data, Evaluate and Models screens in Chromium, with the real handlers and worker', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-insight-'));
  const modelsDir = join(scratch, 'models');
  /** What the fake native dialogs answer next; null is Cancel. */
  let nextExport: string | null = null;
  let nextImport: string | null = null;

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;

    ({ engine, bridge } = await bridgeLabServices(app, {
      scratch,
      dialogs: { chooseExportPath: async () => nextExport, chooseOnnxExportPath: async () => nextExport, chooseImportPath: async () => nextImport },
    }));
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
  const shoot = (name: string) => screenshotSizes(page, name);

  async function configureRun(hidden: number, epochs: number, batchSize: number): Promise<void> {
    await tab('Train');
    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill(String(hidden));
    await page.getByLabel('Epochs').fill(String(epochs));
    await page.getByLabel('Batch size').fill(String(batchSize));
    await expect.poll(() => page.locator('.summary').textContent()).toContain(`784 → ${hidden} → 10`);
  }

  it('Models and Weights say there is no model before any training', async () => {
    await expect.poll(() => page.locator('#dataset-note').textContent()).toMatch(/60,000 training/);
    await tab('Weights');
    await expect.poll(() => page.getByTestId('weights-empty').textContent()).toMatch(/no model yet/);
    await tab('Models');
    await expect.poll(() => page.getByTestId('model-list').textContent()).toMatch(/No saved models yet/);
  });

  it('Data: pages of training images, a class filter, the test split and class counts', async () => {
    await tab('Data');
    const gallery = page.getByTestId('gallery');
    await expect.poll(() => gallery.getAttribute('data-count')).toBe('60');
    await expect.poll(() => page.getByTestId('class-counts').textContent()).toMatch(/5,923/);
    await page.getByRole('button', { name: 'Show only class 3' }).click();
    await expect.poll(() => gallery.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-label')))).toEqual(new Array(60).fill('3'));
    await expect.poll(() => page.getByTestId('page').textContent()).toBe('Page 1 of 103');
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.getByTestId('page').textContent()).toMatch(/^Page 2 of 103$/);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => page.getByTestId('page').textContent()).toBe('Page 1 of 17');
    await shoot('insight-1-data');
  });

  it('Weights: the first-layer tiles change while a run trains, with a legend and histograms', async () => {
    await configureRun(64, 30, 16);
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    await tab('Weights');
    const tiles = page.getByTestId('first-layer-tiles');
    await expect.poll(() => tiles.getAttribute('data-units'), { timeout: 10_000 }).toBe('64');
    const picture = () => tiles.evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL());
    const first = await picture();
    const snapshots = Number(await page.getByTestId('weights-source').getAttribute('data-snapshots'));
    await expect.poll(async () => Number(await page.getByTestId('weights-source').getAttribute('data-snapshots')), { timeout: 10_000 }).toBeGreaterThan(snapshots + 2);
    await expect.poll(picture, { timeout: 10_000 }).not.toBe(first);
    expect(await page.getByTestId('weights-source').textContent()).toMatch(/live/);
    await expect.poll(() => page.getByTestId('histograms').textContent()).toMatch(/Dead units/);
    const box = await tiles.boundingBox();
    if (box === null) throw new Error('no tiles');
    await page.mouse.move(box.x + 10, box.y + 10);
    await expect.poll(() => page.getByTestId('tile-readout').textContent()).toMatch(/unit 1 · pixel \(row \d+, col \d+\) · weight -?\d\.\d{4}/);
    await shoot('insight-2-weights-live');
    await tab('Train');
    await page.getByTestId('stop').click();
    // The bridge hands run events to the page one page.evaluate at a time, behind the Weights
    // screen's snapshots on the same connection; on a crowded machine "finished" can queue.
    await bridge.flushed();
    await expect.poll(phase, { timeout: 10_000 }).toBe('stopped');
  });

  it.each([512, 16])('Weights: the tile grid holds %i hidden units', async (units) => {
    await configureRun(units, 30, 64);
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    await tab('Weights');
    await expect.poll(() => page.getByTestId('first-layer-tiles').getAttribute('data-units'), { timeout: 10_000 }).toBe(String(units));
    const box = await page.getByTestId('first-layer-tiles').boundingBox();
    expect(box?.width).toBeGreaterThan(150);
    expect(box?.width).toBeLessThanOrEqual(1280);
    await shoot(`insight-2-weights-${units}`);
    await tab('Train');
    await page.getByTestId('stop').click();
    // The bridge hands run events to the page one page.evaluate at a time, behind the Weights
    // screen's snapshots on the same connection; on a crowded machine "finished" can queue.
    await bridge.flushed();
    await expect.poll(phase, { timeout: 10_000 }).toBe('stopped');
    // Waiting for the bridge's queued events (see above) can take minutes under heavy load: each
    // snapshot of 512 units is 1.6 MB through the test bridge, on the same connection as the events.
  }, 240_000);

  it('Evaluate: accuracy, a confusion-matrix cell opens its images, misclassified sorted, and a drawn 1 gets a prediction', async () => {
    await configureRun(32, 1, 64);
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 60_000 }).toBe('completed');
    // The run's end evaluates the model by itself: nothing to press.
    await tab('Evaluate');
    await expect.poll(() => page.getByTestId('eval-accuracy').textContent(), { timeout: 30_000 }).toMatch(/^\d+\.\d\d %$/);
    const accuracy = parseFloat((await page.getByTestId('eval-accuracy').textContent()) ?? '0');
    expect(accuracy).toBeGreaterThan(85);

    // The busiest mistake: its images must all be of that true class, predicted as that class.
    const counts = await page.getByTestId('confusion-matrix').locator('tbody button').evaluateAll((cells) => cells.map((c) => Number(c.textContent)));
    let best = { t: 0, p: 1, n: -1 };
    counts.forEach((n, k) => {
      const t = Math.floor(k / 10);
      const p = k % 10;
      if (t !== p && n > best.n) best = { t, p, n };
    });
    await page.getByTestId(`cell-${best.t}-${best.p}`).click();
    await expect.poll(() => page.getByTestId('cell-title').textContent()).toContain(`True ${best.t}, predicted ${best.p}: ${best.n} images`);
    const cell = page.getByTestId('cell-images').locator(':scope > li');
    await expect.poll(() => cell.count()).toBe(Math.min(best.n, 40));
    expect(new Set(await cell.evaluateAll((items) => items.map((li) => `${li.getAttribute('data-label')}/${li.getAttribute('data-predicted')}`)))).toEqual(new Set([`${best.t}/${best.p}`]));

    await expect.poll(() => page.getByTestId('misclassified').getAttribute('data-count')).toBe('40');
    await page.getByTestId('cell-images').scrollIntoViewIfNeeded();
    await shoot('insight-3-evaluate-galleries');
    await page.getByRole('button', { name: 'Least confident' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Least confident' }).getAttribute('aria-pressed')).toBe('true');

    const pad = page.getByTestId('draw-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (box === null) throw new Error('no pad');
    await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + box.width * (0.52 - i * 0.004), box.y + box.height * (0.15 + i * 0.058));
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('prediction').textContent(), { timeout: 10_000 }).toMatch(/It's a \d/);
    expect(await page.getByTestId('prediction').textContent()).toMatch(/It's a 1/);
    await shoot('insight-3-evaluate');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByTestId('prediction').textContent()).toMatch(/No drawing yet/);
  });

  it('Models: save → list → rename → load → evaluate round trip; a corrupted file shows its error', async () => {
    await tab('Evaluate');
    const trainedAccuracy = await page.getByTestId('eval-accuracy').textContent();
    await tab('Models');
    await page.getByLabel('Save the current model as').fill('First model');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toBe('Saved “First model”.');
    const row = page.getByTestId('model-list').locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toMatch(/First model784 → 32 → 10ReLU\d+\.\d %1MNIST/);
    await page.getByRole('button', { name: 'First model' }).click();
    await expect.poll(() => page.getByTestId('model-details').textContent()).toMatch(/Seed/);
    await page.getByLabel('New name').fill('Renamed model');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect.poll(() => row.textContent()).toMatch(/^Renamed model/);

    // Train something else, so loading really changes the engine's model.
    await configureRun(16, 1, 128);
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 60_000 }).toBe('completed');
    // The run's end measured the new model: other numbers, none of them stale.
    await tab('Evaluate');
    await expect.poll(() => page.getByTestId('eval-accuracy').textContent(), { timeout: 30_000 }).not.toBe(trainedAccuracy);
    expect(await page.getByTestId('evaluation-stale').count()).toBe(0);
    await tab('Models');
    await page.getByRole('button', { name: 'Renamed model' }).click();
    await page.getByRole('button', { name: 'Load into Evaluate and Weights' }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toMatch(/Loaded “Renamed model”/);
    // Loading evaluates the loaded model by itself.
    await tab('Evaluate');
    await expect.poll(() => page.getByTestId('eval-accuracy').textContent(), { timeout: 30_000 }).toBe(trainedAccuracy);
    await expect.poll(() => page.getByTestId('evaluation-stale').count()).toBe(0);
    await tab('Weights');
    await expect.poll(() => page.getByTestId('weights-source').textContent()).toMatch(/784 → 32 → 10, ReLU · from saved model “Renamed model”/);

    writeFileSync(join(modelsDir, `${'0'.repeat(32)}.mlpmodel`), Buffer.from('MLPLAB\0\0garbage'));
    expect(readdirSync(modelsDir)).toHaveLength(2);
    await tab('Models');
    await expect.poll(() => page.getByTestId('broken-model').textContent()).toMatch(/00000000000000000000000000000000\.mlpmodel.*(truncated|corrupted)/);
    await page.getByRole('button', { name: 'Renamed model' }).click();
    await shoot('insight-4-models');
    // Deleting the broken file asks first.
    await page.getByRole('button', { name: 'Delete file…' }).click();
    await page.getByTestId('broken-model').getByRole('button', { name: 'Keep' }).click();
    expect(readdirSync(modelsDir)).toHaveLength(2);
    await page.getByRole('button', { name: 'Delete file…' }).click();
    await page.getByTestId('broken-model').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.getByTestId('broken-model').count()).toBe(0);
    expect(readdirSync(modelsDir)).toHaveLength(1);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Keep' }).click();
    expect(readdirSync(modelsDir)).toHaveLength(1);

    // Export through the (fake) native dialog, then import the file back as a second model.
    nextExport = join(scratch, 'exported.mlpmodel');
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toBe(`Exported to ${nextExport}.`);
    nextImport = nextExport;
    await page.getByRole('button', { name: 'Import…' }).click();
    await expect.poll(() => page.getByTestId('model-list').locator('tbody tr').count()).toBe(2);
    expect(readdirSync(modelsDir)).toHaveLength(2);

    // Continue training the loaded model: a run starts on the Train screen from its weights.
    await page.getByRole('button', { name: 'Renamed model' }).first().click();
    await page.getByRole('button', { name: 'Continue training' }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toMatch(/Training “Renamed model” further/);
    await tab('Train');
    await expect.poll(phase, { timeout: 60_000 }).toMatch(/running|completed/);
    await expect.poll(phase, { timeout: 60_000 }).toBe('completed');
    await tab('Weights');
    await expect.poll(() => page.getByTestId('weights-source').textContent()).toMatch(/784 → 32 → 10, ReLU · from the last run · 2 epochs done/);
  });

  it('stays readable in the dark theme', async () => {
    await page.getByRole('button', { name: 'Dark' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    for (const [name, screen] of [['weights', 'Weights'], ['data', 'Data'], ['evaluate', 'Evaluate'], ['models', 'Models']] as const) {
      await tab(screen);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SCREENSHOTS, `insight-5-dark-${name}-1280x800.png`) });
    }
    await page.getByRole('button', { name: 'Light' }).click();
  });
});
