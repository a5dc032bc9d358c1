/**
 * The Train screen in presentation mode while a run goes, as a class sees it on a projector, end
 * to end in real Chromium with the real handlers and worker on real MNIST (whole-app.ts): at
 * 1024×768, 1280×800 and 1920×1080 the run controls, the progress bar, the six numbers, the
 * iteration chart's canvas and the twelve guesses all lie inside the window without any scrolling,
 * none hidden behind another part, and no text on the screen (chart ticks and legends included) is
 * under 18 px; with the settings opened beside the run it becomes one column, nothing overlapping
 * or sticking out sideways. The strip's widest confidence, "100 %", fits inside its cell at 1024 px,
 * presenting or not. At 1920×1080 the header keeps to one row. Screenshots go to test-output/
 * (presenting-train-running-*.png).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';
import { describeCutOff, findCutOff } from './layout-audit';
import { CANVAS_TEXT_RECORDER, describeSmallText, findSmallText, resetCanvasText } from './text-audit';
import { openWholeApp, type WholeApp } from './whole-app';

requireBuiltAppAndBrowser();

/** The parts a teacher must see at once while a run goes, by selector. */
const MUST_SEE: Record<string, string> = {
  'run controls': '[role="group"][aria-label="Run controls"]',
  'progress bar': '[data-testid="progress-bar"]',
  'six numbers': 'dl[aria-label="Training progress"]',
  'iteration chart': 'canvas[data-testid="iteration-chart"]',
  'guesses': '[data-testid="prediction-strip"] ol',
};

describe('The Train screen in presentation mode fits a projector while a run goes, in Chromium', () => {
  let whole: WholeApp;

  beforeAll(async () => {
    whole = await openWholeApp(async (page) => {
      await page.addInitScript({ content: CANVAS_TEXT_RECORDER });
    });
    const page = whole.page;
    await whole.show('Train');
    await page.locator('#dataset-note', { hasText: /60,000 training/ }).waitFor({ timeout: 20_000 });
    await page.getByLabel('Epochs').fill('3');
    // Slow enough that the run still goes at the end of the test, fast enough for a moving chart.
    await page.getByTestId('pace').getByText('5/s', { exact: true }).click();
    await page.getByTestId('train').click();
    await page.locator('[data-testid="status"][data-phase="running"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('strip-item').nth(11).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Present' }).click();
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-presenting'));
  }, 120_000);

  afterAll(async () => {
    await whole?.close();
  });

  /** Each part's box, and what keeps it from view: outside the window, clipped by a scrolled or hiding ancestor, or covered at its centre. */
  const unseen = () =>
    whole.page.evaluate((parts) => {
      const problems: string[] = [];
      const width = document.documentElement.clientWidth;
      const height = document.documentElement.clientHeight;
      for (const [name, selector] of Object.entries(parts)) {
        const element = document.querySelector(selector);
        if (!element) {
          problems.push(`${name}: not on the page`);
          continue;
        }
        const box = element.getBoundingClientRect();
        if (box.width < 2 || box.height < 2) problems.push(`${name}: ${box.width}×${box.height} px, not shown`);
        if (box.left < 0 || box.top < 0 || box.right > width + 0.5 || box.bottom > height + 0.5) {
          problems.push(`${name}: ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)} outside the ${width}×${height} window`);
        }
        for (let a = element.parentElement; a; a = a.parentElement) {
          const style = getComputedStyle(a);
          if (a.scrollTop !== 0 || a.scrollLeft !== 0) problems.push(`${name}: inside a scrolled ${a.tagName.toLowerCase()}.${a.className}`);
          if (style.overflowY !== 'visible' || style.overflowX !== 'visible') {
            const clip = a.getBoundingClientRect();
            if (box.top < clip.top - 0.5 || box.bottom > clip.bottom + 0.5 || box.left < clip.left - 0.5 || box.right > clip.right + 0.5) {
              problems.push(`${name}: cut by ${a.tagName.toLowerCase()}.${a.className} (${Math.round(clip.top)}–${Math.round(clip.bottom)})`);
            }
          }
        }
        const onTop = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (onTop === null || !(element === onTop || element.contains(onTop) || onTop.contains(element))) {
          problems.push(`${name}: covered at its centre by ${onTop?.tagName.toLowerCase() ?? 'nothing'}`);
        }
      }
      return problems;
    }, MUST_SEE);

  for (const [width, height] of [[1024, 768], [1280, 800], [1920, 1080]] as const) {
    it(`at ${width}×${height} the controls, progress, numbers, iteration chart and guesses are in view, all text 18 px or more`, async () => {
      await whole.setWindow(width, height);
      await resetCanvasText(whole.page);
      // The iteration chart draws again as the run goes, at the new size, after the reset: its text is measured.
      const redraws = Number(await whole.page.getByTestId('iteration-chart').getAttribute('data-redraws'));
      await expect
        .poll(async () => Number(await whole.page.getByTestId('iteration-chart').getAttribute('data-redraws')), { timeout: 10_000 })
        .toBeGreaterThan(redraws + 1);
      expect(await whole.page.getByTestId('status').getAttribute('data-phase')).toBe('running');

      expect(await unseen()).toEqual([]);
      // Nothing on the screen needs scrolling to show the parts above; nothing else is cut.
      expect(await whole.page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(0);
      expect(describeCutOff(await findCutOff(whole.page))).toBe('');
      const { offenders } = await findSmallText(whole.page, 18);
      expect(describeSmallText(offenders), 'text under 18 px').toBe('');
      await whole.screenshot(join(SCREENSHOTS, `presenting-train-running-${width}x${height}.png`));
      expect(whole.app.problems).toEqual([]);
    }, 60_000);
  }

  it('at 1920×1080 the header keeps to one row: the tabs and the tools side by side', async () => {
    await whole.setWindow(1920, 1080);
    const box = async (selector: string) => (await whole.page.locator(selector).first().boundingBox())!;
    const tabs = await box('header.top [role="tablist"]');
    const tools = await box('header.top .tools');
    // One row: each starts above where the other ends.
    expect(tools.y).toBeLessThan(tabs.y + tabs.height);
    expect(tabs.y).toBeLessThan(tools.y + tools.height);
    expect(tools.x).toBeGreaterThanOrEqual(tabs.x + tabs.width);
    // The Present button still says what it is, to screen readers and as its name.
    await expect.poll(() => whole.page.getByRole('button', { name: 'Present' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('with the settings opened beside the run at 1024×768 the run is one column: nothing overlaps or sticks out sideways', async () => {
    await whole.setWindow(1024, 768);
    const toggle = whole.page.getByTestId('settings-toggle');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await whole.page.waitForTimeout(300);
    const layout = await whole.page.locator('.run').evaluate((run) => ({
      sideways: run.scrollWidth - run.clientWidth,
      boxes: [...run.children].map((part) => {
        const box = part.getBoundingClientRect();
        return { top: box.top, bottom: box.bottom, right: box.right, runRight: run.getBoundingClientRect().right };
      }),
    }));
    expect(layout.sideways).toBeLessThanOrEqual(1);
    for (const [i, box] of layout.boxes.entries()) {
      expect(box.right).toBeLessThanOrEqual(box.runRight + 0.5);
      if (i > 0) expect(box.top).toBeGreaterThanOrEqual(layout.boxes[i - 1]!.bottom);
    }
    expect(describeCutOff(await findCutOff(whole.page))).toBe('');
    await whole.screenshot(join(SCREENSHOTS, 'presenting-train-running-settings-open-1024x768.png'));
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  });

  /** How far a confidence of "100 %" (the widest) would stick out of each strip cell: a copy of the cell's confidence, measured and removed. */
  const widestOverflow = () =>
    whole.page.getByTestId('prediction-strip').evaluate((strip) =>
      Math.max(
        ...[...strip.querySelectorAll('li')].map((cell) => {
          const probe = cell.querySelector('.confidence')!.cloneNode(false) as HTMLElement;
          probe.textContent = '100 %';
          cell.append(probe);
          const style = getComputedStyle(cell);
          const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const overflow = probe.getBoundingClientRect().width - room;
          probe.remove();
          return overflow;
        }),
      ),
    );

  it('"100 %" fits inside its strip cell at 1024 px wide, presenting and not', async () => {
    await whole.setWindow(1024, 768);
    expect(await widestOverflow()).toBeLessThanOrEqual(0);
    await whole.page.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => whole.page.evaluate(() => document.documentElement.hasAttribute('data-presenting'))).toBe(false);
    await whole.page.waitForTimeout(200);
    expect(await widestOverflow()).toBeLessThanOrEqual(0);
    await whole.screenshot(join(SCREENSHOTS, 'train-running-1024x768.png'));
    await whole.page.getByTestId('stop').click();
    await expect.poll(() => whole.page.getByTestId('status').getAttribute('data-phase'), { timeout: 10_000 }).toBe('stopped');
    expect(whole.app.problems).toEqual([]);
  });
});
