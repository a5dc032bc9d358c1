/**
 * The notebook's plot: accuracy on the training minibatches and on the test set after each epoch.
 * The x axis spans the planned epochs from the start, so the plot shows how far the run has to go.
 * The previous run's two curves, when kept, are drawn dashed and grey beside them.
 */
import type { ChartColors } from '$ui/charts/chart-colors';
import { Chart, LIVE_CHART_OPTIONS, axisColors, axisTitle, percentTick, pluginColors, type LineChart, type LineDataset } from '$ui/charts/chart-setup';
import type { EpochCurves, Point } from '$ui/charts/curves';

/** Dataset indices of the previous run's curves. */
const PREVIOUS_TRAIN = 2;
const PREVIOUS_TEST = 3;

export function createEpochChart(
  canvas: HTMLCanvasElement,
  curves: EpochCurves,
  plannedEpochs: number,
  colors: ChartColors,
): LineChart {
  const line = (label: string, data: LineDataset['data'], pointStyle: 'circle' | 'rectRot', color: string, previous = false): LineDataset => ({
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: previous ? 2 : 2.5,
    borderDash: previous ? [6, 4] : [],
    pointRadius: previous ? 3.5 : 5,
    pointHoverRadius: 7,
    pointStyle,
    tension: 0,
    // The previous run is drawn under the current one.
    order: previous ? 1 : 0,
  });
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: {
      datasets: [
        line('Train', curves.train, 'circle', colors.train),
        line('Test', curves.test, 'rectRot', colors.test),
        line('Previous run', [], 'circle', colors.muted, true),
        line('Previous run (test)', [], 'rectRot', colors.muted, true),
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
        legend: {
          ...pluginColors(colors).legend,
          // "Previous run" stands for both of its curves, and shows only while one is kept.
          labels: {
            ...pluginColors(colors).legend.labels,
            filter: (item, data) => item.datasetIndex !== PREVIOUS_TEST && (data.datasets[item.datasetIndex ?? 0]?.data.length ?? 0) > 0,
          },
          onClick: (_event, item, legend) => {
            const shown = item.datasetIndex ?? 0;
            const visible = legend.chart.isDatasetVisible(shown);
            legend.chart.setDatasetVisibility(shown, !visible);
            if (shown === PREVIOUS_TRAIN) legend.chart.setDatasetVisibility(PREVIOUS_TEST, !visible);
            legend.chart.update('none');
          },
        },
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

/** The previous run's curves, as the epoch chart draws them. */
export interface PreviousEpochs {
  train: readonly Point[];
  test: readonly Point[];
}

/**
 * Redraws with the epochs so far (and the previous run's), on an x axis as long as the planned
 * run, or as the previous run where that was longer.
 */
export function refreshEpochChart(chart: LineChart, curves: EpochCurves, plannedEpochs: number, previous: PreviousEpochs | null): void {
  const [train, test, previousTrain, previousTest] = chart.data.datasets;
  if (train) train.data = curves.train;
  if (test) test.data = curves.test;
  if (previousTrain) previousTrain.data = previous ? [...previous.train] : [];
  if (previousTest) previousTest.data = previous ? [...previous.test] : [];
  const x = chart.options.scales?.['x'];
  if (x) x.max = Math.max(1, plannedEpochs, previous?.test.length ?? 0) + 0.5;
  chart.update('none');
}
