/**
 * The lifecycle every live chart shares; a chart component calls `liveChart` while it initialises.
 * The chart is built in an effect, so it is built afresh when what `create` reads changes, and
 * destroyed with the component. It is redrawn at most once a frame (see frame-updater), whenever
 * what `redrawOn` reads changes.
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
  /** Reads the reactive values that call for a redraw. */
  redrawOn: () => unknown;
}

export function liveChart({ create, refresh, redrawOn }: LiveChartParts): void {
  let chart: LineChart | null = null;
  const updater = frameUpdater(() => {
    if (chart) refresh(chart);
  });

  $effect(() => {
    const created = create();
    chart = created;
    // A new chart has what `create` gave it but not yet what `refresh` sets (such as the run's axis
    // length): bring it up to date on the next frame.
    updater.request();
    return () => {
      updater.cancel();
      created.destroy();
      chart = null;
    };
  });

  $effect(() => {
    redrawOn();
    updater.request();
  });
}
