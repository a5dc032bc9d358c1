/**
 * The study's overlay: one line per run for the chosen metric, coloured from the run palette, set
 * up like the Train screen's charts (no animation, no parsing, decimated, one update per frame).
 */
import type { ChartColors } from '$ui/charts/chart-colors';
import { Chart, LIVE_CHART_OPTIONS, percentTick, pluginColors, type LineChart, type LineDataset } from '$ui/charts/chart-setup';
import { MIN_MAX_DECIMATION, NEAREST_X_INTERACTION, iterationAxis, valueAxis } from '$ui/charts/minibatch-chart-options';
import type { Point } from '$ui/charts/curves';

export interface StudyLine {
  label: string;
  colour: string;
  dash: number[];
  points: Point[];
}

export function createStudyChart(canvas: HTMLCanvasElement, colors: ChartColors): LineChart {
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      ...LIVE_CHART_OPTIONS,
      interaction: NEAREST_X_INTERACTION,
      scales: {
        x: iterationAxis('Iteration', colors, 8),
        y: valueAxis('Loss', colors),
      },
      plugins: {
        decimation: MIN_MAX_DECIMATION,
        ...pluginColors(colors),
        legend: { ...pluginColors(colors).legend, labels: { ...pluginColors(colors).legend.labels, pointStyle: 'line', pointStyleWidth: 22 } },
      },
    },
  });
}

/**
 * Replaces the lines and relabels the axes; redraws once. `wholeX`: the x ticks are whole numbers
 * (iterations, images, epoch points), not fractions of an epoch.
 */
export function refreshStudyChart(chart: LineChart, lines: readonly StudyLine[], axes: { x: string; y: string; percent: boolean; epochs: boolean; wholeX: boolean }): void {
  chart.data.datasets = lines.map(
    (line): LineDataset => ({
      label: line.label,
      data: line.points,
      borderColor: line.colour,
      backgroundColor: line.colour,
      borderDash: line.dash,
      borderWidth: 2,
      pointRadius: axes.epochs ? 3 : 0,
      pointHoverRadius: 4,
      fill: false,
      tension: 0,
    }),
  );
  const x = chart.options.scales?.['x'];
  const y = chart.options.scales?.['y'];
  if (x && 'title' in x && x.title) x.title.text = axes.x;
  if (x) x.min = axes.epochs ? 1 : 0;
  if (x?.ticks && 'precision' in x.ticks) x.ticks.precision = axes.wholeX ? 0 : undefined;
  if (y && 'title' in y && y.title) y.title.text = axes.y;
  if (y) {
    y.max = axes.percent ? 1 : undefined;
    if (y.ticks) y.ticks.callback = axes.percent ? percentTick : (value) => String(value);
  }
  chart.update('none');
}
