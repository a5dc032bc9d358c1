/**
 * The blog's plot: loss (left axis) and accuracy (right axis) of every minibatch. Raw values are
 * drawn thin and pale, their trend bold; the legend names the two quantities, and clicking one
 * hides both its lines. Long runs stay smooth: the decimation plugin draws at most a few points per
 * pixel column, and nothing animates. The x axis spans the whole planned run.
 */
import type { ChartColors } from '$ui/charts/chart-colors';
import { Chart, LIVE_CHART_OPTIONS, axisColors, axisTitle, percentTick, pluginColors, type LineChart, type LineDataset } from '$ui/charts/chart-setup';
import { MIN_MAX_DECIMATION, NEAREST_X_INTERACTION, iterationAxis, valueAxis } from '$ui/charts/minibatch-chart-options';
import type { IterationCurves, Point } from '$ui/charts/curves';

export function createIterationChart(canvas: HTMLCanvasElement, curves: IterationCurves, colors: ChartColors): LineChart {
  const line = (label: string, data: LineDataset['data'], yAxisID: string, width: number, color: string): LineDataset => ({
    label,
    data,
    yAxisID,
    // Trends (the bold lines) are drawn over the raw values: a lower order is drawn later.
    order: width > 1 ? 0 : 1,
    borderColor: color,
    backgroundColor: color,
    borderWidth: width,
    pointRadius: 0,
    pointHoverRadius: 3,
    pointStyle: 'line',
    fill: false,
    tension: 0,
    spanGaps: false,
  });
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: {
      datasets: [
        line('Loss (each minibatch)', curves.loss, 'loss', 1, colors.lossFaint),
        line('Loss', curves.lossTrend, 'loss', 2.5, colors.loss),
        line('Accuracy (each minibatch)', curves.accuracy, 'accuracy', 1, colors.accuracyFaint),
        line('Accuracy', curves.accuracyTrend, 'accuracy', 2.5, colors.accuracy),
      ],
    },
    options: {
      ...LIVE_CHART_OPTIONS,
      interaction: NEAREST_X_INTERACTION,
      scales: {
        x: iterationAxis('Iteration (minibatch)', colors, 6),
        loss: { ...valueAxis('Loss', colors), position: 'left' },
        accuracy: {
          type: 'linear',
          position: 'right',
          min: 0,
          max: 1,
          title: axisTitle('Accuracy', colors),
          ticks: { callback: percentTick, color: colors.muted, maxTicksLimit: 6 },
          ...axisColors(colors),
          grid: { drawOnChartArea: false, color: colors.grid },
        },
      },
      plugins: {
        decimation: MIN_MAX_DECIMATION,
        ...pluginColors(colors),
        legend: {
          ...pluginColors(colors).legend,
          // Only the trend lines (odd indices) are listed; each stands for its pale raw line too.
          labels: {
            ...pluginColors(colors).legend.labels,
            pointStyleWidth: 22,
            filter: (item) => (item.datasetIndex ?? 0) % 2 === 1,
          },
          onClick: (_event, item, legend) => {
            const trend = item.datasetIndex ?? 1;
            const visible = legend.chart.isDatasetVisible(trend);
            legend.chart.setDatasetVisibility(trend, !visible);
            legend.chart.setDatasetVisibility(trend - 1, !visible);
            legend.chart.update('none');
          },
        },
      },
    },
  });
}

/**
 * Points the chart at the (grown) arrays again. With decimation on, chart.js keeps the full data
 * aside and shows a decimated copy; assigning `data` hands it the full array to decimate afresh.
 */
export function refreshIterationChart(chart: LineChart, curves: IterationCurves, totalIterations: number): void {
  const sources = [curves.loss, curves.lossTrend, curves.accuracy, curves.accuracyTrend];
  chart.data.datasets.forEach((dataset, i) => {
    dataset.data = sources[i] ?? [];
  });
  const x = chart.options.scales?.['x'];
  if (x) x.max = Math.max(1, totalIterations);
  chart.update('none');
}
