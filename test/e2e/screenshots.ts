import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOTS } from './e2e-env';

/**
 * Saves `name`-1280x800.png and (with `both`) `name`-1024x640.png in test-output/, scrolled so that
 * `inView` shows in each; the page is left at 1280×800.
 */
export async function screenshotSizes(page: Page, name: string, both = true, inView?: Locator): Promise<void> {
  await inView?.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280x800.png`) });
  if (!both) return;
  await page.setViewportSize({ width: 1024, height: 640 });
  await inView?.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-1024x640.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
}
