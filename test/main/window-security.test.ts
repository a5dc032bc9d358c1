/**
 * The window's security options and the denials every page gets, with `electron` mocked: no
 * Electron binary is needed, only the shapes main hands to it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const created = vi.hoisted(() => ({ windows: [] as { options: unknown; loaded: { file?: string; url?: string } }[] }));

vi.mock('electron', () => {
  class BrowserWindow {
    readonly loaded: { file?: string; url?: string } = {};
    constructor(options: unknown) {
      created.windows.push({ options, loaded: this.loaded });
    }
    once(): void {}
    loadFile(file: string): Promise<void> {
      this.loaded.file = file;
      return Promise.resolve();
    }
    loadURL(url: string): Promise<void> {
      this.loaded.url = url;
      return Promise.resolve();
    }
  }
  return { BrowserWindow };
});

const { createMainWindow, mainWindowOptions } = await import('../../src/main/window');
const { denyNavigation, denyPermissions } = await import('../../src/main/security');

type Listener = (event: { preventDefault(): void }, ...args: unknown[]) => void;

/** A WebContents stand-in that keeps the handlers main installs, so the test can call them. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      openHandler = handler;
    },
  };
  const fire = (event: string, ...args: unknown[]) => {
    const preventDefault = vi.fn();
    const listener = listeners.get(event);
    if (!listener) throw new Error(`no ${event} listener`);
    listener({ preventDefault }, ...args);
    return preventDefault;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('main window options', () => {
  beforeEach(() => {
    created.windows.length = 0;
  });

  it('isolates the renderer: context isolation and sandbox on, no Node.js anywhere, no webviews', () => {
    const { webPreferences } = mainWindowOptions('/app/out/preload/index.cjs');
    expect(webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('creates the window with exactly those options and loads the built page over app://, never from file://', () => {
    createMainWindow('/app/out/preload/index.cjs', { kind: 'app-protocol', root: '/app/out/renderer', url: 'app://mlp-lab/index.html' });
    expect(created.windows).toHaveLength(1);
    expect(created.windows[0]?.options).toEqual(mainWindowOptions('/app/out/preload/index.cjs'));
    expect(created.windows[0]?.loaded).toEqual({ url: 'app://mlp-lab/index.html' });
  });

  it('loads the dev server URL while developing', () => {
    createMainWindow('/p.cjs', { kind: 'dev-server', url: 'http://localhost:5173' });
    expect(created.windows[0]?.loaded).toEqual({ url: 'http://localhost:5173' });
  });
});

describe('navigation and new windows', () => {
  it('cancels every navigation, whatever the target', () => {
    const { contents, fire } = fakeContents();
    denyNavigation(contents as never);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1/index.html']) {
      expect(fire('will-navigate', url)).toHaveBeenCalledOnce();
    }
  });

  it('denies window.open and target=_blank links', () => {
    const { contents, open } = fakeContents();
    denyNavigation(contents as never);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('about:blank')).toEqual({ action: 'deny' });
  });

  it('refuses to attach a <webview>', () => {
    const { contents, fire } = fakeContents();
    denyNavigation(contents as never);
    expect(fire('will-attach-webview', {}, { src: 'https://example.com/' })).toHaveBeenCalledOnce();
  });
});

describe('permissions', () => {
  function installed() {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: (...args: never[]) => unknown) => (handlers['request'] = h),
      setPermissionCheckHandler: (h: (...args: never[]) => unknown) => (handlers['check'] = h),
      setDevicePermissionHandler: (h: (...args: never[]) => unknown) => (handlers['device'] = h),
    };
    denyPermissions(session as never);
    return handlers as Record<'request' | 'check' | 'device', (...args: unknown[]) => unknown>;
  }

  it('answers every permission request with no', () => {
    const { request } = installed();
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'fullscreen', 'openExternal']) {
      const callback = vi.fn();
      request({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
    }
  });

  it('reports every permission and device as not granted', () => {
    const { check, device } = installed();
    expect(check({}, 'media', 'file://', {})).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'http://127.0.0.1', {})).toBe(false);
    expect(device({ deviceType: 'usb', origin: 'file://' })).toBe(false);
  });
});
