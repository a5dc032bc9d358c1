/**
 * The Perceptron and Backprop screens end to end in real Chromium, bridged to the real main-side
 * handlers: the perceptron steps through the blog preset and fails on XOR, which the small MLP
 * learns; the Backprop screen, with no trained model, checks an untrained network's gradients
 * (and catches broken ones), steps through the equations and zooms into units, drawing a unit of
 * the first layer as a 28×28 picture. Its images come from the real MNIST test split.
 * Any console error, page error, CSP violation, failed request or HTTP error fails the test.
 * Screenshots go to test-output/.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../src/main/datasets';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { createLabHandlers, type LabHandlers } from '../../src/main/handlers/ipc-handlers';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import { openAppPage, type AppPage } from './app-page';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { WORKER_PATH, requireBuiltAppAndBrowser } from './e2e-env';
import { imagesFrom } from './images-handler';
import { screenshotSizes } from './screenshots';

requireBuiltAppAndBrowser();

describe('Perceptron and Backprop screens in Chromium', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  const mnist = loadDatasetFolder(defaultMnistDir());

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;

    engine = createEngineSupervisor({ fork: () => forkNodeWorker(WORKER_PATH), emit: (event) => bridge.deliver(event) });
    const datasets = createDatasetsService({ builtInDir: defaultMnistDir(), load: loadDatasetFolder, chooseFolder: async () => null });
    const handlers: LabHandlers = createLabHandlers({ appPageUrl: app.url, datasets, engine });
    // No engine model yet: the Backprop screen must fall back to an untrained network. Its images
    // are the real MNIST test split's.
    handlers.getCurrentModel = async () => ({ ok: false, message: 'no model has been trained or loaded yet' });
    handlers.getImages = imagesFrom(mnist.test);
    bridge = await installLabBridge(page, handlers, (message) => app.problems.push(message));
    await page.goto(app.url);
  });

  afterAll(async () => {
    engine?.dispose();
    await app?.close();
  });

  const screenshot = (name: string, both = true, inView?: Locator) => screenshotSizes(page, name, both, inView);

  it('Perceptron: the blog preset converges step by step; XOR does not, and the MLP learns it', async () => {
    await page.getByRole('tab', { name: 'Perceptron' }).click();
    for (let i = 0; i < 5; i++) await page.getByTestId('perceptron-step').click();
    expect(await page.getByTestId('perceptron-last').textContent()).toMatch(/Point 5 \(y = [01]\): w·x \+ b = /);
    await page.getByTestId('perceptron-update').click();
    expect(await page.getByTestId('perceptron-last').textContent()).toMatch(/Mistake: w ← w [+−] η·x/);
    for (let i = 0; i < 3 && !(await page.getByTestId('perceptron-epoch').isDisabled()); i++) await page.getByTestId('perceptron-epoch').click();
    await expect.poll(() => page.getByTestId('perceptron-message').textContent()).toMatch(/^Converged in epoch [1-3]/);
    expect(await page.getByTestId('perceptron-epochs').locator('li').count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('mlp-play').click();
    await page.waitForTimeout(500);
    await page.getByTestId('mlp-play').click();
    await screenshot('30-perceptron-blog');

    await page.getByRole('button', { name: 'XOR' }).click();
    await page.getByLabel('Perceptron epochs').fill('20');
    await page.getByLabel('Perceptron learning rate').fill('0.1');
    const box = await page.getByTestId('perceptron-canvas').boundingBox();
    if (!box) throw new Error('no perceptron canvas');
    await page.getByTestId('perceptron-canvas').click({ position: { x: box.width / 2, y: box.height / 2 } });
    for (let i = 0; i < 20 && !(await page.getByTestId('perceptron-epoch').isDisabled()); i++) await page.getByTestId('perceptron-epoch').click();
    await expect.poll(() => page.getByTestId('perceptron-message').textContent()).toMatch(/^Did not converge.*cannot converge|never converge/);
    await page.getByTestId('mlp-play').click();
    await expect.poll(async () => Number(/accuracy ([\d.]+) %/.exec((await page.getByTestId('mlp-stats').textContent()) ?? '')?.[1] ?? 0), { timeout: 20_000 }).toBeGreaterThan(95);
    await page.getByTestId('mlp-play').click();
    await screenshot('31-perceptron-xor');
  });

  it('Backprop: an untrained network, labelled so; the check passes, fails when broken; steps show equations and numbers', async () => {
    await page.getByRole('tab', { name: 'Backprop' }).click();
    await expect.poll(() => page.getByTestId('model-source').textContent()).toMatch(/^\s*Untrained: a fresh 784-256-128-10 ReLU network from the Train form \(He init, seed \d+\), because no model has been trained or loaded yet\.\s*$/);
    await page.getByTestId('run-check').click();
    await expect.poll(() => page.getByTestId('check-table').locator('.mark').allTextContents(), { timeout: 30_000 }).toEqual(['✓ pass', '✓ pass', '✓ pass']);
    await page.getByTestId('break-mean').check();
    await page.getByTestId('run-check').click();
    await expect.poll(() => page.getByTestId('check-table').locator('.mark').allTextContents(), { timeout: 30_000 }).toEqual(['✗ fail', '✗ fail', '✗ fail']);
    await page.getByTestId('break-mean').uncheck();
    await page.getByLabel('Drop the derivative of').selectOption({ label: 'hidden layer 2' });
    await page.getByTestId('run-check').click();
    await expect.poll(() => page.getByTestId('check-table').locator('.mark').allTextContents(), { timeout: 30_000 }).toEqual(['✗ fail', '✗ fail', '✓ pass']);

    expect(await page.getByTestId('step-equation').textContent()).toBe('z₁ = x·W₁ + b₁');
    for (let i = 0; i < 7; i++) await page.getByTestId('step-next').click();
    expect(await page.getByTestId('step-equation').textContent()).toBe('δ₃ = ∂L/∂z₃ = p − onehot(y)');
    await page.getByTestId('step-next').click();
    expect(await page.getByTestId('step-detail').textContent()).toMatch(/∂L\/∂W₃ = a₂ᵀ·δ₃.*\(128×1\)·\(1×10\) → 128×10/s);
    // W₃'s columns are the output units: zoomed into by digit, 0–9.
    await page.getByLabel('Zoom into digit').fill('3');
    expect(await page.getByTestId('zoom-value').textContent()).toMatch(/^digit 3's column \(its 128 incoming numbers\)/);
    // ∂L/∂W₃'s rows are 128 hidden units, not pixels: no picture.
    await expect.poll(() => page.getByTestId('unit-picture').count()).toBe(0);
    await screenshot('40-backprop');
  });

  it('Backprop: zooming into a unit of W₁ or ∂L/∂W₁ also shows its 784 numbers as a 28×28 picture with a legend', async () => {
    const detail = page.getByTestId('step-detail');
    const picture = page.getByTestId('unit-picture');
    const goTo = async (title: string): Promise<void> => {
      await page.getByRole('button', { name: title, exact: true }).click();
      await expect.poll(() => detail.locator('h3').textContent()).toBe(title);
    };
    /** The canvas's own size, its drawn size on screen (inside its border), its image-rendering and how many colours its pixels have. */
    const canvasFacts = () =>
      page.getByTestId('unit-picture-canvas').evaluate((canvas: HTMLCanvasElement) => {
        // Read from a copy, so the app's canvas is never read back (Chromium warns when one is read twice).
        const copy = document.createElement('canvas');
        copy.width = canvas.width;
        copy.height = canvas.height;
        const context = copy.getContext('2d', { willReadFrequently: true });
        context?.drawImage(canvas, 0, 0);
        const data = context?.getImageData(0, 0, copy.width, copy.height).data ?? new Uint8ClampedArray();
        const colours = new Set<number>();
        for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return { width: canvas.width, height: canvas.height, shownWidth: canvas.clientWidth, shownHeight: canvas.clientHeight, rendering: getComputedStyle(canvas).imageRendering, colours: colours.size };
      });

    // The unit of layer 1 with the largest error δ₁, so that its gradient is not all zero (a ReLU off for this image would be).
    await goTo('Layer 1: error');
    await expect.poll(() => picture.count()).toBe(0);
    const unit = /Largest in size: unit (\d+) =/.exec((await detail.textContent()) ?? '')?.[1];
    if (!unit) throw new Error('no largest δ₁ unit');

    await goTo('Layer 1: weight gradient');
    await page.getByLabel('Zoom into unit').fill(unit);
    expect(await page.getByTestId('zoom-value').textContent()).toMatch(new RegExp(`^column ${unit} \\(unit ${unit}'s 784 incoming numbers\\): min .*, max .*`));
    await expect.poll(() => page.getByRole('figure', { name: `Unit ${unit}'s 784 incoming weight gradients (column ${unit} of ∂L/∂W₁) as a 28×28 image.`, exact: false }).count()).toBe(1);
    // The legend runs from −m to +m, m the column's largest |value|, as the zoom's min and max say.
    const [min, max] = /min (\S+), max (\S+),/.exec((await page.getByTestId('zoom-value').textContent()) ?? '')?.slice(1).map(Number) ?? [];
    const end = Math.max(Math.abs(min), Math.abs(max)).toPrecision(2);
    expect(Number(end)).toBeGreaterThan(0);
    await expect.poll(async () => (await picture.getByTestId('colour-legend').textContent())?.replace(/\s+/g, ' ').trim()).toBe(`−${end}0 gradient+${end}`);
    const gradient = await canvasFacts();
    expect(gradient).toMatchObject({ width: 28, height: 28, shownWidth: 140, shownHeight: 140, rendering: 'pixelated' });
    // The input digit times δ: white where there is no ink, one sign where there is.
    expect(gradient.colours).toBeGreaterThan(10);
    await screenshot('41-backprop-unit-gradient', true, picture);
    await page.setViewportSize({ width: 1024, height: 640 });
    const fits = await page.evaluate(() => {
      const figure = document.querySelector('[data-testid="unit-picture"]')?.getBoundingClientRect();
      const panel = document.querySelector('[data-testid="step-detail"]')?.getBoundingClientRect();
      return { page: document.documentElement.scrollWidth <= document.documentElement.clientWidth, figure: !!figure && !!panel && figure.right <= panel.right + 0.5 };
    });
    expect(fits).toEqual({ page: true, figure: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    await goTo('Layer 1: update');
    expect(await page.getByTestId('zoom-value').textContent()).toMatch(new RegExp(`^column ${unit} `));
    await expect.poll(() => page.getByRole('figure', { name: `Unit ${unit}'s 784 incoming weights (column ${unit} of new W₁) as a 28×28 image.`, exact: false }).count()).toBe(1);
    await expect.poll(() => picture.getByTestId('colour-legend').textContent()).toMatch(/0 weight/);
    const weights = await canvasFacts();
    expect(weights).toMatchObject({ width: 28, height: 28, shownWidth: 140, shownHeight: 140, rendering: 'pixelated' });
    expect(weights.colours).toBeGreaterThan(50);
    await screenshot('42-backprop-unit-weights', false, picture);

    // new W₂ is 256×128: its rows are hidden units, so there is no picture; nor for a vector.
    await goTo('Layer 2: update');
    await expect.poll(() => picture.count()).toBe(0);
    expect(await page.getByTestId('zoom-value').textContent()).toMatch(/^column \d+ \(unit \d+'s 256 incoming numbers\)/);
    await goTo('Layer 1: bias gradient');
    await expect.poll(() => picture.count()).toBe(0);
  });

  it('logged no console error, page error or CSP violation', async () => {
    await bridge.flushed();
    expect(app.problems).toEqual([]);
  });
});
