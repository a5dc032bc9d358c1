/**
 * chart.js, registered once with only the pieces the Train screen uses, and set up for live data:
 * no animation, no parsing (points are `{x, y}` already), system fonts big enough for a projector.
 */
import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { ChartColors } from './chart-colors';
import type { Point } from './curves';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Decimation, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, sans-serif';
Chart.defaults.font.size = 14;
Chart.defaults.animation = false;

export { Chart };

/** Sets the text size (CSS px) of every chart, present and future, and redraws those on screen. */
export function setChartTextSize(px: number): void {
  if (Chart.defaults.font.size === px) return;
  Chart.defaults.font.size = px;
  for (const chart of Object.values(Chart.instances)) chart.update('none');
}
export type LineChart = Chart<'line', Point[]>;
export type LineDataset = ChartDataset<'line', Point[]>;

/**
 * What every live chart shares: drawn from plain `{x, y}` arrays (no parsing), never animated (a
 * redraw per frame must stay cheap), and sized by its box rather than an aspect ratio.
 */
export const LIVE_CHART_OPTIONS = {
  animation: false,
  parsing: false,
  normalized: true,
  responsive: true,
  maintainAspectRatio: false,
} as const;

/** An axis title in the theme's text colour. */
export function axisTitle(text: string, colors: ChartColors): { display: true; text: string; color: string } {
  return { display: true, text, color: colors.text };
}

/** Grid and border colours of an axis. */
export function axisColors(colors: ChartColors): { grid: { color: string }; border: { color: string } } {
  return { grid: { color: colors.grid }, border: { color: colors.grid } };
}

/** Legend and tooltip in the theme's colours. */
export function pluginColors(colors: ChartColors) {
  return {
    legend: {
      position: 'top' as const,
      align: 'end' as const,
      labels: { color: colors.text, usePointStyle: true, boxHeight: 9, padding: 12 },
    },
    tooltip: {
      backgroundColor: colors.surface,
      titleColor: colors.text,
      bodyColor: colors.text,
      borderColor: colors.grid,
      borderWidth: 1,
    },
  };
}

/** Percent ticks for an accuracy axis (data in [0, 1]). */
export function percentTick(value: number | string): string {
  return `${Math.round(Number(value) * 100)} %`;
}
