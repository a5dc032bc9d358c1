/** The charts' colours, read from the theme's CSS custom properties so charts follow light and dark. */

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  loss: string;
  lossFaint: string;
  accuracy: string;
  accuracyFaint: string;
  train: string;
  test: string;
  surface: string;
}

const PROPERTIES: Record<keyof ChartColors, string> = {
  text: '--text',
  muted: '--muted',
  grid: '--chart-grid',
  loss: '--chart-loss',
  lossFaint: '--chart-loss-faint',
  accuracy: '--chart-accuracy',
  accuracyFaint: '--chart-accuracy-faint',
  train: '--chart-train',
  test: '--chart-test',
  surface: '--surface',
};

export function readChartColors(element: Element): ChartColors {
  const style = getComputedStyle(element);
  const entries = Object.entries(PROPERTIES).map(([key, property]) => [key, style.getPropertyValue(property).trim()]);
  return Object.fromEntries(entries) as ChartColors;
}
