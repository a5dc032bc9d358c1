/**
 * Full screen through window.lab: the two commands over a stand-in window that behaves as
 * Electron's does (the change comes later, announced by events), and the relay of those events,
 * whoever caused them, to the renderer.
 */
import { describe, expect, it } from 'vitest';
import { createFullScreenHandlers, relayFullScreen } from '../../src/main/full-screen';
import { FakeFullScreenWindow } from '../helpers/fake-full-screen-window';

const nextEvent = (window: FakeFullScreenWindow): Promise<string> =>
  new Promise((resolve) => {
    window.once('enter-full-screen', () => resolve('enter'));
    window.once('leave-full-screen', () => resolve('leave'));
  });

describe('full screen commands', () => {
  it('setFullScreen asks the window; the state changes when the window manager has done it', async () => {
    const window = new FakeFullScreenWindow();
    const handlers = createFullScreenHandlers(() => window);
    const entered = nextEvent(window);
    expect(await handlers.setFullScreen(true)).toEqual({ ok: true });
    expect(window.requests).toEqual([true]);
    // Asked, not yet done: the answer does not claim the new state.
    expect(await handlers.isFullScreen()).toBe(false);
    expect(await entered).toBe('enter');
    expect(await handlers.isFullScreen()).toBe(true);
    const left = nextEvent(window);
    expect(await handlers.setFullScreen(false)).toEqual({ ok: true });
    expect(await left).toBe('leave');
    expect(await handlers.isFullScreen()).toBe(false);
  });

  it('refuses anything but true or false, and refuses without a window or with a closed one', async () => {
    const window = new FakeFullScreenWindow();
    const handlers = createFullScreenHandlers(() => window);
    for (const value of ['true', 1, null, undefined, {}, [true]]) {
      expect(await handlers.setFullScreen(value)).toEqual({ ok: false, message: 'Full screen is turned on with true and off with false.' });
    }
    expect(window.requests).toEqual([]);
    const none = createFullScreenHandlers(() => null);
    expect(await none.setFullScreen(true)).toEqual({ ok: false, message: 'There is no window to show full screen.' });
    expect(await none.isFullScreen()).toBe(false);
    expect(await createFullScreenHandlers(undefined).setFullScreen(true)).toEqual({ ok: false, message: 'There is no window to show full screen.' });
    window.destroy();
    expect(await handlers.setFullScreen(true)).toEqual({ ok: false, message: 'There is no window to show full screen.' });
    expect(await handlers.isFullScreen()).toBe(false);
  });
});

describe('relayFullScreen', () => {
  it('tells the renderer of every change, the app\'s own and the user\'s (F11), and of nothing else', async () => {
    const window = new FakeFullScreenWindow();
    const sent: boolean[] = [];
    relayFullScreen(window, (fullScreen) => sent.push(fullScreen));
    const handlers = createFullScreenHandlers(() => window);
    let change = nextEvent(window);
    await handlers.setFullScreen(true);
    await change;
    // Asking again for the state the window is in changes nothing, so nothing is sent.
    await handlers.setFullScreen(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent).toEqual([true]);
    change = nextEvent(window);
    window.pressF11();
    await change;
    expect(sent).toEqual([true, false]);
    change = nextEvent(window);
    window.pressF11();
    await change;
    expect(sent).toEqual([true, false, true]);
  });
});
