/**
 * Presentation mode, for a class watching a projector: type of at least 18 px (app.css raises its
 * floor while `<html data-presenting>` is set), chart text to match, the Train settings folded,
 * and the window full screen.
 *
 * The choice lasts for the session (sessionStorage: a reload keeps it, the next start of the app
 * does not): presenting belongs to today's lesson on today's projector, not to the laptop, and an
 * app that opens in giant type, full screen, the next morning would surprise its user.
 *
 * `fullScreen` is the window's real state as main reports it, never what was asked: the window
 * manager makes the change later, and the user can leave full screen on their own (F11).
 */
import type { LabApi } from '$shared/lab-api';
import { setChartTextSize } from '$ui/charts/chart-setup';

const STORAGE_KEY = 'mlp-lab.presenting';

type FullScreenApi = Pick<LabApi, 'setFullScreen' | 'isFullScreen' | 'onFullScreenChange'>;

export class Presentation {
  on = $state(false);
  fullScreen = $state(false);
  /** Why full screen could not be changed, or null. */
  problem = $state<string | null>(null);
  private heardChange = false;

  constructor(
    private readonly lab: FullScreenApi,
    private readonly root: HTMLElement = document.documentElement,
  ) {
    this.on = readStored();
    this.apply();
  }

  /** Follows the window's full-screen state; returns the function that stops following it. */
  connect(): () => void {
    const unsubscribe = this.lab.onFullScreenChange((fullScreen) => {
      this.heardChange = true;
      this.fullScreen = fullScreen;
    });
    void this.lab.isFullScreen().then((fullScreen) => {
      // A change heard meanwhile is newer than this answer.
      if (!this.heardChange) this.fullScreen = fullScreen;
    });
    return unsubscribe;
  }

  /** Turns presentation mode on or off, and the window's full screen with it. */
  set(on: boolean): void {
    this.on = on;
    try {
      sessionStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    } catch {
      // Storage can be unavailable; the choice then lasts until the page reloads.
    }
    this.apply();
    if (on !== this.fullScreen) void this.requestFullScreen(on);
  }

  toggle(): void {
    this.set(!this.on);
  }

  /** Asks for full screen on or off; the state follows when the window has changed. */
  async requestFullScreen(on: boolean): Promise<void> {
    const result = await this.lab.setFullScreen(on);
    this.problem = result.ok ? null : result.message;
  }

  private apply(): void {
    if (this.on) this.root.dataset['presenting'] = '';
    else delete this.root.dataset['presenting'];
    // app.css says how large chart text is in each mode (and window size).
    setChartTextSize(parseFloat(getComputedStyle(this.root).getPropertyValue('--chart-text')) || 14);
  }
}

function readStored(): boolean {
  try {
    return sessionStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}
