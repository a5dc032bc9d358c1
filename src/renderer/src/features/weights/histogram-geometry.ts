/** The shapes of the Weights screen's histograms: the bars as one SVG path, and readable ticks. */

/**
 * All bars as one SVG path in a box `counts.length` wide and `height` tall (bar i spans x from
 * i + 0.1 to i + 0.9, its top at height × count / highest); empty bins draw nothing.
 */
export function barsPath(counts: ArrayLike<number>, highest: number, height: number): string {
  const parts: string[] = [];
  for (let i = 0; i < counts.length; i++) {
    if (!(counts[i] > 0)) continue;
    const top = height - (height * Math.min(counts[i], highest)) / Math.max(highest, 1);
    parts.push(`M${i + 0.1} ${height}V${round(top)}H${i + 0.9}V${height}Z`);
  }
  return parts.join('');
}

/**
 * Round tick values (1, 2 or 5 times a power of ten apart) inside [min, max], the finest such step
 * that cuts the range into at most `target` + 1 pieces, for labels a class can read: 0.2 and 0.4,
 * not 0.2391. A range of one value has that one tick.
 */
export function niceTicks(min: number, max: number, target: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) return [min];
  const rough = (max - min) / (Math.max(1, target) + 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step); k * step <= max + step * 1e-9; k++) ticks.push(round(k * step));
  return ticks;
}

/** Six significant digits: enough for a coordinate, without 0.30000000000000004. */
function round(value: number): number {
  return Number(value.toPrecision(6)) + 0;
}
