/**
 * Weights and Backprop after a real one-epoch run, as a class sees them, end to end in real
 * Chromium with the real handlers and worker (whole-app.ts): the Weights screen counts "1 epoch
 * done" in the singular; presenting on a 1024×768 projector, Backprop's step-through takes the
 * full width and comes first, above the gradient check, with nothing cut and no text under 18 px,
 * while at 1280×800 the two stay side by side. Screenshots go to test-output/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';
import { describeCutOff, findCutOff } from './layout-audit';
import { CANVAS_TEXT_RECORDER, describeSmallText, findSmallText } from './text-audit';
import { openWholeApp, type WholeApp } from './whole-app';

requireBuiltAppAndBrowser();

describe('Weights and Backprop after a one-epoch run, presenting and not, in Chromium', () => {
  let whole: WholeApp;

  beforeAll(async () => {
    whole = await openWholeApp(async (page) => {
      await page.addInitScript({ content: CANVAS_TEXT_RECORDER });
    });
    await whole.fillEveryScreen();
  }, 240_000);

  afterAll(async () => {
    await whole?.close();
  });

  it('the Weights screen says "1 epoch done", not "1 epochs"', async () => {
    await whole.show('Weights');
    expect(await whole.page.getByTestId('weights-source').textContent()).toMatch(/· from the last run · 1 epoch done$/);
  });

  /** The step-through's and the gradient check's boxes on the Backprop screen. */
  const parts = async () => {
    const steps = await whole.page.locator('section[aria-labelledby="steps-title"]').boundingBox();
    const check = await whole.page.locator('section[aria-labelledby="gradcheck-title"]').boundingBox();
    if (!steps || !check) throw new Error('Backprop shows neither the step-through nor the gradient check');
    return { steps, check };
  };

  it('presenting at 1024×768, the step-through has the full width, above the gradient check; at 1280×800 they sit side by side', async () => {
    await whole.page.getByRole('button', { name: 'Present' }).click();
    await whole.page.waitForFunction(() => document.documentElement.hasAttribute('data-presenting'));
    await whole.setWindow(1024, 768);
    await whole.show('Backprop');
    const narrow = await parts();
    expect(narrow.steps.y + narrow.steps.height).toBeLessThanOrEqual(narrow.check.y);
    expect(Math.abs(narrow.steps.width - narrow.check.width)).toBeLessThanOrEqual(1);
    expect(describeCutOff(await findCutOff(whole.page))).toBe('');
    expect(describeSmallText((await findSmallText(whole.page, 18)).offenders)).toBe('');
    await whole.screenshot(join(SCREENSHOTS, 'presenting-backprop-step-first-1024x768.png'));

    await whole.setWindow(1280, 800);
    const wide = await parts();
    expect(wide.check.x + wide.check.width).toBeLessThanOrEqual(wide.steps.x);
    expect(Math.abs(wide.check.y - wide.steps.y)).toBeLessThanOrEqual(1);

    await whole.page.getByRole('button', { name: 'Present' }).click();
    await whole.page.waitForFunction(() => !document.documentElement.hasAttribute('data-presenting'));
    await whole.setWindow(1024, 768);
    const plain = await parts();
    expect(plain.check.x + plain.check.width).toBeLessThanOrEqual(plain.steps.x);
    expect(whole.app.problems).toEqual([]);
  }, 60_000);
});
