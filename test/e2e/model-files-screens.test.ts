/**
 * Models that leave the lab and pictures that come in, end to end in real Chromium with the real
 * handlers, model store and worker: a model trained on MNIST is exported as ONNX through the
 * (fake) native dialog and runs in ONNX Runtime; the .onnx file imports back into the library, and
 * a convolutional one is refused naming its node; PNG and JPEG pictures dropped on draw-a-digit are
 * classified, and a file that is no picture is refused with a message.
 *
 * Needs `npm run build` first (`npm test` does it). Screenshots go to test-output/.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ONNX_FLOAT } from '../../src/engine/files/onnx-graph';
import type { EngineSupervisor } from '../../src/node/engine-supervisor';
import { encodeOnnx } from '../../src/node/onnx/onnx-codec';
import { ellipse, jpegBytes, mnistDigit, paint, pngBytes, strokes, type Page as PicturePage } from '../helpers/digit-pictures';
import { mnist } from '../helpers/mnist';
import { openAppPage, type AppPage } from './app-page';
import { bridgeLabServices } from './lab-services';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

describe('ONNX export and import, and pictures dropped on draw-a-digit, in Chromium', () => {
  let app: AppPage;
  let page: Page;
  let engine: EngineSupervisor;
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-files-'));
  /** What the fake native dialogs answer next; null is Cancel. */
  let nextExport: string | null = null;
  let nextImport: string | null = null;

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;
    ({ engine } = await bridgeLabServices(app, {
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

  /** Drops a file with these bytes on the draw pad, as a user dragging it from a file manager. */
  async function dropOnPad(name: string, type: string, bytes: Uint8Array): Promise<void> {
    const transfer = await page.evaluateHandle(
      ({ name, type, data }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name, { type }));
        return transfer;
      },
      { name, type, data: Array.from(bytes) },
    );
    await page.getByTestId('draw-pad').dispatchEvent('drop', { dataTransfer: transfer });
  }

  it('trains a model; pictures dropped on draw-a-digit are read as their digit; a text file is refused', async () => {
    await tab('Train');
    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill('64');
    await page.getByLabel('Epochs').fill('2');
    await page.getByTestId('train').click();
    await expect.poll(() => page.getByTestId('status').getAttribute('data-phase'), { timeout: 90_000 }).toBe('completed');

    await tab('Evaluate');
    const pad = page.getByTestId('draw-pad');
    await pad.scrollIntoViewIfNeeded();
    const test = mnist().test;
    const firstOf = (digit: number): number => test.labels.indexOf(digit);

    // An MNIST 3 blown up, dark on light, as a JPEG of odd size.
    let sheet: PicturePage = { width: 210, height: 150, ink: [0, 0, 0], paper: [250, 250, 245] };
    await dropOnPad('three.jpg', 'image/jpeg', jpegBytes(paint(mnistDigit(test, firstOf(3), { left: 60, top: 10, width: 120, height: 130 }), sheet), sheet.width, sheet.height));
    await expect.poll(() => page.getByTestId('picture-source').textContent()).toMatch(/From three\.jpg \(210×150, dark on light, inverted\)/);
    await expect.poll(() => page.getByTestId('prediction').textContent(), { timeout: 10_000 }).toMatch(/It's a 3/);
    await page.screenshot({ path: join(SCREENSHOTS, 'files-1-dropped-picture-1280x800.png') });

    // A 0 drawn as a ring in white chalk on a green board, as a PNG.
    sheet = { width: 120, height: 160, ink: [255, 255, 255], paper: [20, 70, 40] };
    await dropOnPad('zero.png', 'image/png', pngBytes(paint(strokes([ellipse(60, 80, 30, 50)], 8), sheet), sheet.width, sheet.height));
    await expect.poll(() => page.getByTestId('picture-source').textContent()).toMatch(/From zero\.png \(120×160, light on dark\)/);
    await expect.poll(() => page.getByTestId('prediction').textContent(), { timeout: 10_000 }).toMatch(/It's a 0/);

    await dropOnPad('notes.txt', 'text/plain', new TextEncoder().encode('hello'));
    await expect.poll(() => page.getByTestId('drop-problem').textContent()).toBe('notes.txt is not a PNG or JPEG picture.');
    // The picture shown before stays, with its answer.
    expect(await page.getByTestId('prediction').textContent()).toMatch(/It's a 0/);
    await dropOnPad('broken.png', 'image/png', new TextEncoder().encode('not really a png'));
    await expect.poll(() => page.getByTestId('drop-problem').textContent()).toBe('broken.png could not be decoded as a picture.');

    // Drawing again replaces the picture.
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.getByTestId('prediction').textContent()).toMatch(/No drawing yet/);
    expect(await page.getByTestId('picture-source').count()).toBe(0);
  });

  it('exports a saved model as ONNX that ONNX Runtime runs; imports it back; refuses a convolution by its node', async () => {
    await tab('Models');
    await page.getByLabel('Save the current model as').fill('Digits');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toBe('Saved “Digits”.');
    await page.getByRole('button', { name: 'Digits' }).click();

    nextExport = join(scratch, 'digits.onnx');
    await page.getByRole('button', { name: 'Export as ONNX…' }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toBe(`Exported as ONNX to ${nextExport}.`);
    expect(existsSync(nextExport)).toBe(true);
    const session = await ort.InferenceSession.create(nextExport);
    const test = mnist().test;
    const images = Float32Array.from(test.images.subarray(0, 100 * 784), (v) => v / 255);
    const result = await session.run({ image: new ort.Tensor('float32', images, [100, 784]) });
    const probabilities = result.probabilities.data as Float32Array;
    let right = 0;
    for (let i = 0; i < 100; i++) {
      const row = Array.from(probabilities.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === test.labels[i]) right++;
    }
    expect(right).toBeGreaterThan(85);
    await session.release();

    nextImport = nextExport;
    await page.getByRole('button', { name: 'Import…' }).click();
    await expect.poll(() => page.getByTestId('model-list').locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('model-list').textContent()).toMatch(/digits784 → 64 → 10ReLU.*imported from ONNX \(MLP Lab/);

    // A graph whose first node is a convolution.
    const conv = join(scratch, 'conv.onnx');
    const weight = { name: 'conv.weight', dims: [4, 1, 3, 3], dataType: ONNX_FLOAT, data: new Float32Array(36) };
    writeFileSync(
      conv,
      encodeOnnx({
        irVersion: 8,
        opset: 17,
        producerName: 'pytorch',
        producerVersion: '2.1.0',
        metadata: [],
        graph: {
          name: 'main_graph',
          docString: '',
          nodes: [{ name: '/conv1/Conv', opType: 'Conv', domain: '', inputs: ['input', 'conv.weight'], outputs: ['out'], attributes: [] }],
          initializers: [weight],
          inputs: [{ name: 'input', elemType: ONNX_FLOAT, shape: ['N', 1, 28, 28] }],
          outputs: [{ name: 'out', elemType: ONNX_FLOAT, shape: null }],
        },
      }),
    );
    nextImport = conv;
    await page.getByRole('button', { name: 'Import…' }).click();
    await expect.poll(() => page.getByTestId('models-notice').textContent()).toMatch(/conv\.onnx cannot be imported: node "\/conv1\/Conv" \(Conv\) is not a dense layer/);
    expect(await page.getByTestId('model-list').locator('tbody tr').count()).toBe(2);
    expect(readFileSync(conv).length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'files-2-models-onnx-1280x800.png') });
  });
});
