/** Summaries of a traced tensor for the step-through: a few numbers instead of thousands. */
import type { TraceTensor } from '../../../engine/backprop-trace';

export interface Summary {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** ‖t‖₂. */
  norm: number;
  zeros: number;
}

export function summarise(values: ArrayLike<number>): Summary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  let zeros = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    squares += v * v;
    if (v === 0) zeros++;
  }
  return { count: values.length, min, max, mean: values.length ? sum / values.length : 0, norm: Math.sqrt(squares), zeros };
}

/** Column `unit` of a rows × cols tensor (a row vector's column is one number). */
export function column(tensor: TraceTensor, unit: number): Float64Array {
  return Float64Array.from({ length: tensor.rows }, (_, r) => tensor.values[r * tensor.cols + unit]);
}

/** The `count` entries largest in size, with their positions. */
export function largest(values: ArrayLike<number>, count: number): { index: number; value: number }[] {
  return Array.from(values, (value, index) => ({ index, value }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .slice(0, count);
}

/** A number short enough for a table cell: 4 significant digits, exponent when tiny or huge. */
export function short(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e4 ? v.toExponential(2) : v.toPrecision(4);
}
