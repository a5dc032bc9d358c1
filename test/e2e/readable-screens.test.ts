/**
 * Every screen as a class sees it on a projector, end to end in real Chromium with the real
 * handlers and worker (whole-app.ts): after a short real run, a saved model, an evaluation and an
 * opened study, each screen is walked at 1024×768 and every visible text node, SVG label and string
 * drawn on a canvas (chart ticks and legends included) must be at least 14 CSS pixels; at 150 % and
 * 200 % zoom every tab stays in view and nothing on any screen is cut off. Offenders are listed in
 * the failure message. Screenshots go to test-output/ (readable-*.png).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';
import { describeCutOff, findCutOff } from './layout-audit';
import { CANVAS_TEXT_RECORDER, describeSmallText, findSmallText } from './text-audit';
import { openWholeApp, type WholeApp } from './whole-app';

requireBuiltAppAndBrowser();

/** Lets charts and canvases redraw after a screen or size change. */
const settle = (whole: WholeApp) => whole.page.waitForTimeout(300);

describe('Every screen is readable on a projector and nothing is cut off, in Chromium', () => {
  let whole: WholeApp;
  let tabs: string[];

  beforeAll(async () => {
    whole = await openWholeApp(async (page) => {
      await page.addInitScript({ content: CANVAS_TEXT_RECORDER });
    });
    await whole.fillEveryScreen();
    tabs = await whole.tabs();
  }, 120_000);

  afterEach(() => {
    expect(whole.app.problems).toEqual([]);
  });

  afterAll(async () => {
    await whole?.close();
  });

  it('at 1024×768 no text on any screen is under 14 px, charts and canvases included', async () => {
    await whole.setWindow(1024, 768);
    expect(tabs).toEqual(['Train', 'Weights', 'Data', 'Evaluate', 'Models', 'Experiments', 'Perceptron', 'Backprop']);
    const smallest: Record<string, number> = {};
    const problems: string[] = [];
    for (const tab of tabs) {
      await whole.show(tab);
      await settle(whole);
      const { smallest: px, offenders } = await findSmallText(whole.page, 14);
      smallest[tab] = px;
      if (offenders.length > 0) problems.push(`${tab}:\n${describeSmallText(offenders)}`);
      await whole.screenshot(join(SCREENSHOTS, `readable-${tab.toLowerCase()}-1024x768.png`));
    }
    console.log(`Smallest text per screen at 1024×768 (CSS px): ${JSON.stringify(smallest)}`);
    expect(problems.join('\n\n'), 'text under 14 px').toBe('');
    expect(Math.min(...Object.values(smallest))).toBeGreaterThanOrEqual(14);
  });

  it('at 1280×800 and 1920×1080 every screen is laid out without a cut', async () => {
    for (const [width, height] of [[1280, 800], [1920, 1080]] as const) {
      await whole.setWindow(width, height);
      for (const tab of tabs) {
        await whole.show(tab);
        await settle(whole);
        expect(describeCutOff(await findCutOff(whole.page)), `${tab} at ${width}×${height}`).toBe('');
        await whole.screenshot(join(SCREENSHOTS, `readable-${tab.toLowerCase()}-${width}x${height}.png`));
      }
    }
  });

  for (const [width, height, zoom] of [[1024, 768, 2], [1280, 800, 1.5], [1024, 768, 1.5]] as const) {
    it(`at ${width}×${height} and ${zoom * 100} % zoom every tab is in view and no screen is cut off`, async () => {
      await whole.setWindow(width, height, zoom);
      for (const tab of tabs) {
        await whole.show(tab);
        await settle(whole);
        const tabsOutOfView = await whole.page.getByRole('tab').evaluateAll((elements) =>
          elements
            .filter((element) => {
              const rect = element.getBoundingClientRect();
              const inWindow = rect.left >= 0 && rect.right <= document.documentElement.clientWidth && rect.top >= 0;
              const onTop = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
              return !inWindow || onTop === null || !element.contains(onTop);
            })
            .map((element) => element.textContent?.trim()),
        );
        expect(tabsOutOfView, `tabs out of view on ${tab}`).toEqual([]);
        expect(describeCutOff(await findCutOff(whole.page)), `${tab} at ${zoom * 100} %`).toBe('');
        // Horizontally the screen fits: nothing to scroll sideways to.
        const sideways = await whole.page.locator('[data-screen] > *').evaluate((root) => root.scrollWidth - root.clientWidth);
        expect(sideways, `${tab} scrolls sideways`).toBeLessThanOrEqual(1);
        const name = `readable-${tab.toLowerCase()}-${width}x${height}-zoom${zoom * 100}`;
        await whole.screenshot(join(SCREENSHOTS, `${name}.png`));
      }
    });
  }
});
