/**
 * How fast a run on the Train screen trains: at full speed, or held to a number of minibatches a
 * second so that a class can watch the curves and the guesses move batch by batch. The renderer
 * offers a few steps; main and the worker accept any pace in the range below.
 */

/** The slowest pace: one minibatch every two seconds. */
export const SLOWEST_PACE = 0.5;
/** The fastest pace short of full speed. */
export const FASTEST_PACE = 1000;

/** A pace as it crosses a process boundary: minibatches a second in range, or null for full speed. */
export function isPace(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && value >= SLOWEST_PACE && value <= FASTEST_PACE);
}

/** What is wrong with a pace, or null when it is one. */
export function paceProblem(value: unknown): string | null {
  if (isPace(value)) return null;
  return `The speed must be full speed or from ${SLOWEST_PACE} to ${FASTEST_PACE} batches a second; got ${describe(value)}.`;
}

/** A short, safe description of any value (it may be huge, cyclic or a bigint). */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (value === undefined) return 'nothing';
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
