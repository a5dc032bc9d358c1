/** How numbers read on screen: short, rounded for people, never "NaN". */

/** 0.97342 → "97.3 %". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A loss with three significant digits: 2.30, 0.0412. */
export function formatLoss(loss: number | null | undefined): string {
  if (loss === null || loss === undefined || !Number.isFinite(loss)) return '–';
  return loss.toPrecision(3);
}

/** One formatter for every count: toLocaleString builds a new one each call, and chart ticks and live numbers call this many times a second. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345.6 → "12,346". */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(Math.round(count));
}

/** Seconds as people say them: "8 s", "2 min 05 s", "1 h 04 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '–';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
