/**
 * The one app window: its security-relevant options and how it is created and shown.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import type { AppPage } from './app-page';

/** Options for the main window. The renderer gets no Node.js and runs in Chromium's sandbox. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'MLP Lab',
    // Shown on 'ready-to-show', so the window never flashes an empty frame.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

export function createMainWindow(preloadPath: string, page: AppPage): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  // The built page comes over app:// (app-protocol.ts), the dev server's over http.
  void window.loadURL(page.url);
  return window;
}
