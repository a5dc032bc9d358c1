/**
 * The whole app's page as a class would see it, every screen with something on it: the real
 * handlers (datasets, engine supervisor forking the built worker, a model store and a study store
 * in a temporary folder, holding one saved blog-shaped study; the lessons, with no file chosen in
 * their dialogs), so that the checks that walk every screen, menu and panel (text sizes, layout at
 * any zoom, presentation mode, keyboard, axe) see real content.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type { LabHandlers } from '../../src/main/handlers/ipc-handlers';
import { createLessonInbox } from '../../src/main/lesson-launch';
import { createModelStore } from '../../src/main/model-store';
import { createRecentRuns } from '../../src/main/recent-runs';
import { createSupervisedRunStarter } from '../../src/node/study-run-starter';
import { createStudyService, type StudyService } from '../../src/main/study-service';
import { createStudyStore } from '../../src/main/study-store';
import { readLessonFile, writeLessonFile } from '../../src/node/lesson-file-io';
import { forkNodeWorker } from '../../src/node/fork-node';
import { finishedStudy, studyIdOf } from '../helpers/study-fixture';
import { openAppPage, type AppPage } from './app-page';
import { bridgeLabServices } from './lab-services';
import type { LabBridge } from './lab-bridge';
import { WORKER_PATH } from './e2e-env';
import { relayFullScreen } from '../../src/main/full-screen';
import { FakeFullScreenWindow } from '../helpers/fake-full-screen-window';

export interface WholeApp {
  app: AppPage;
  page: Page;
  bridge: LabBridge;
  handlers: LabHandlers;
  /** The window's full-screen side, as Electron's behaves (the page hears of each change). */
  window: FakeFullScreenWindow;
  /** The tab labels, in order, as the page shows them. */
  tabs(): Promise<string[]>;
  /** Clicks the tab of that name. */
  show(tab: string): Promise<void>;
  /** Trains a small network for one epoch, saves it, evaluates it and opens the saved study. */
  fillEveryScreen(): Promise<void>;
  /**
   * Sets the window's size in device pixels and the page's zoom (1 = 100 %), as Electron's
   * zoom factor does: the page is laid out in width/zoom × height/zoom CSS pixels.
   */
  setWindow(width: number, height: number, zoom?: number): Promise<void>;
  /** Saves what the window shows now (at the size and zoom of `setWindow`) as a PNG. */
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens the app's page with every service; `beforeLoad` may add init scripts before the page loads. */
export async function openWholeApp(beforeLoad?: (page: Page, handlers: LabHandlers) => Promise<void>): Promise<WholeApp> {
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-whole-'));
  const app = await openAppPage();
  const page = app.page;
  const studyStore = createStudyStore(join(scratch, 'studies'));
  await studyStore.save(finishedStudy(1, 'Blog study', [16, 32, 64, 128, 16, 32, 64, 128, 64]));
  const window = new FakeFullScreenWindow();
  let studies: StudyService | null = null;
  const { engine, handlers, bridge } = await bridgeLabServices(app, {
    scratch,
    more: ({ engine, models }, bridge) => {
      studies = createStudyService({ store: studyStore, emit: (event) => bridge().deliverStudy(event), parallel: 1 });
      return {
        window: () => window,
        recentRuns: { engine, recent: createRecentRuns({ store: createModelStore({ dir: join(scratch, 'recent-runs') }), models }) },
        studies: {
          studies,
          runStarter: (dataset) => createSupervisedRunStarter({ fork: () => forkNodeWorker(WORKER_PATH), dataset }),
          saveExport: async () => ({ ok: false, canceled: true }),
        },
        // The built-in lessons play and end; no file dialog answers.
        lessons: {
          dialogs: { chooseOpenPath: async () => null, chooseSavePath: async () => null },
          inbox: createLessonInbox(),
          read: readLessonFile,
          write: writeLessonFile,
          engine,
          protectedDirs: [],
        },
      };
    },
  });
  const events = bridge;
  relayFullScreen(window, (fullScreen) => events.deliverFullScreen(fullScreen));
  await beforeLoad?.(page, handlers);
  await page.goto(app.url);
  await page.waitForLoadState('networkidle');
  let cdp: CDPSession | null = null;

  /** Polls `read` until `done` says yes (usable in beforeAll, where vitest's polling is not). */
  async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeout = 10_000): Promise<void> {
    const end = Date.now() + timeout;
    let value = await read();
    while (!done(value)) {
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what} (last seen: ${String(value)})`);
      await page.waitForTimeout(100);
      value = await read();
    }
  }

  const show = async (tab: string): Promise<void> => {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await until(`the ${tab} screen`, () => page.locator('[role="tabpanel"]').getAttribute('data-screen'), (id) => id === tab.toLowerCase());
  };

  return {
    app,
    page,
    bridge,
    handlers,
    window,
    tabs: () => page.getByRole('tab').allTextContents().then((labels) => labels.map((label) => label.trim())),
    show,
    async fillEveryScreen() {
      await show('Train');
      await until('MNIST', () => page.locator('#dataset-note').textContent(), (text) => /60,000 training/.test(text ?? ''), 20_000);
      while ((await page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
        await page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
      }
      await page.getByLabel('Hidden 1').fill('32');
      await page.getByLabel('Epochs').fill('1');
      await page.getByLabel('Batch size').fill('128');
      await page.getByTestId('train').click();
      await until('the run to finish', () => page.getByTestId('status').getAttribute('data-phase'), (phase) => phase === 'completed', 60_000);
      await show('Models');
      await page.getByLabel('Save the current model as').fill('Small net');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await until('the saved model', () => page.getByTestId('model-list').textContent(), (text) => (text ?? '').includes('Small net'));
      await show('Evaluate');
      const evaluate = page.getByTestId('evaluate');
      if (await evaluate.isEnabled()) await evaluate.click();
      await until('the evaluation', () => page.getByTestId('eval-accuracy').count(), (count) => count === 1, 30_000);
      await show('Experiments');
      await page.getByLabel('Saved study').selectOption(studyIdOf(1));
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await until('the study', () => page.getByTestId('study-title').textContent(), (title) => title === 'Blog study');
      await show('Train');
    },
    async setWindow(width, height, zoom = 1) {
      cdp ??= await page.context().newCDPSession(page);
      await cdp.send('Emulation.setDeviceMetricsOverride', {
        width: Math.round(width / zoom),
        height: Math.round(height / zoom),
        deviceScaleFactor: zoom,
        mobile: false,
      });
      // Let resize observers and charts follow the new size.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    },
    async screenshot(path) {
      // Playwright's own screenshot would put its viewport back; Chromium's captures what is shown.
      cdp ??= await page.context().newCDPSession(page);
      const { data } = (await cdp.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
      writeFileSync(path, Buffer.from(data, 'base64'));
    },
    async close() {
      studies?.dispose();
      engine.dispose();
      await app.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
