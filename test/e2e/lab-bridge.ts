/**
 * The end-to-end tests' stand-in for the preload: it gives the page a `window.lab` whose methods
 * call the real main-side handlers (in this Node process) through a Playwright binding, and it
 * delivers run events from the real supervisor to the page's listeners, in order.
 *
 * Like Electron's IPC, arguments are structured-cloned in the page before they leave it, so a
 * renderer bug that would break the real app (sending a Svelte proxy, a function) breaks here too.
 * The one method the preload composes itself (openDroppedLesson: a File's path, then IPC) is
 * composed here the same way, with a documented stand-in for webUtils.getPathForFile.
 *
 * Typed arrays (a model's weights, images) cross as their bytes, as Electron's structured clone
 * copies them, so the harness costs about what Electron's IPC does. Left to Playwright, a Weights
 * snapshot (235 000 weights) cost about 0.3 s of this process (its base64 goes one byte at a time
 * in Node 20) and about 0.1 s of the page's main thread (the DevTools message that carries it),
 * long tasks and CPU taken from the engine being measured that the real app does not have. Small
 * arrays now ride along in base64 made by Node's encoder; large ones the page fetches from its own
 * origin (see shelveBytes in static-server.ts).
 */
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../src/shared/lab-api';
import type { StudyEvent } from '../../src/shared/study-api';
import { COMMAND_CHANNELS, type LabCommand } from '../../src/shared/ipc-channels';
import type { LabHandlers } from '../../src/main/handlers/ipc-handlers';
import { shelveBytes } from './static-server';

/** The key that marks a typed array sent as its bytes; no value of the app has it. */
const TYPED = '__labTypedArray';

const TYPED_ARRAYS = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array']);

/** Typed arrays from this size on are fetched by the page from the shelf; smaller ones ride inline. */
const SHELVED_FROM_BYTES = 64 * 1024;

/**
 * A value as it leaves for the page: each typed array replaced by its bytes, everything else as it
 * is, for Playwright to carry. With `shelve`, a large array's bytes wait on the page's server for it
 * to fetch (see shelveBytes); otherwise, and for small arrays, they ride along in base64 (Node's
 * encoder, a memcpy's worth of work).
 */
export function toWire(value: unknown, shelve = false): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const kind = value.constructor.name;
    if (!TYPED_ARRAYS.has(kind)) return value;
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (shelve && bytes.length >= SHELVED_FROM_BYTES) return { [TYPED]: kind, url: shelveBytes(Buffer.from(bytes)) };
    return { [TYPED]: kind, bytes: bytes.toString('base64') };
  }
  if (Array.isArray(value)) return value.map((item) => toWire(item, shelve));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWire(item, shelve)]));
}

/**
 * Runs in the page before its own scripts. Plain JavaScript in a string, so no test-side transform
 * can put helpers into it that the page does not have. One method per command of the channel
 * table, as the preload makes them.
 */
const PAGE_SIDE = `(() => {
  const listeners = new Set();
  const studyListeners = new Set();
  const fullScreenListeners = new Set();
  // Typed arrays arrive as { [TYPED]: constructor name, bytes: base64 } or, large ones, as
  // { [TYPED]: name, url } to fetch from the page's own server (see toWire): made whole here.
  const TYPED = ${JSON.stringify(TYPED)};
  const KINDS = new Set(${JSON.stringify([...TYPED_ARRAYS])});
  const fromBase64 = (text) => {
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  };
  const fetchBytes = async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error('The bridge lost bytes it was to hand over (' + response.status + ').');
    return new Uint8Array(await response.arrayBuffer());
  };
  // Returns the value made whole, in place; a large array's fetch goes into 'pending', and 'put'
  // puts the array where it belongs once it has come.
  const revive = (value, pending, put) => {
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
    const kind = value[TYPED];
    if (typeof kind === 'string' && KINDS.has(kind)) {
      if (typeof value.url !== 'string') return new globalThis[kind](fromBase64(value.bytes).buffer);
      pending.push(fetchBytes(value.url).then((bytes) => put(new globalThis[kind](bytes.buffer))));
      return null;
    }
    const keys = Array.isArray(value) ? [...value.keys()] : Object.keys(value);
    for (const key of keys) value[key] = revive(value[key], pending, (array) => { value[key] = array; });
    return value;
  };
  const fromWire = (value) => revive(value, [], () => { throw new Error('Large typed arrays are only handed over in answers.'); });
  const fromWireAsync = async (value) => {
    const pending = [];
    let whole = revive(value, pending, (array) => { whole = array; });
    await Promise.all(pending);
    return whole;
  };
  const invoke = async (command, ...args) => fromWireAsync(await window.__labInvoke(command, structuredClone(args)));
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
    event = fromWire(event);
    for (const listener of studyListeners) listener(event);
  };
  window.__labDeliver = (event) => {
    event = fromWire(event);
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
    return toWire(await handler(sender, ...args), true);
  });
  await page.addInitScript({ content: PAGE_SIDE });

  const events: RunEvent[] = [];
  let queue = Promise.resolve();
  return {
    deliver(event) {
      events.push(event);
      queue = queue
        .then(() => page.evaluate(deliverInPage, toWire(event) as RunEvent))
        .catch((error: unknown) => {
          if (!page.isClosed()) onError(`Could not deliver ${event.type}: ${String(error)}`);
        });
    },
    deliverStudy(event) {
      queue = queue
        .then(() => page.evaluate(deliverStudyInPage, toWire(event) as StudyEvent))
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
