/**
 * A stand-in for the full-screen side of Electron's BrowserWindow, as Electron documents and does
 * it (electron.d.ts; native_window_views.cc, electron_desktop_window_tree_host_linux.cc,
 * native_window_mac.mm): `setFullScreen` only asks; the window manager changes the state later,
 * and only then do `isFullScreen()` and the 'enter-full-screen' / 'leave-full-screen' events
 * follow. Asking for the state the window is already in changes nothing and emits nothing. F11 is
 * the default menu's "Toggle Full Screen" role, `setFullScreen(!isFullScreen())`.
 */
import { EventEmitter } from 'node:events';
import type { FullScreenWindow } from '../../src/main/full-screen';

export class FakeFullScreenWindow extends EventEmitter implements FullScreenWindow {
  private fullScreen = false;
  private destroyed = false;
  /** Every flag passed to setFullScreen, in order. */
  readonly requests: boolean[] = [];

  /** @param delayMs how long the window manager takes to make a change */
  constructor(private readonly delayMs = 30) {
    super();
  }

  setFullScreen(flag: boolean): void {
    this.requests.push(flag);
    setTimeout(() => {
      if (this.destroyed || this.fullScreen === flag) return;
      this.fullScreen = flag;
      this.emit(flag ? 'enter-full-screen' : 'leave-full-screen');
    }, this.delayMs);
  }

  isFullScreen(): boolean {
    return this.fullScreen;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The user presses F11 (the default menu's togglefullscreen role). */
  pressF11(): void {
    this.setFullScreen(!this.isFullScreen());
  }

  destroy(): void {
    this.destroyed = true;
  }
}
