/** Pictures and probabilities drawn as terminal text. */

/** Rows of an image drawn in the terminal, darkest pixels as spaces and brightest as '@'. */
export function asciiImage(pixels: Uint8Array, rows: number, cols: number): string[] {
  const shades = ' .:-=+*#%@';
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) line += shades[Math.min(9, Math.floor((pixels[r * cols + c] / 256) * 10))].repeat(2);
    lines.push(line.trimEnd());
  }
  return lines;
}

/** One bar a class: "  3: ████████…   97.1%". */
export function probabilityBars(probabilities: readonly number[]): string[] {
  return probabilities.map((p, c) => `  ${c}: ${'█'.repeat(Math.round(p * 40)).padEnd(40)} ${(p * 100).toFixed(1)}%`);
}
