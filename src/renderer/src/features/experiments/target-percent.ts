/**
 * The target of the results table's "Time to … %" column as typed: a percentage above 0 and at most
 * 100, kept to 0.01 % (as the column header and the CSV header show it).
 */

export type TargetCheck = { ok: true; target: number } | { ok: false; message: string };

/** A typed percentage (null while the box is empty or not a number) as a target accuracy in (0, 1]. */
export function checkTargetPercent(percent: number | null): TargetCheck {
  const range = 'The target must be a number above 0 and at most 100';
  // An empty box and text that is not a number both reach here as null (or NaN).
  if (percent === null || Number.isNaN(percent)) return { ok: false, message: `${range}, e.g. 95.` };
  // Whole hundredths of a percent over a power of ten: 92.5 gives 0.925 exactly as written.
  const target = Math.round(percent * 100) / 10000;
  if (percent <= 0 || target <= 0 || percent > 100) return { ok: false, message: `${range}; got ${percent}.` };
  return { ok: true, target };
}

/** A target accuracy as the percentage shown: 0.9 → 90, 0.925 → 92.5, 0.3333 → 33.33. */
export function targetPercent(target: number): number {
  return Math.round(target * 10000) / 100;
}
