/**
 * The end-to-end bridge itself: what a handler answers reaches the page as Electron's structured
 * clone would hand it over (typed arrays whole, of their own kind, with their bytes; NaN and nested
 * arrays as sent), large typed arrays by a fetch from the page's own origin, each served once.
 *
 * Needs `npm run build` first (`npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabHandlers } from '../../src/main/handlers/ipc-handlers';
import type { RunEvent } from '../../src/shared/lab-api';
import { openAppPage, type AppPage } from './app-page';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

/** 300 000 weights (1.2 MB: fetched from the shelf) and a 784-byte image (inline). */
const weights = Float32Array.from({ length: 300_000 }, (_, i) => Math.sin(i) * 1e-3);
const pixels = Uint8Array.from({ length: 784 }, (_, i) => (i * 7) % 256);

describe('the end-to-end bridge in Chromium', () => {
  let app: AppPage;
  let bridge: LabBridge;
  const shelfRequests: string[] = [];

  beforeAll(async () => {
    app = await openAppPage();
    const handlers = {
      getCurrentModel: async () => ({ ok: true, weights: [{ inputs: 3, outputs: 100_000, weights, biases: new Float32Array([1, Number.NaN, -0]) }], extra: [[1, 2], [Number.NaN]] }),
      getImages: async () => ({ ok: true, images: [{ label: 3, pixels }, { label: 4, pixels: pixels.subarray(10, 20) }] }),
    } as unknown as LabHandlers;
    bridge = await installLabBridge(app.page, handlers, (message) => app.problems.push(message));
    app.page.on('request', (request) => {
      if (request.url().includes('/__lab-bytes/')) shelfRequests.push(request.url());
    });
    // A page of the app's origin without the app, so only these handlers are asked.
    await app.page.goto(`${app.server.origin}/favicon.svg`);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('hands a large Float32Array over whole, fetched once from the page origin, beside NaN and -0', async () => {
    const seen = (await app.page.evaluate(`(async () => {
      const answer = await window.lab.getCurrentModel();
      const layer = answer.weights[0];
      let sum = 0;
      for (const w of layer.weights) sum += w;
      return {
        kind: layer.weights.constructor.name, length: layer.weights.length, sum, at: [layer.weights[0], layer.weights[12345], layer.weights[299999]],
        biases: [layer.biases.constructor.name, layer.biases[0], Number.isNaN(layer.biases[1]), Object.is(layer.biases[2], -0)],
        extra: [answer.extra[0], Number.isNaN(answer.extra[1][0])],
      };
    })()`)) as { kind: string; length: number; sum: number; at: number[]; biases: unknown[]; extra: unknown[] };
    expect(seen.kind).toBe('Float32Array');
    expect(seen.length).toBe(300_000);
    expect(seen.at).toEqual([weights[0], weights[12345], weights[299999]]);
    expect(seen.sum).toBeCloseTo(weights.reduce((a, b) => a + b, 0), 6);
    expect(seen.biases).toEqual(['Float32Array', 1, true, true]);
    expect(seen.extra).toEqual([[1, 2], true]);
    // One fetch, for the weights; the 3 biases rode inline.
    expect(shelfRequests).toHaveLength(1);
    // Served once: asking again finds nothing.
    expect((await fetch(shelfRequests[0])).status).toBe(404);
  });

  it('hands small typed arrays and views of a larger buffer over inline, with their own bytes', async () => {
    const before = shelfRequests.length;
    const seen = (await app.page.evaluate(`window.lab.getImages().then((a) => a.images.map((i) => [i.label, i.pixels.constructor.name, Array.from(i.pixels)]))`)) as [number, string, number[]][];
    expect(seen).toEqual([
      [3, 'Uint8Array', Array.from(pixels)],
      [4, 'Uint8Array', Array.from(pixels.subarray(10, 20))],
    ]);
    expect(shelfRequests.length).toBe(before);
  });

  it('delivers run events with their numbers as sent', async () => {
    await app.page.evaluate(`(() => { window.__seen = []; window.lab.onRunEvent((e) => window.__seen.push(e)); })()`);
    bridge.deliver({ type: 'paused', runId: 7 } as RunEvent);
    await bridge.flushed();
    expect(await app.page.evaluate(`window.__seen`)).toEqual([{ type: 'paused', runId: 7 }]);
    // The browser asks for /favicon.ico beside the bare SVG page (a 404 it logs); nothing else failed.
    expect(app.problems.filter((p) => p !== 'console error: Failed to load resource: the server responded with a status of 404 (Not Found)')).toEqual([]);
  });
});
