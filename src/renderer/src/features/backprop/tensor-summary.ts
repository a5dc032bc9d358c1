/** Summaries of a traced tensor for the step-through: a few numbers instead of thousands. */
import type { TraceTensor } from '$engine/teaching/backprop-trace';
import { symmetricRange } from '$ui/colour-scale';

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

/**
 * How a column is named, as the rest of the app names units: a hidden unit is counted from 1
 * ("unit 1" is the Weights screen's first tile and first heatmap column), an output unit is
 * the class it stands for ("digit 7", 0–9), never "unit 8".
 */
export function columnName(tensor: TraceTensor, column: number): string {
  return tensor.classColumns ? `digit ${column}` : `unit ${column + 1}`;
}

/** The short label of a column's bar: the digit itself, or the unit's count from 1. */
export function columnLabel(tensor: TraceTensor, column: number): string {
  return String(tensor.classColumns ? column : column + 1);
}

/** The size of the dataset's images (28 × 28 for MNIST). */
export interface ImageShape {
  rows: number;
  cols: number;
}

/** One unit's column of the first layer's weights, or of their gradient, as a picture. */
export interface UnitPicture {
  rows: number;
  cols: number;
  /** The column: value r·cols + c belongs to pixel (r, c). */
  values: Float64Array;
  /** Both ends of the diverging scale: the column's own largest |value|, so every unit shows in full contrast. */
  maxAbs: number;
  /** The legend's word for the values: "weight" or "gradient". */
  quantity: string;
  /** What the picture shows, e.g. "Unit 3's 784 incoming weights (column 3 of new W₁) as a 28×28 image". */
  label: string;
  /** How to read its colours. */
  hint: string;
}

/**
 * Whether a tensor's rows are the pixels of `image`: the first layer's weights or their gradient,
 * with one row per pixel. Deeper layers' matrices never count, even when a hidden layer happens to
 * have as many units as the image has pixels.
 */
export function isImageShaped(tensor: TraceTensor, image: ImageShape | null): image is ImageShape {
  return image !== null && image.rows > 1 && image.cols > 1 && tensor.weightsOf?.layer === 1 && tensor.rows === image.rows * image.cols;
}

/** Unit `unit` (0-based) of an image-shaped tensor as a picture; null for any other tensor or unit. */
export function unitPicture(tensor: TraceTensor, unit: number, image: ImageShape | null): UnitPicture | null {
  if (!isImageShaped(tensor, image) || !Number.isInteger(unit) || unit < 0 || unit >= tensor.cols) return null;
  const values = column(tensor, unit);
  const gradient = tensor.weightsOf?.gradient === true;
  return {
    rows: image.rows,
    cols: image.cols,
    values,
    maxAbs: symmetricRange(values),
    quantity: gradient ? 'gradient' : 'weight',
    label: `Unit ${unit + 1}'s ${tensor.rows} incoming ${gradient ? 'weight gradients' : 'weights'} (column ${unit + 1} of ${tensor.name}) as a ${image.rows}×${image.cols} image`,
    hint: gradient
      ? "Red: a positive gradient, so the update lowers that weight; blue: raises it; white: no change (no ink on that pixel, or the unit's δ is 0)."
      : "Red: this pixel's ink pushes the unit up; blue: pushes it down; white: no effect.",
  };
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
