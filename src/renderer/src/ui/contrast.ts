/**
 * WCAG 2 contrast between two colours: (L1 + 0.05) / (L2 + 0.05), L the relative luminance of
 * the lighter and the darker colour. Text needs 4.5 : 1; lines and other graphics 3 : 1.
 */
import type { Rgb } from './colour-scale';

/** "#rrggbb" (or "#rgb") as 0–255 RGB; throws on anything else, so a typo in a palette is caught. */
export function hexToRgb(hex: string): Rgb {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(hex);
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  const parts = short ? short.slice(1).map((d) => d + d) : long?.slice(1);
  if (!parts) throw new Error(`"${hex}" is not a colour of the form #rrggbb.`);
  return parts.map((p) => Number.parseInt(p, 16)) as Rgb;
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function relativeLuminance([r, g, b]: Readonly<Rgb>): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The contrast ratio of two colours, 1 (the same) to 21 (black on white). */
export function contrastRatio(a: Readonly<Rgb>, b: Readonly<Rgb>): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Whichever of black and white text reads better on `background`: at least 4.58 : 1 on any
 * colour (the worst case is a background of luminance 0.18, equally far from both). A near-black
 * ink would drop below 4.5 : 1 there.
 */
export function inkFor(background: Readonly<Rgb>): string {
  return contrastRatio(background, DARK_INK) >= contrastRatio(background, LIGHT_INK) ? '#000000' : '#ffffff';
}

const DARK_INK: Rgb = [0, 0, 0];
const LIGHT_INK: Rgb = [0xff, 0xff, 0xff];
