/**
 * The end-to-end tests' stand-in for the preload: it gives the page a `window.lab` whose methods
 * call the real main-side handlers (in this Node process) through a Playwright binding, and it
 * delivers run events from the real supervisor to the page's listeners, in order.
 *
 * Like Electron's IPC, arguments are structured-cloned in the page before they leave it, so a
 * renderer bug that would break the real app (sending a Svelte proxy, a function) breaks here too.
 * The one method the preload composes itself (openDroppedLesson: a File's path, then IPC) is
 * composed here the same way, with a documented stand-in for webUtils.getPathForFile.
 */
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../src/shared/lab-api';
import type { StudyEvent } from '../../src/shared/study-api';
import { COMMAND_CHANNELS, type LabCommand } from '../../src/shared/ipc-channels';
import type { LabHandlers } from '../../src/main/handlers/ipc-handlers';

/**
 * Runs in the page before its own scripts. Plain JavaScript in a string, so no test-side transform
 * can put helpers into it that the page does not have. One method per command of the channel
 * table, as the preload makes them.
 */
const PAGE_SIDE = `(() => {
  const listeners = new Set();
  const studyListeners = new Set();
  const fullScreenListeners = new Set();
  const invoke = (command, ...args) => window.__labInvoke(command, structuredClone(args));
  const commands = Object.fromEntries(${JSON.stringify(Object.keys(COMMAND_CHANNELS))}.map((command) => [command, (...args) => invoke(command, ...args)]));
  // The stand-in for Electron's webUtils.getPathForFile, which the real preload calls: a File's path
  // on disk, '' for a File built in JS, an exception for anything that is not a File (Electron's docs,
  // api/web-utils). A browser has no such paths, so a test that wrote a file on disk names it here for
  // the File it drops (__labFileOnDisk); every other File is one built in JS, as in Electron.
  const diskPaths = new WeakMap();
  window.__labFileOnDisk = (file, path) => { diskPaths.set(file, path); };
  const getPathForFile = (file) => {
    if (!(file instanceof File)) throw new TypeError('getPathForFile needs a File.');
    return diskPaths.get(file) ?? '';
  };
  // As the preload: main gets the path, never the File; a File not on disk is left to the page.
  commands.openDroppedLesson = (file) => {
    let path = '';
    try { path = getPathForFile(file); } catch { /* not a File: nothing on disk to open */ }
    if (path === '') return Promise.resolve({ ok: false, canceled: false, notOnDisk: true, message: 'The dropped file is not a file on disk.' });
    return invoke('openDroppedLesson', path);
  };
  window.lab = Object.freeze({
    ...commands,
    onRunEvent(listener) {
      if (typeof listener !== 'function') throw new TypeError('onRunEvent needs a function to call with each run event.');
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    onStudyEvent(listener) {
      if (typeof listener !== 'function') throw new TypeError('onStudyEvent needs a function to call with each study event.');
      studyListeners.add(listener);
      return () => { studyListeners.delete(listener); };
    },
    onFullScreenChange(listener) {
      if (typeof listener !== 'function') throw new TypeError('onFullScreenChange needs a function to call with each change.');
      fullScreenListeners.add(listener);
      return () => { fullScreenListeners.delete(listener); };
    },
  });
  window.__labDeliverFullScreen = (fullScreen) => {
    for (const listener of fullScreenListeners) listener(fullScreen === true);
  };
  window.__labDeliverStudy = (event) => {
    for (const listener of studyListeners) listener(event);
  };
  window.__labDeliver = (event) => {
    for (const listener of listeners) listener(event);
  };
  // CSP violations also reach the console, but say so plainly whatever the browser's wording.
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline content'));
  });
})();`;

/** Hands one event to the page's listeners (NaN and nested arrays survive, as over Electron's IPC). */
const deliverInPage = (event: RunEvent): void => (window as unknown as { __labDeliver(e: RunEvent): void }).__labDeliver(event);

const deliverStudyInPage = (event: StudyEvent): void =>
  (window as unknown as { __labDeliverStudy(e: StudyEvent): void }).__labDeliverStudy(event);

const deliverFullScreenInPage = (fullScreen: boolean): void =>
  (window as unknown as { __labDeliverFullScreen(on: boolean): void }).__labDeliverFullScreen(fullScreen);

export interface LabBridge {
  /** Tells the page the window entered (true) or left (false) full screen, in order with the other events. */
  deliverFullScreen(fullScreen: boolean): void;
  /** Sends one study event to the page, in order with the run events. */
  deliverStudy(event: StudyEvent): void;
  /** Sends one run event to the page; events arrive in the order they were sent. */
  deliver(event: RunEvent): void;
  /** Resolves when every event sent so far has been handed to the page. */
  flushed(): Promise<void>;
  /** Every run event delivered so far. */
  readonly events: readonly RunEvent[];
}

export async function installLabBridge(page: Page, handlers: LabHandlers, onError: (message: string) => void): Promise<LabBridge> {
  await page.exposeBinding('__labInvoke', async (source, command: LabCommand, args: unknown[]) => {
    const sender = { fromAppMainFrame: source.frame === source.page.mainFrame(), url: source.frame.url() };
    const handler = handlers[command] as ((...all: unknown[]) => Promise<unknown>) | undefined;
    if (handler === undefined) throw new Error(`No handler for ${String(command)}`);
    return handler(sender, ...args);
  });
  await page.addInitScript({ content: PAGE_SIDE });

  const events: RunEvent[] = [];
  let queue = Promise.resolve();
  return {
    deliver(event) {
      events.push(event);
      queue = queue
        .then(() => page.evaluate(deliverInPage, event))
        .catch((error: unknown) => {
          if (!page.isClosed()) onError(`Could not deliver ${event.type}: ${String(error)}`);
        });
    },
    deliverStudy(event) {
      queue = queue
        .then(() => page.evaluate(deliverStudyInPage, event))
        .catch((error: unknown) => {
          if (!page.isClosed()) onError(`Could not deliver ${event.type}: ${String(error)}`);
        });
    },
    deliverFullScreen(fullScreen) {
      queue = queue
        .then(() => page.evaluate(deliverFullScreenInPage, fullScreen))
        .catch((error: unknown) => {
          if (!page.isClosed()) onError(`Could not deliver full screen ${String(fullScreen)}: ${String(error)}`);
        });
    },
    flushed: () => queue,
    events,
  };
}
