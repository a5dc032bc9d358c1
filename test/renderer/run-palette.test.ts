/** The study chart's run colours against the chart background of each theme, as app.css sets it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_PALETTE, RUN_PALETTE_DARK } from '../../src/renderer/src/features/experiments/study-series';
import { contrastRatio, hexToRgb } from '../../src/renderer/src/ui/contrast';

const css = readFileSync(join(import.meta.dirname, '../../src/renderer/src/app/app.css'), 'utf8');

/** The value of `--surface` (the charts' background) in the first rule block whose selector matches. */
function surface(selector: RegExp): string {
  const block = new RegExp(`${selector.source}\\s*\\{([^}]*)\\}`).exec(css)?.[1] ?? '';
  const value = /--surface:\s*(#[0-9a-fA-F]{3,6})\s*;/.exec(block)?.[1];
  if (!value) throw new Error(`No --surface colour in the app.css rule for ${selector.source}`);
  return value;
}

const LIGHT = surface(/:root/);
const DARK = surface(/:root\[data-theme='dark'\]/);

describe('run colours', () => {
  it('reads both themes’ chart backgrounds from app.css', () => {
    expect(LIGHT).toMatch(/^#/);
    expect(DARK).toMatch(/^#/);
    expect(LIGHT).not.toBe(DARK);
  });

  it.each(RUN_PALETTE.map((colour) => [colour]))('%s stands 3 : 1 or more against the light theme’s chart background', (colour) => {
    expect(contrastRatio(hexToRgb(colour), hexToRgb(LIGHT))).toBeGreaterThanOrEqual(3);
  });

  it.each(RUN_PALETTE_DARK.map((colour) => [colour]))('%s stands 3 : 1 or more against the dark theme’s chart background', (colour) => {
    expect(contrastRatio(hexToRgb(colour), hexToRgb(DARK))).toBeGreaterThanOrEqual(3);
  });

  it('has nine different colours in each theme', () => {
    expect(new Set(RUN_PALETTE.map((c) => c.toLowerCase())).size).toBe(9);
    expect(new Set(RUN_PALETTE_DARK.map((c) => c.toLowerCase())).size).toBe(9);
  });
});
