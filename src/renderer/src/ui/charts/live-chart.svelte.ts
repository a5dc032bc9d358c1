/**
 * The lifecycle every live chart shares; a chart component calls `liveChart` while it initialises.
 * The chart is built in an effect, so it is built afresh when what `create` reads changes, and
 * destroyed with the component. While data streams in it redraws at a pace (see frame-updater and
 * redraw-pacer: at most four times a second, and less when redrawing is slow), whenever what
 * `redrawOn` reads changes; what `reshapeOn` reads (the user's choices) redraws on the next frame.
 */
import type { LineChart } from './chart-setup';
import { frameUpdater } from './frame-updater';

export interface LiveChartParts {
  /**
   * Builds the chart. The reactive values it reads rebuild it when they change: pass the theme's
   * colours here, as chart.js keeps resolved colours in caches that mutating the options does not
   * reliably clear, and a theme switch is rare.
   */
  create: () => LineChart;
  /** Brings the chart up to date with the data; runs on an animation frame. */
  refresh: (chart: LineChart) => void;
  /** Reads the reactive values whose change calls for a redraw when the pace allows (growing data). */
  redrawOn: () => unknown;
  /** Reads the reactive values whose change calls for a redraw at once (a choice the user made). */
  reshapeOn?: () => unknown;
}

export function liveChart({ create, refresh, redrawOn, reshapeOn }: LiveChartParts): void {
  let chart: LineChart | null = null;
  const updater = frameUpdater(() => {
    if (!chart) return;
    refresh(chart);
    chart.canvas.dataset['redrawPending'] = 'false';
  });
  // The canvas says when a redraw waits for its turn, so a test can wait until it has drawn everything.
  const ask = (atOnce: boolean): void => {
    if (chart) chart.canvas.dataset['redrawPending'] = 'true';
    if (atOnce) updater.requestNow();
    else updater.request();
  };

  $effect(() => {
    const created = create();
    chart = created;
    // A new chart has what `create` gave it but not yet what `refresh` sets (such as the run's axis
    // length): bring it up to date on the next frame.
    ask(true);
    return () => {
      updater.cancel();
      created.destroy();
      chart = null;
    };
  });

  $effect(() => {
    redrawOn();
    ask(false);
  });

  if (reshapeOn) {
    $effect(() => {
      reshapeOn();
      ask(true);
    });
  }
}
