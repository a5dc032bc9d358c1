/**
 * Every screen as a class sees it on a projector, end to end in real Chromium with the real
 * handlers and worker (whole-app.ts): after a short real run, a saved model, an evaluation and an
 * opened study, each screen is walked at 1024×768 and every visible text node, SVG label and string
 * drawn on a canvas (chart ticks and legends included) must be at least 14 CSS pixels; at 150 % and
 * 200 % zoom every tab stays in view and nothing on any screen is cut off. Offenders are listed in
 * the failure message. Presentation mode (the toolbar's Present or F5) raises that floor to 18 px
 * on every screen, folds the Train settings behind a button, and asks for full screen through
 * window.lab; a stand-in window that behaves as Electron's (the change comes later, by event)
 * shows the page following the real state, also when the user leaves full screen with F11.
 * Screenshots go to test-output/ (readable-*.png, presenting-*.png).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';
import { describeCutOff, findCutOff } from './layout-audit';
import { CANVAS_TEXT_RECORDER, describeSmallText, findSmallText, resetCanvasText } from './text-audit';
import { openWholeApp, type WholeApp } from './whole-app';

requireBuiltAppAndBrowser();

/** Each test walks all 8 screens at one or more sizes: minutes on a crowded 2-core machine. */
const WALK = 600_000;

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
  }, WALK);

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
  }, WALK);

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
  }, WALK);

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
    }, WALK);
  }

  const presentButton = () => whole.page.getByRole('button', { name: 'Present' });
  const fullScreenButton = () => whole.page.getByRole('button', { name: 'Full screen' });
  const presenting = () => whole.page.evaluate(() => document.documentElement.hasAttribute('data-presenting'));

  it('presentation mode: the toolbar toggle gives every screen text of 18 px or more, charts too, and asks for full screen', async () => {
    await whole.setWindow(1024, 768);
    await whole.show('Train');
    expect(await presentButton().getAttribute('aria-pressed')).toBe('false');
    expect(await fullScreenButton().getAttribute('aria-pressed')).toBe('false');
    await resetCanvasText(whole.page);
    await presentButton().click();
    expect(await presenting()).toBe(true);
    expect(await presentButton().getAttribute('aria-pressed')).toBe('true');
    // Asked through window.lab; the page shows full screen once the window has entered it.
    expect(whole.window.requests).toEqual([true]);
    await expect.poll(() => fullScreenButton().getAttribute('aria-pressed')).toBe('true');
    expect(whole.window.isFullScreen()).toBe(true);

    const smallest: Record<string, number> = {};
    const problems: string[] = [];
    for (const [width, height] of [[1024, 768], [1920, 1080]] as const) {
      await whole.setWindow(width, height);
      for (const tab of tabs) {
        await whole.show(tab);
        await settle(whole);
        const { smallest: px, offenders } = await findSmallText(whole.page, 18);
        if (width === 1024) smallest[tab] = px;
        if (offenders.length > 0) problems.push(`${tab} at ${width}×${height}:\n${describeSmallText(offenders)}`);
        const cut = describeCutOff(await findCutOff(whole.page));
        if (cut !== '') problems.push(`${tab} at ${width}×${height} cut:\n${cut}`);
        await whole.screenshot(join(SCREENSHOTS, `presenting-${tab.toLowerCase()}-${width}x${height}.png`));
      }
    }
    console.log(`Smallest text per screen in presentation mode at 1024×768 (CSS px): ${JSON.stringify(smallest)}`);
    expect(problems.join('\n\n'), 'text under 18 px or cut off in presentation mode').toBe('');
  }, WALK);

  it('presentation mode folds the Train settings behind a visible button that opens them', async () => {
    await whole.setWindow(1024, 768);
    await whole.show('Train');
    const settings = whole.page.locator('#run-settings');
    const toggle = whole.page.getByTestId('settings-toggle');
    expect(await settings.isVisible()).toBe(false);
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-label')).toBe('Settings');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await settings.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await whole.page.getByLabel('Epochs').isVisible()).toBe(true);
    expect(describeCutOff(await findCutOff(whole.page))).toBe('');
    await whole.screenshot(join(SCREENSHOTS, 'presenting-train-settings-open-1024x768.png'));
    await toggle.click();
    expect(await settings.isVisible()).toBe(false);
  });

  it('the page follows the window: F11 leaves full screen, the button says so, presentation stays; a reload keeps both', async () => {
    whole.window.pressF11();
    await expect.poll(() => fullScreenButton().getAttribute('aria-pressed')).toBe('false');
    expect(await presenting()).toBe(true);
    // The toolbar's full-screen button asks again, and follows the window once more.
    await fullScreenButton().click();
    await expect.poll(() => fullScreenButton().getAttribute('aria-pressed')).toBe('true');
    // A reload keeps presentation mode (this session's choice) and reads the window's real state.
    await whole.page.reload();
    await whole.page.waitForLoadState('networkidle');
    expect(await presenting()).toBe(true);
    await expect.poll(() => fullScreenButton().getAttribute('aria-pressed')).toBe('true');
    await whole.show('Train');
  });

  it('F5 turns presentation mode off and leaves full screen; Esc with no run going leaves full screen', async () => {
    const requestsBefore = whole.window.requests.length;
    await whole.page.locator('body').press('F5');
    expect(await presenting()).toBe(false);
    await expect.poll(() => fullScreenButton().getAttribute('aria-pressed')).toBe('false');
    expect(whole.window.requests.slice(requestsBefore)).toEqual([false]);
    expect(await whole.page.locator('#run-settings').isVisible()).toBe(true);
    // Back on, then Esc (no run is going) leaves full screen but keeps the large type.
    await whole.page.locator('body').press('F5');
    await expect.poll(() => fullScreenButton().getAttribute('aria-pressed')).toBe('true');
    await whole.page.locator('body').press('Escape');
    await expect.poll(() => fullScreenButton().getAttribute('aria-pressed')).toBe('false');
    expect(await presenting()).toBe(true);
    await whole.page.locator('body').press('F5');
    expect(await presenting()).toBe(false);
  });
});
