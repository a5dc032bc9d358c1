/**
 * Summaries of a layer's numbers for the Weights screen: a histogram of its weights or activations,
 * and how many of its units have stopped learning — dead ReLUs (zero for every input, so zero
 * gradient) and saturated sigmoid/tanh outputs (on a flat part of the curve, so a tiny gradient).
 */

export interface Histogram {
  /** counts[i] = values in [edges[i], edges[i+1]); the last bin also takes values equal to its upper edge. */
  counts: Uint32Array;
  /** bins + 1 increasing bin edges, from the range's min to its max. */
  edges: Float64Array;
  /** Values below the range (only with an explicit range, or −∞). */
  below: number;
  /** Values above the range (only with an explicit range, or +∞). */
  above: number;
  /** NaN values, which belong to no bin. */
  nan: number;
}

/**
 * Counts `values` into `bins` equal bins over [range.min, range.max], or, without a range, over
 * the smallest and largest finite value. A single repeated value gets the range v ± 0.5, so it sits
 * mid-range; with no finite values at all the range is [0, 1].
 */
export function histogram(values: ArrayLike<number>, bins: number, range?: { min: number; max: number }): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`A histogram needs a whole number of bins, at least 1; got ${bins}.`);
  const { min, max } = range ?? autoRange(values);
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new RangeError(`A histogram range needs finite min < max; got [${min}, ${max}].`);
  }
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = i === bins ? max : min + ((max - min) * i) / bins;

  const counts = new Uint32Array(bins);
  let below = 0;
  let above = 0;
  let nan = 0;
  const perUnit = bins / (max - min);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) nan++;
    else if (v < min) below++;
    else if (v > max) above++;
    else {
      let bin = Math.min(bins - 1, Math.floor((v - min) * perUnit));
      // The division can round across an edge; the edges themselves decide.
      if (v < edges[bin]) bin--;
      else if (bin < bins - 1 && v >= edges[bin + 1]) bin++;
      counts[bin]++;
    }
  }
  return { counts, edges, below, above, nan };
}

function autoRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 1 };
  return min === max ? { min: min - 0.5, max: max + 0.5 } : { min, max };
}

/**
 * Which units are dead on a batch: activations is batch × units (sample after sample, as the
 * engine lays out a layer's output), and unit j is dead (1) when its activation is 0 for every
 * sample. A ReLU that outputs 0 everywhere passes no gradient back, so its weights no longer change.
 * NaN is not 0: a unit gone NaN is broken, not dead.
 */
export function deadUnits(activations: ArrayLike<number>, units: number, batch: number): Uint8Array {
  if (!Number.isInteger(units) || units < 1 || !Number.isInteger(batch) || batch < 1) {
    throw new RangeError(`Dead units need at least 1 unit and 1 sample; got ${units} units × ${batch} samples.`);
  }
  if (activations.length !== units * batch) {
    throw new RangeError(`${batch} samples × ${units} units are ${units * batch} activations, but ${activations.length} were given.`);
  }
  const dead = new Uint8Array(units).fill(1);
  for (let s = 0; s < batch; s++) {
    for (let j = 0; j < units; j++) if (activations[s * units + j] !== 0) dead[j] = 0;
  }
  return dead;
}

/** The fraction of units that are 0 for every sample of the batch (see `deadUnits`). */
export function deadFraction(activations: ArrayLike<number>, units: number, batch: number): number {
  return deadUnits(activations, units, batch).reduce((sum, d) => sum + d, 0) / units;
}

/** The two activations that flatten out: sigmoid between 0 and 1, tanh between −1 and 1. */
export type SaturatingActivation = 'sigmoid' | 'tanh';

const ASYMPTOTES: Record<SaturatingActivation, { low: number; high: number }> = {
  sigmoid: { low: 0, high: 1 },
  tanh: { low: -1, high: 1 },
};

/**
 * The fraction of outputs within `epsilon` of either asymptote. The default, 2 % of the output
 * range (0.02 for sigmoid, 0.04 for tanh), marks where the slope has fallen below about 8 % of its
 * peak for both: σ' = σ(1−σ) < 0.0196 against 0.25, tanh' = 1 − t² < 0.078 against 1. NaN outputs
 * count as not saturated; an empty array gives 0.
 */
export function saturatedFraction(outputs: ArrayLike<number>, kind: SaturatingActivation, epsilon?: number): number {
  const { low, high } = ASYMPTOTES[kind];
  const eps = epsilon ?? 0.02 * (high - low);
  if (!(eps >= 0 && eps < (high - low) / 2)) {
    throw new RangeError(`epsilon must be from 0 to below half the ${kind} range (${(high - low) / 2}); got ${eps}.`);
  }
  if (outputs.length === 0) return 0;
  let saturated = 0;
  for (let i = 0; i < outputs.length; i++) {
    const v = outputs[i];
    if (v <= low + eps || v >= high - eps) saturated++;
  }
  return saturated / outputs.length;
}
