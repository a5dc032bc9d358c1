/** Where the end-to-end tests find what they drive, and the check that it is all there. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = join(ROOT, 'out/renderer');
export const WORKER_PATH = join(ROOT, 'out/main/worker.js');
export const SCREENSHOTS = join(ROOT, 'test-output');
/** Debian's chromium; never a browser that Playwright downloads. */
export const CHROMIUM = '/usr/bin/chromium';
/** Headless, and quiet on a machine whose only network is the package registries. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails the test file at once, saying what to do, when the build or the browser is missing. */
export function requireBuiltAppAndBrowser(): void {
  for (const [what, path] of [
    ['the built renderer', join(RENDERER_DIR, 'index.html')],
    ['the built worker', WORKER_PATH],
    ['Debian chromium', CHROMIUM],
  ] as const) {
    if (!existsSync(path)) {
      throw new Error(`The end-to-end tests need ${what} at ${path}: run \`npm run build\` (and install chromium) first.`);
    }
  }
}
