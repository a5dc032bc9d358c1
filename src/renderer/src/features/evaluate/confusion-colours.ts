/**
 * The confusion matrix's two colour scales. Correct answers (the diagonal) and mistakes differ by
 * two orders of magnitude — about 1 000 against 0 to 20 on MNIST's test set — so one scale would
 * paint every mistake the same faint colour. The diagonal gets its own blue scale, from 0 to the
 * largest diagonal count; mistakes get an orange-to-red scale from 0 to the largest mistake count,
 * so the few confusions a network really makes (4 → 9, 5 → 3) stand out. A cell with no mistake
 * stays unpainted. Both are ColorBrewer sequential schemes (Blues, OrRd): blue against orange stays
 * apart for the common colour-vision deficiencies, and both also vary in lightness.
 */
import { interpolate, type Rgb } from '$ui/colour-scale';
import { inkFor } from '$ui/contrast';

/** ColorBrewer Blues (5 of 9 classes, light to dark), for correct answers. */
export const CORRECT_STOPS: readonly Rgb[] = [
  [0xde, 0xeb, 0xf7],
  [0x9e, 0xca, 0xe1],
  [0x42, 0x92, 0xc6],
  [0x21, 0x71, 0xb5],
  [0x08, 0x45, 0x94],
];

/** ColorBrewer OrRd (5 of 9 classes, light to dark), for mistakes. */
export const MISTAKE_STOPS: readonly Rgb[] = [
  [0xfe, 0xe8, 0xc8],
  [0xfd, 0xbb, 0x84],
  [0xfc, 0x8d, 0x59],
  [0xe3, 0x4a, 0x33],
  [0xb3, 0x00, 0x00],
];

/** The top of each scale: the largest count on the diagonal, and off it. */
export interface ConfusionScales {
  maxCorrect: number;
  maxMistake: number;
}

export function confusionScales(confusion: readonly (readonly number[])[]): ConfusionScales {
  let maxCorrect = 0;
  let maxMistake = 0;
  confusion.forEach((row, truth) =>
    row.forEach((count, predicted) => {
      if (truth === predicted) maxCorrect = Math.max(maxCorrect, count);
      else maxMistake = Math.max(maxMistake, count);
    }),
  );
  return { maxCorrect, maxMistake };
}

/** How one cell is painted; `background` null for a cell left unpainted (no mistakes there). */
export interface CellPaint {
  background: Rgb | null;
  /** The text colour on the background (null: the page's own muted text). */
  ink: string | null;
}

/**
 * A cell's colour on its scale: t = count / the scale's top, linear, so a mistake made 18 times
 * reads twice as strong as one made 9 times; even a single mistake is painted, near the lightest
 * stop, so it still differs from a cell with none.
 */
export function cellPaint(truth: number, predicted: number, count: number, scales: ConfusionScales): CellPaint {
  if (truth === predicted) {
    const background = interpolate(CORRECT_STOPS, scales.maxCorrect > 0 ? count / scales.maxCorrect : 0);
    return { background, ink: inkFor(background) };
  }
  if (count <= 0) return { background: null, ink: null };
  const background = interpolate(MISTAKE_STOPS, scales.maxMistake > 0 ? count / scales.maxMistake : 1);
  return { background, ink: inkFor(background) };
}

/** A CSS colour for an RGB triple. */
export function cssColour([r, g, b]: Readonly<Rgb>): string {
  return `rgb(${r} ${g} ${b})`;
}

/** A left-to-right CSS gradient through a scale's stops, for its legend. */
export function legendGradient(stops: readonly Rgb[]): string {
  return `linear-gradient(to right, ${stops.map(cssColour).join(', ')})`;
}
