/**
 * Issue 13, item 7, end to end in Chromium with every handler real, on a small MNIST: the Backprop
 * step-through says in one sentence when its network is untrained; with a trained model it opens
 * on the first test image the network gets wrong or is unsure about; output units are named by
 * their digit (0–9) and hidden units counted from 1, as on the Weights screen; test images are
 * numbered as on the Data and Evaluate screens. Screenshots at 1024×768, 1280×800 and 1920×1080 in
 * both themes go to test-output/.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openClassroomApp, type ClassroomApp } from './classroom-app';
import { screenshotBothThemes } from './classroom-shots';
import { requireBuiltAppAndBrowser } from './e2e-env';

requireBuiltAppAndBrowser();

describe('Backprop step-through for a class: digits, units, a telling image', () => {
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
  const source = () => page.getByTestId('model-source').textContent();
  const goTo = async (title: string): Promise<void> => {
    await page.getByRole('button', { name: title, exact: true }).click();
    await expect.poll(() => page.getByTestId('step-detail').locator('h3').textContent()).toBe(title);
  };

  it('says in one sentence that the network is untrained, and why', async () => {
    await tab('Backprop');
    await expect.poll(source).toMatch(/^\s*Untrained: a fresh 784-256-128-10 ReLU network from the Train form \(He init, seed \d+\), because there is no model yet: train one on the Train screen or load one on the Models screen\.\s*$/);
    expect(((await source()) ?? '').match(/\.(\s|$)/g)).toHaveLength(1);
    await screenshotBothThemes(page, 'backprop-7-untrained');
  });

  it('opens a trained model on the first test image it gets wrong or is unsure about', async () => {
    await tab('Train');
    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill('32');
    await page.getByLabel('Epochs').fill('2');
    await page.getByLabel('Batch size').fill('64');
    await page.getByTestId('train').click();
    await expect.poll(() => page.getByTestId('status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('completed');

    await tab('Backprop');
    await page.getByRole('button', { name: 'Reload current model' }).click();
    await expect.poll(source, { timeout: 20_000 }).toMatch(/^\s*Network: the model from training: 784-32-10, ReLU, 2 epochs trained/);
    const reason = (await page.getByTestId('opening-reason').textContent()) ?? '';
    expect(reason).toMatch(/Opened on the first test image the network (gets wrong|is unsure about \(p below 0\.9\))/);
    const summary = (await page.getByTestId('trace-summary').textContent()) ?? '';
    const [, index, label, said, p] = /Test image (\d+), label y = (\d); the network says (\d) \(p = ([\d.e-]+)\)/.exec(summary) ?? [];
    expect(index).toBeDefined();
    if (/gets wrong/.test(reason)) expect(said).not.toBe(label);
    else {
      expect(said).toBe(label);
      expect(Number(p)).toBeLessThan(0.9);
    }
    // Its thumbnail is the one selected, named by the test image's own index (as Data and Evaluate number them).
    expect(await page.getByRole('button', { name: `Test image ${index}, a ${label}` }).getAttribute('aria-pressed')).toBe('true');

    // The output error is named by digit: the true digit's bar is the negative one, p_y − 1.
    await goTo('Output error');
    const bars = page.getByTestId('tensor-view').locator('.bars li');
    expect(await bars.locator('.index').allTextContents()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const negative = await bars.evaluateAll((items) => items.map((li) => li.querySelector('.bar.negative') !== null));
    expect(negative.indexOf(true)).toBe(Number(label));
    expect(negative.filter(Boolean)).toHaveLength(1);
    // The error is not the 1e-5 of an image the network is sure of.
    const truthError = Number(await bars.nth(Number(label)).locator('.value').textContent());
    expect(Math.abs(truthError)).toBeGreaterThan(0.1);
    await page.getByLabel('Zoom into digit').fill(label);
    expect(Number(await page.getByTestId('zoom-value').textContent())).toBeCloseTo(truthError, 3);
    await screenshotBothThemes(page, 'backprop-7-output-error');

    // Hidden units are counted from 1, as the Weights screen counts its tiles.
    await goTo('Layer 1: activation');
    expect(await page.getByTestId('step-detail').textContent()).toMatch(/Largest in size: unit \d+ = /);
    await page.getByLabel('Zoom into unit').fill('1');
    expect(await page.getByLabel('Zoom into unit').getAttribute('min')).toBe('1');
    await goTo('Layer 2: weight gradient');
    expect(await page.getByTestId('step-detail').textContent()).toMatch(/Largest in size: row \d+, digit \d = /);
  });
});
