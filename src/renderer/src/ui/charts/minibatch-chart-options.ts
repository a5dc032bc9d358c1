/**
 * What the charts of every minibatch share (the Train screen's iteration chart and the study's
 * overlay): thousands of points against the iteration, so hovering picks by x, drawing is
 * decimated, and the axes start at 0.
 */
import type { ChartColors } from './chart-colors';
import { axisColors, axisTitle } from './chart-setup';

/** Hovering anywhere above or below a point finds it: among thousands, hitting one exactly is hopeless. */
export const NEAREST_X_INTERACTION = { mode: 'nearest', axis: 'x', intersect: false } as const;

/** Draws at most a few points per pixel column, keeping each column's extremes, so long runs stay cheap. */
export const MIN_MAX_DECIMATION = { enabled: true, algorithm: 'min-max' } as const;

/** An x axis of iterations from 0: whole numbers, never rotated, at most `maxTicks` of them. */
export function iterationAxis(title: string, colors: ChartColors, maxTicks: number) {
  return {
    type: 'linear' as const,
    min: 0,
    title: axisTitle(title, colors),
    ticks: { maxTicksLimit: maxTicks, maxRotation: 0, precision: 0, color: colors.muted },
    ...axisColors(colors),
  };
}

/** A y axis of values from 0 (a loss, say), with at most six ticks. */
export function valueAxis(title: string, colors: ChartColors) {
  return {
    type: 'linear' as const,
    min: 0,
    title: axisTitle(title, colors),
    ticks: { color: colors.muted, maxTicksLimit: 6 },
    ...axisColors(colors),
  };
}
