/**
 * The blog's plot: loss (left axis) and accuracy (right axis) of every minibatch. Raw values are
 * drawn thin and pale, their trend bold; the previous run's trends, when kept, dashed and grey. The
 * legend names the quantities, and clicking one hides its lines. The x axis counts iterations,
 * images seen or epochs, over the whole run, its first epoch, or the whole run on a log scale.
 * Each redraw hands chart.js only what it shows: points placed on that axis and decimated to a few
 * per pixel column, so a redraw costs the same early and late in a long run.
 */
import type { ChartColors } from '$ui/charts/chart-colors';
import { Chart, LIVE_CHART_OPTIONS, axisColors, axisTitle, percentTick, pluginColors, type LineChart, type LineDataset } from '$ui/charts/chart-setup';
import { NEAREST_X_INTERACTION, valueAxis } from '$ui/charts/minibatch-chart-options';
import type { IterationCurves, Point } from '$ui/charts/curves';
import { displayPoints, logTickShown, xRange, xTickLabel, xTitle, type RunShape, type XSpan, type XUnit } from './iteration-axis';

/** The previous run's trend lines and the shape of that run. */
export interface PreviousIterations {
  lossTrend: readonly Point[];
  accuracyTrend: readonly Point[];
  shape: RunShape;
}

/** What one redraw of the iteration chart shows. */
export interface IterationChartView {
  curves: IterationCurves;
  shape: RunShape;
  unit: XUnit;
  span: XSpan;
  previous: PreviousIterations | null;
}

/** Dataset indices: raw and trend of loss and accuracy, then the previous run's two trends. */
const PREVIOUS_LOSS = 4;
const LEGEND_ENTRIES = new Set([1, 3, PREVIOUS_LOSS]);

export function createIterationChart(canvas: HTMLCanvasElement, colors: ChartColors): LineChart {
  const line = (label: string, yAxisID: string, width: number, color: string, dash: number[] = []): LineDataset => ({
    label,
    data: [],
    yAxisID,
    // Trends (the bold lines) are drawn over the raw values, the previous run under both: a lower order is drawn later.
    order: dash.length > 0 ? 2 : width > 1 ? 0 : 1,
    borderColor: color,
    backgroundColor: color,
    borderWidth: width,
    borderDash: dash,
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
        line('Loss (each minibatch)', 'loss', 1, colors.lossFaint),
        line('Loss', 'loss', 2.5, colors.loss),
        line('Accuracy (each minibatch)', 'accuracy', 1, colors.accuracyFaint),
        line('Accuracy', 'accuracy', 2.5, colors.accuracy),
        line('Previous run', 'loss', 2, colors.muted, [6, 4]),
        line('Previous run (accuracy)', 'accuracy', 2, colors.muted, [6, 4]),
      ],
    },
    options: {
      ...LIVE_CHART_OPTIONS,
      interaction: NEAREST_X_INTERACTION,
      scales: {
        x: {
          type: 'linear',
          min: 0,
          title: axisTitle(xTitle('iterations'), colors),
          ticks: { maxTicksLimit: 7, maxRotation: 0, color: colors.muted },
          ...axisColors(colors),
        },
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
        ...pluginColors(colors),
        legend: {
          ...pluginColors(colors).legend,
          // The trends stand for their pale raw lines; "Previous run" for both of its lines.
          labels: {
            ...pluginColors(colors).legend.labels,
            pointStyleWidth: 22,
            filter: (item, data) => LEGEND_ENTRIES.has(item.datasetIndex ?? 0) && (data.datasets[item.datasetIndex ?? 0]?.data.length ?? 0) > 0,
          },
          onClick: (_event, item, legend) => {
            const shown = item.datasetIndex ?? 1;
            const partner = shown === PREVIOUS_LOSS ? shown + 1 : shown - 1;
            const visible = legend.chart.isDatasetVisible(shown);
            legend.chart.setDatasetVisibility(shown, !visible);
            legend.chart.setDatasetVisibility(partner, !visible);
            legend.chart.update('none');
          },
        },
      },
    },
  });
}

/** Redraws the chart with what `view` says it shows. */
export function refreshIterationChart(chart: LineChart, view: IterationChartView): void {
  const { curves, shape, unit, span, previous } = view;
  const range = xRange(unit, span, shape);
  const width = chart.chartArea?.width ?? chart.width;
  const place = (points: readonly Point[], from: RunShape) => displayPoints(points, unit, from, range, width);
  const sources: Point[][] = [
    place(curves.loss, shape),
    place(curves.lossTrend, shape),
    place(curves.accuracy, shape),
    place(curves.accuracyTrend, shape),
    previous ? place(previous.lossTrend, previous.shape) : [],
    previous ? place(previous.accuracyTrend, previous.shape) : [],
  ];
  chart.data.datasets.forEach((dataset, i) => {
    dataset.data = sources[i] ?? [];
  });
  const x = chart.options.scales?.['x'];
  if (x) {
    Object.assign(x, { type: range.type, min: range.min, max: range.max });
    x.title = { ...x.title, text: xTitle(unit) } as typeof x.title;
    x.ticks = {
      ...x.ticks,
      callback: (value: number | string) => {
        const number = Number(value);
        return range.type === 'logarithmic' && !logTickShown(number) ? '' : xTickLabel(number, unit);
      },
    } as typeof x.ticks;
  }
  chart.update('none');
}
