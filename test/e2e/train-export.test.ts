/**
 * The Train screen's exports end to end in real Chromium: a real two-epoch run on MNIST, then its
 * per-iteration and per-epoch metrics saved as CSV and both charts as PNG through `exportFile` (the
 * Experiments screen's way: the renderer makes the bytes, main asks where and writes them
 * atomically). The files are read back: every minibatch and epoch is in the CSV, with the numbers the
 * screen shows, and the PNGs are pictures of the charts' size.
 *
 * Needs `npm run build` first (`npm test` does it). Screenshots go to test-output/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openExperimentsApp, type ExperimentsApp } from './experiments-app';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

describe('Train screen exports in Chromium, with the real handlers and worker', () => {
  let lab: ExperimentsApp;

  beforeAll(async () => {
    lab = await openExperimentsApp('mlp-lab-e2e-train-export-');
  });
  afterEach(() => {
    expect(lab.app.problems).toEqual([]);
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('saves the run\'s iterations and epochs as CSV and both charts as PNG', async () => {
    const { page } = lab;
    await expect.poll(() => page.locator('#dataset-note').textContent()).toMatch(/60,000 training/);
    // Before a run there is nothing to export.
    expect(await page.getByRole('button', { name: 'Iterations CSV' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Epochs CSV' }).isDisabled()).toBe(true);

    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill('16');
    await page.getByLabel('Epochs').fill('2');
    await page.getByLabel('Batch size').fill('500');
    await page.getByTestId('train').click();
    await expect.poll(() => page.getByTestId('status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('completed');

    await page.getByRole('button', { name: 'Iterations CSV' }).click();
    await expect.poll(() => page.getByTestId('train-export-note').textContent()).toMatch(/^Saved .*run-784-16-10-relu-iterations\.csv$/);
    const iterations = readFileSync(lab.exported.at(-1) ?? '', 'utf8').split('\r\n');
    expect(iterations[0]).toBe('iteration,epoch,loss,accuracy');
    // 60 000 images in minibatches of 500: 120 a epoch, 240 in all, and a final empty line.
    expect(iterations).toHaveLength(1 + 240 + 1);
    expect(iterations[1]).toMatch(/^1,1,[\d.]+,[\d.]+$/);
    expect(iterations[121]).toMatch(/^121,2,[\d.]+,[\d.]+$/);
    expect(iterations[240]).toMatch(/^240,2,[\d.]+,[\d.]+$/);
    expect(iterations[241]).toBe('');

    await page.getByRole('button', { name: 'Epochs CSV' }).click();
    await expect.poll(() => lab.exported.at(-1) ?? '').toMatch(/run-784-16-10-relu-epochs\.csv$/);
    const epochs = readFileSync(lab.exported.at(-1) ?? '', 'utf8').trim().split('\r\n');
    expect(epochs[0]).toBe('epoch,trainLoss,trainAccuracy,testLoss,testAccuracy,seconds,samplesPerSecond');
    expect(epochs).toHaveLength(3);
    const last = epochs[2].split(',').map(Number);
    expect(last[0]).toBe(2);
    // The test accuracy in the file is the one the screen reports, to its shown precision.
    const shown = (await page.getByTestId('status').textContent()) ?? '';
    expect(shown).toContain(`test accuracy ${(last[4] * 100).toFixed(2)} %`);

    for (const chart of ['iteration', 'epoch'] as const) {
      await page.getByRole('button', { name: chart === 'iteration' ? 'Iteration chart PNG' : 'Epoch chart PNG' }).click();
      await expect.poll(() => lab.exported.at(-1) ?? '').toMatch(new RegExp(`run-784-16-10-relu-${chart}-chart\\.png$`));
      const png = PNG.sync.read(readFileSync(lab.exported.at(-1) ?? ''));
      const size = await page.getByTestId(`${chart}-chart`).evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
      expect([png.width, png.height]).toEqual(size);
      // Not a blank picture: the background and the drawn curves differ.
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
      expect(colours.size).toBeGreaterThan(5);
    }
    expect(lab.exported).toHaveLength(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'train-export-1280x800.png') });
  });
});
