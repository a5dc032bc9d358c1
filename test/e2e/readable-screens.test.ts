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
 * Presenting, each screen's main content shows in the first 1024×768 window, and at 150 % and 200 %
 * zoom nothing is cut. What opens over or beside a screen (the lessons menu, a playing lesson, the
 * lesson editor, the shortcut list) is held to the same floors at every size and zoom.
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

  /** The tabs not wholly in the window, or covered by something else. */
  const tabsOutOfView = () =>
    whole.page.getByRole('tab').evaluateAll((elements) =>
      elements
        .filter((element) => {
          const rect = element.getBoundingClientRect();
          const inWindow = rect.left >= 0 && rect.right <= document.documentElement.clientWidth && rect.top >= 0;
          const onTop = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
          return !inWindow || onTop === null || !element.contains(onTop);
        })
        .map((element) => element.textContent?.trim()),
    );

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
        expect(await tabsOutOfView(), `tabs out of view on ${tab}`).toEqual([]);
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
    for (const [width, height] of [[1024, 768], [1280, 800], [1920, 1080]] as const) {
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

  it('presenting on a 1024×768 projector, each screen shows its main content in the first window, not below a stretched form', async () => {
    await whole.setWindow(1024, 768);
    const mainContent: [tab: string, what: string][] = [
      ['Data', '[data-testid="gallery"]'],
      ['Perceptron', '[data-testid="perceptron-canvas"]'],
      ['Experiments', '[data-testid="study-chart"]'],
      ['Models', '[data-testid="recent-runs"]'],
    ];
    for (const [tab, what] of mainContent) {
      await whole.show(tab);
      await settle(whole);
      const box = await whole.page.locator(what).boundingBox();
      // At least 300 px of it (or all of it, if smaller) shows without scrolling.
      const shown = box === null ? 0 : Math.min(box.y + box.height, 768) - Math.max(box.y, 0);
      expect(shown, `${tab}: ${what} at ${JSON.stringify(box)}`).toBeGreaterThanOrEqual(Math.min(300, box?.height ?? 300));
    }
    await whole.screenshot(join(SCREENSHOTS, 'presenting-main-content-1024x768.png'));
  }, WALK);

  it('presenting at 150 % and 200 % zoom on 1280×800, every tab is in view and no screen is cut off', async () => {
    if (!(await presenting())) await presentButton().click();
    const problems: string[] = [];
    for (const zoom of [1.5, 2]) {
      await whole.setWindow(1280, 800, zoom);
      for (const tab of tabs) {
        await whole.show(tab);
        await settle(whole);
        const outOfView = await tabsOutOfView();
        if (outOfView.length > 0) problems.push(`${tab} at ${zoom * 100} %: tabs out of view: ${outOfView.join(', ')}`);
        const cut = describeCutOff(await findCutOff(whole.page));
        if (cut !== '') problems.push(`${tab} at ${zoom * 100} % cut:\n${cut}`);
        await whole.screenshot(join(SCREENSHOTS, `presenting-${tab.toLowerCase()}-1280x800-zoom${zoom * 100}.png`));
      }
    }
    expect(problems.join('\n\n'), 'presenting at 150 % and 200 % zoom').toBe('');
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

  /** What opens over or beside a screen: each is opened, measured at every size, then closed. */
  const overlays: { name: string; open(): Promise<void>; close(): Promise<void> }[] = [
    {
      name: 'lessons-menu',
      open: async () => {
        await whole.show('Data');
        await whole.page.getByRole('button', { name: 'Lessons ▾' }).click();
      },
      close: () => whole.page.keyboard.press('Escape'),
    },
    {
      // The perceptron lesson hides the MLP panel: the perceptron takes the screen's whole width.
      name: 'lesson-player',
      open: async () => {
        await whole.page.getByRole('button', { name: 'Lessons ▾' }).click();
        await whole.page.getByRole('button', { name: 'The perceptron and its boundary', exact: true }).click();
        await whole.page.getByTestId('lesson-panel').waitFor();
        await expect.poll(() => whole.page.locator('[data-screen]').getAttribute('data-screen')).toBe('perceptron');
      },
      close: async () => {
        await whole.page.getByRole('button', { name: 'Leave lesson' }).click();
        await whole.page.getByTestId('lesson-panel').waitFor({ state: 'detached' });
      },
    },
    {
      name: 'lesson-editor',
      open: async () => {
        await whole.show('Data');
        await whole.page.getByRole('button', { name: 'Lessons ▾' }).click();
        await whole.page.getByRole('button', { name: 'Edit a copy of Your first MLP on MNIST' }).click();
        await whole.page.getByTestId('lesson-editor').waitFor();
      },
      close: async () => {
        await whole.page.getByTestId('lesson-editor').getByRole('button', { name: 'Close', exact: true }).click();
        const discard = whole.page.getByTestId('lesson-discard-dialog').getByRole('button', { name: 'Discard changes' });
        if (await discard.isVisible()) await discard.click();
        await whole.page.getByTestId('lesson-editor').waitFor({ state: 'detached' });
      },
    },
    {
      name: 'shortcuts',
      open: async () => {
        await whole.show('Data');
        await whole.page.getByTestId('shortcuts-button').click();
        await whole.page.getByTestId('shortcuts-dialog').waitFor();
      },
      close: () => whole.page.keyboard.press('Escape'),
    },
  ];

  it('the lessons menu, a playing lesson, the lesson editor and the shortcut list: large enough, never cut, at every size and zoom, presenting or not', async () => {
    const problems: string[] = [];
    const smallest: Record<string, number> = {};
    for (const presentingNow of [false, true]) {
      if ((await presenting()) !== presentingNow) await presentButton().click();
      for (const overlay of overlays) {
        await whole.setWindow(1280, 800);
        await overlay.open();
        for (const [width, height, zoom] of [[1024, 768, 1], [1280, 800, 1], [1920, 1080, 1], [1280, 800, 1.5], [1280, 800, 2]] as const) {
          await whole.setWindow(width, height, zoom);
          await settle(whole);
          const where = `${overlay.name}${presentingNow ? ' presenting' : ''} at ${width}×${height}${zoom === 1 ? '' : ` and ${zoom * 100} %`}`;
          // The floor: 18 px presenting at any size, 14 px otherwise (measured at 1024×768, where type is smallest).
          if (zoom === 1 && (presentingNow || width === 1024)) {
            const { smallest: px, offenders } = await findSmallText(whole.page, presentingNow ? 18 : 14);
            smallest[where] = px;
            if (offenders.length > 0) problems.push(`${where}:\n${describeSmallText(offenders)}`);
          }
          const cut = describeCutOff(await findCutOff(whole.page));
          if (cut !== '') problems.push(`${where} cut:\n${cut}`);
          if (overlay.name === 'lesson-player' && zoom === 1) {
            const screenWidth = await whole.page.locator('[data-screen]').evaluate((screen) => screen.clientWidth);
            const panelWidth = await whole.page.locator('.lab-panel').evaluate((panel) => panel.getBoundingClientRect().width);
            if (panelWidth < screenWidth * 0.85) problems.push(`${where}: the perceptron panel takes ${Math.round(panelWidth)} of ${screenWidth} px`);
          }
          const name = `readable-${overlay.name}${presentingNow ? '-presenting' : ''}-${width}x${height}${zoom === 1 ? '' : `-zoom${zoom * 100}`}`;
          await whole.screenshot(join(SCREENSHOTS, `${name}.png`));
        }
        await whole.setWindow(1280, 800);
        await overlay.close();
      }
    }
    console.log(`Smallest text in the lessons' menu, player, editor and the shortcut list (CSS px): ${JSON.stringify(smallest)}`);
    expect(problems.join('\n\n'), 'text too small or cut off').toBe('');
    if (await presenting()) await presentButton().click();
  }, WALK);
});
