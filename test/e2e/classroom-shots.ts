/**
 * Screenshots for the classroom sizes of issue 13: a projector's 1024×768, a laptop's 1280×800 and
 * a full-HD 1920×1080, saved as `name`-WxH.png in test-output/; the page is left at 1280×800.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOTS } from './e2e-env';

export const CLASSROOM_SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** One screenshot per classroom size, each scrolled so that `inView` shows. */
export async function screenshotClassroomSizes(page: Page, name: string, inView?: Locator): Promise<void> {
  for (const size of CLASSROOM_SIZES) {
    await page.setViewportSize(size);
    await inView?.scrollIntoViewIfNeeded();
    // Charts and grids lay out again on resize, in the next frames.
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** The same in the light and the dark theme (named `name`-light-… and `name`-dark-…); ends light. */
export async function screenshotBothThemes(page: Page, name: string, inView?: Locator): Promise<void> {
  for (const theme of ['Light', 'Dark'] as const) {
    await page.getByRole('button', { name: theme, exact: true }).click();
    await page.waitForFunction((wanted) => document.documentElement.dataset['theme'] === wanted, theme.toLowerCase());
    await screenshotClassroomSizes(page, `${name}-${theme.toLowerCase()}`, inView);
  }
  await page.getByRole('button', { name: 'Light', exact: true }).click();
}
