/**
 * The real app under Electron, driven by Playwright's `_electron`: it starts, shows the Train screen
 * (served on app://mlp-lab) with the built-in MNIST, exposes only `window.lab` to a sandboxed page,
 * trains a short run on two threads in the utility process, and quits cleanly.
 *
 * It launches the unpackaged build (`npm run build`, then Electron on the project folder): fuses
 * are applied only to packages, and a package's `enableNodeCliInspectArguments: false` refuses the
 * `--inspect=0` that `_electron.launch` passes (README, "Running in Electron"). On Linux Playwright
 * adds `--no-sandbox` unless told otherwise; `chromiumSandbox: true` keeps Chromium's sandbox here.
 *
 * Electron's binary cannot be downloaded on every machine (see ARCHITECTURE.md). Where it is
 * missing this test is reported as skipped, with the reason; it never passes without running.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/lab-api';
import { LAB_API_KEYS } from '../helpers/lab-api-keys';

const ROOT = resolve(import.meta.dirname, '../..');

/** The Electron executable, or why there is none. */
function findElectron(): { path: string } | { missing: string } {
  try {
    // The `electron` package exports the binary's path, and throws when the binary was never downloaded.
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `the electron package points at ${String(path)}, which does not exist` };
  } catch (error) {
    return { missing: `no Electron binary is installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
}

const electron = findElectron();
if ('missing' in electron) {
  console.warn(`[electron smoke test] NOT RUN: ${electron.missing}. Run it where \`npm ci\` could download Electron.`);
}

describe('the real app under Electron', () => {
  let app: ElectronApplication | undefined;

  afterAll(async () => {
    await app?.close();
  });

  it('launches, shows the Train screen in a sandboxed window, trains a short run on two threads and quits cleanly', async (context) => {
    if ('missing' in electron) {
      context.skip(`not run: ${electron.missing}`);
      return;
    }
    if (!existsSync(join(ROOT, 'out/main/index.js'))) throw new Error('Run `npm run build` first: out/main/index.js is missing.');
    const headless = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
    app = await _electron.launch({
      executablePath: electron.path,
      args: [...(headless ? ['--ozone-platform=headless'] : []), ROOT],
      cwd: ROOT,
      // Keep Chromium's sandbox, as a user's app has it (Ubuntu 23.10+: see README for the dev setup).
      chromiumSandbox: process.env['MLP_LAB_SMOKE_NO_SANDBOX'] !== '1',
    });
    const page = await app.firstWindow();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));

    expect(page.url()).toBe('app://mlp-lab/index.html');
    expect(await page.title()).toBe('MLP Lab');
    await expect.poll(() => page.locator('#dataset-note').textContent(), { timeout: 30_000 }).toContain('60,000 training');

    // The page gets window.lab, exactly as the channel table has it, and nothing of Node or Electron.
    const exposure = await page.evaluate(() => ({
      lab: Object.keys((window as unknown as { lab: object }).lab).sort(),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(exposure).toEqual({ lab: LAB_API_KEYS, require: 'undefined', process: 'undefined' });

    // Every run event the page hears, for the checks below.
    await page.evaluate(() => {
      const seen: unknown[] = [];
      (window as unknown as { smokeEvents: unknown[] }).smokeEvents = seen;
      (window as unknown as { lab: { onRunEvent(listener: (event: unknown) => void): void } }).lab.onRunEvent((event) => seen.push(event));
    });
    while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await page.getByLabel('Hidden 1').fill('64');
    await page.getByLabel('Epochs').fill('1');
    await page.getByTestId('train').click();
    await expect.poll(() => page.getByTestId('status').getAttribute('data-phase'), { timeout: 120_000 }).toBe('completed');
    const events = (await page.evaluate(() => (window as unknown as { smokeEvents: unknown[] }).smokeEvents)) as RunEvent[];

    const started = events.find((event) => event.type === 'started');
    console.log(`[electron smoke test] started: ${JSON.stringify(started?.type === 'started' ? started.engine : null)}`);
    // The app asks for two threads on a machine with two cores or more; batch 64 is split.
    expect(started?.type === 'started' && started.engine).toMatchObject({
      kernel: 'wasm-simd',
      threads: availableParallelism() >= 2 ? 2 : 1,
      // Electron's V8 has relaxed SIMD and the utility process has SharedArrayBuffer.
      fusedMultiplyAdd: true,
    });
    expect(events.filter((event) => event.type === 'progress').length).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'engine-changed' || event.type === 'failed' || event.type === 'engine-crashed')).toBe(false);
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-output/electron-finished.png') });
    expect(errors).toEqual([]);

    // Quitting ends the app, and with it the engine's utility process, with exit code 0.
    const main = app.process();
    await app.close();
    app = undefined;
    expect(main.exitCode).toBe(0);
  });
});
