/**
 * Full screen for presentation mode. The renderer asks through `window.lab.setFullScreen`; the
 * window manager makes the change later (asynchronously on Linux and macOS), and Electron announces
 * it with the window's 'enter-full-screen' and 'leave-full-screen' events, which also tell of a
 * change the user makes (F11, through the default menu's "Toggle Full Screen"). The renderer follows
 * those events, never its own request.
 */
import type { CommandHandlers } from './handlers/handler-types';

/** The part of Electron's BrowserWindow that full screen uses. */
export interface FullScreenWindow {
  setFullScreen(flag: boolean): void;
  isFullScreen(): boolean;
  isDestroyed(): boolean;
  on(event: 'enter-full-screen', listener: () => void): unknown;
  on(event: 'leave-full-screen', listener: () => void): unknown;
}

/** The two commands, over the app's window (null while there is none). */
export function createFullScreenHandlers(
  getWindow: (() => FullScreenWindow | null) | undefined,
): Pick<CommandHandlers, 'setFullScreen' | 'isFullScreen'> {
  const open = (): FullScreenWindow | null => {
    const window = getWindow?.() ?? null;
    return window !== null && !window.isDestroyed() ? window : null;
  };
  return {
    async setFullScreen(on) {
      if (typeof on !== 'boolean') return { ok: false, message: 'Full screen is turned on with true and off with false.' };
      const window = open();
      if (window === null) return { ok: false, message: 'There is no window to show full screen.' };
      window.setFullScreen(on);
      return { ok: true };
    },
    async isFullScreen() {
      return open()?.isFullScreen() ?? false;
    },
  };
}

/** Calls `send` with true or false each time the window enters or leaves full screen. */
export function relayFullScreen(window: FullScreenWindow, send: (fullScreen: boolean) => void): void {
  window.on('enter-full-screen', () => send(true));
  window.on('leave-full-screen', () => send(false));
}
