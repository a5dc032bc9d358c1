/**
 * Opens the built renderer as the end-to-end tests see it: served on 127.0.0.1, in Debian's
 * Chromium, in a 1280×800 light page that records every problem it reports. Each test file then
 * bridges `window.lab` to its own handlers and navigates to `url` itself.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, RENDERER_DIR, SCREENSHOTS } from './e2e-env';
import { serveFolder, type StaticServer } from './static-server';

export interface AppPage {
  server: StaticServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The app's page on the server (not opened yet). */
  url: string;
  /** Console errors and warnings, page errors, failed requests and HTTP errors (≥ 400), as they happen. */
  problems: string[];
  /** Closes the browser, then the server. */
  close(): Promise<void>;
}

/** Opens the built renderer, or another build of it in `rendererDir` (a benchmark comparing two). */
export async function openAppPage(rendererDir = RENDERER_DIR): Promise<AppPage> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await serveFolder(rendererDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The browser fetches the page's icon on its own, late; a reload that overtakes that fetch
    // cancels it (net::ERR_ABORTED), which says nothing about the app. Any other failure counts.
    if (request.failure()?.errorText === 'net::ERR_ABORTED' && new URL(request.url()).pathname === '/favicon.svg') return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'no reason'})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return {
    server,
    browser,
    context,
    page,
    url: `${server.origin}/index.html`,
    problems,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
