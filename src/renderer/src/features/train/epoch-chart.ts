/**
 * The notebook's plot: accuracy on the training minibatches and on the test set after each epoch.
 * The x axis spans the planned epochs from the start, so the plot shows how far the run has to go.
 */
import type { ChartColors } from '$ui/charts/chart-colors';
import { Chart, LIVE_CHART_OPTIONS, axisColors, axisTitle, percentTick, pluginColors, type LineChart, type LineDataset } from '$ui/charts/chart-setup';
import type { EpochCurves, Point } from '$ui/charts/curves';

export function createEpochChart(
  canvas: HTMLCanvasElement,
  curves: EpochCurves,
  plannedEpochs: number,
  colors: ChartColors,
): LineChart {
  const line = (label: string, data: LineDataset['data'], pointStyle: 'circle' | 'rectRot', color: string): LineDataset => ({
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2.5,
    pointRadius: 5,
    pointHoverRadius: 7,
    pointStyle,
    tension: 0,
  });
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: {
      datasets: [
        line('Train', curves.train, 'circle', colors.train),
        line('Test', curves.test, 'rectRot', colors.test),
      ],
    },
    options: {
      ...LIVE_CHART_OPTIONS,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          type: 'linear',
          // Half an epoch of margin each side, so the first and last points are not cut in half.
          min: 0.5,
          max: plannedEpochs + 0.5,
          title: axisTitle('Epoch', colors),
          ticks: { precision: 0, color: colors.muted },
          afterBuildTicks: (axis) => {
            axis.ticks = epochTicks(Math.round((axis.max as number) - 0.5));
          },
          ...axisColors(colors),
        },
        y: {
          type: 'linear',
          suggestedMin: 0.8,
          suggestedMax: 1,
          title: axisTitle('Accuracy', colors),
          ticks: { callback: percentTick, color: colors.muted },
          ...axisColors(colors),
        },
      },
      plugins: {
        ...pluginColors(colors),
      },
    },
  });
}

/** One tick per whole epoch, at most about ten of them. */
function epochTicks(epochs: number): { value: number }[] {
  const step = Math.max(1, Math.ceil(epochs / 10));
  const ticks: { value: number }[] = [];
  for (let epoch = step === 1 ? 1 : step; epoch <= epochs; epoch += step) ticks.push({ value: epoch });
  return ticks;
}

/** Redraws with the epochs so far, on an x axis as long as the planned run. */
export function refreshEpochChart(chart: LineChart, curves: EpochCurves, plannedEpochs: number): void {
  const [train, test] = chart.data.datasets;
  if (train) train.data = curves.train;
  if (test) test.data = curves.test;
  const x = chart.options.scales?.['x'];
  if (x) x.max = Math.max(1, plannedEpochs) + 0.5;
  chart.update('none');
}
