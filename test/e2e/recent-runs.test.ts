/**
 * "Nothing thrown away" (issue 13, item 8b) end to end, in real Chromium with the real handlers,
 * worker and stores on the real MNIST: each run that finishes appears under "Recent runs" on the
 * Models screen by itself, the oldest dropped beyond the limit; a run that diverged is not kept;
 * "Save…" turns a recent run into a named saved model, "Drop" lets one go. Screenshots at 1024×768
 * and 1920×1080 in both themes go to test-output/ (recent-runs-*).
 *
 * Needs `npm run build` first (`npm test` does it).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../src/main/datasets';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { createLabHandlers } from '../../src/main/handlers/ipc-handlers';
import { createModelStore } from '../../src/main/model-store';
import { createRecentRuns } from '../../src/main/recent-runs';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import { openAppPage, type AppPage } from './app-page';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { SCREENSHOTS, WORKER_PATH, requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

/** Fewer than the app's five, so that dropping the oldest shows after three short runs. */
const KEPT = 2;

describe('Recent runs on the Models screen in Chromium', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-recent-'));
  const recentDir = join(scratch, 'recent-runs');

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;
    engine = createEngineSupervisor({ fork: () => forkNodeWorker(WORKER_PATH), emit: (event) => bridge.deliver(event), threads: 2 });
    const datasets = createDatasetsService({ builtInDir: defaultMnistDir(), load: loadDatasetFolder, chooseFolder: async () => null });
    const models = createModelStore({ dir: join(scratch, 'models') });
    const handlers = createLabHandlers({
      appPageUrl: app.url,
      datasets,
      engine,
      recentRuns: { engine, recent: createRecentRuns({ store: createModelStore({ dir: recentDir }), models, limit: KEPT }) },
      insight: {
        engine,
        images: (id) => datasets.images(id),
        models,
        dialogs: { chooseExportPath: async () => null, chooseOnnxExportPath: async () => null, chooseImportPath: async () => null },
      },
    });
    bridge = await installLabBridge(page, handlers, (message) => app.problems.push(message));
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
  const recent = () => page.getByTestId('recent-runs');
  const rows = () => recent().locator('li');
  const rowTexts = async () => (await rows().allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
  const tab = (name: string) => page.getByRole('tab', { name }).or(page.getByRole('button', { name, exact: true })).first();
  const filesKept = () => {
    try {
      return readdirSync(recentDir).filter((name) => name.endsWith('.mlpmodel')).length;
    } catch {
      return 0;
    }
  };

  /** One epoch of 784-`hidden`-10 at batch 128, at learning rate `lr` with `optimiser`, to its end. */
  async function train(hidden: number, end: 'completed' | 'diverged', lr = '0.001', optimiser = 'adam'): Promise<void> {
    await tab('Train').click();
    await page.getByRole('button', { name: 'Default' }).click();
    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill(String(hidden));
    await page.getByLabel('Epochs').fill('1');
    await page.getByLabel('Batch size').fill('128');
    await page.getByLabel('Optimiser').selectOption(optimiser);
    await page.getByLabel('Learning rate η').fill(lr);
    await page.getByTestId('train').click();
    await expect.poll(phase, { timeout: 120_000 }).toBe(end);
    await bridge.flushed();
  }

  async function shoot(name: string): Promise<void> {
    for (const theme of ['Light', 'Dark'] as const) {
      await page.getByRole('button', { name: theme }).click();
      for (const [width, height] of [
        [1024, 768],
        [1920, 1080],
      ] as const) {
        await page.setViewportSize({ width, height });
        await recent().scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, `recent-runs-${name}-${theme.toLowerCase()}-${width}x${height}.png`) });
      }
    }
    await page.getByRole('button', { name: 'Light' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('says there are none before any run has finished', async () => {
    await expect.poll(() => page.locator('#dataset-note').textContent(), { timeout: 20_000 }).toMatch(/60,000 training/);
    await tab('Models').click();
    await expect.poll(() => page.getByTestId('no-recent-runs').textContent()).toMatch(/No recent runs yet/);
    expect(filesKept()).toBe(0);
  });

  it('keeps each finished run by itself, newest first, the oldest dropped beyond the limit', async () => {
    await train(16, 'completed');
    await tab('Models').click();
    await expect.poll(rowTexts, { timeout: 10_000 }).toHaveLength(1);
    expect((await rowTexts())[0]).toMatch(/^784 → 16 → 10 ReLU · 1 epoch · test \d+\.\d % · MNIST/);

    await train(24, 'completed');
    await train(32, 'completed');
    await tab('Models').click();
    await expect.poll(async () => (await rowTexts()).map((text) => text.split(' ReLU')[0]), { timeout: 10_000 }).toEqual(['784 → 32 → 10', '784 → 24 → 10']);
    expect(filesKept()).toBe(KEPT);
    // Recent runs are not saved models: the library's own list is still empty.
    expect(await page.getByTestId('model-list').textContent()).toContain('No saved models yet');
    await shoot('two-kept');
  });

  it('does not keep a run that diverged', async () => {
    await train(16, 'diverged', '100000', 'sgd');
    await tab('Models').click();
    // The engine put back the last good weights or none; either way the kept runs are as they were.
    await page.waitForTimeout(500);
    await bridge.flushed();
    expect((await rowTexts()).map((text) => text.split(' ReLU')[0])).toEqual(['784 → 32 → 10', '784 → 24 → 10']);
    expect(filesKept()).toBe(KEPT);
  });

  it('"Save…" turns a recent run into a named saved model; "Drop" lets one go', async () => {
    const older = rows().nth(1);
    await older.getByRole('button', { name: 'Save…' }).click();
    const name = page.getByLabel('Save in the model library as');
    expect(await name.inputValue()).toBe('Run 784-24-10, 1 epoch');
    // The name box takes the focus, its text chosen, so typing replaces it.
    await expect.poll(() => name.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await name.evaluate((input) => [(input as HTMLInputElement).selectionStart, (input as HTMLInputElement).selectionEnd])).toEqual([0, 'Run 784-24-10, 1 epoch'.length]);
    await shoot('naming');
    await name.fill('Twenty-four units');
    await recent().getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('model-list').textContent()).toContain('Twenty-four units');
    await expect.poll(() => page.getByTestId('recent-notice').textContent()).toContain('Saved “Twenty-four units” in the model library.');
    expect((await rowTexts()).map((text) => text.split(' ReLU')[0])).toEqual(['784 → 32 → 10']);
    // The saved model is chosen, its details open.
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Twenty-four units' }).count()).toBe(1);
    expect(filesKept()).toBe(1);

    await rows().first().getByRole('button', { name: /^Drop the recent run 784-32-10/ }).click();
    await expect.poll(() => page.getByTestId('no-recent-runs').count()).toBe(1);
    expect(filesKept()).toBe(0);
    expect(await page.getByTestId('model-list').textContent()).toContain('Twenty-four units');
    await shoot('after-save-and-drop');
  });
});
