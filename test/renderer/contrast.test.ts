import { describe, expect, it } from 'vitest';
import { contrastRatio, hexToRgb, inkFor, relativeLuminance } from '../../src/renderer/src/ui/contrast';

describe('WCAG contrast', () => {
  it('reads #rgb and #rrggbb and refuses anything else', () => {
    expect(hexToRgb('#fff')).toEqual([255, 255, 255]);
    expect(hexToRgb('#1864AB')).toEqual([0x18, 0x64, 0xab]);
    expect(() => hexToRgb('rgb(1 2 3)')).toThrow(/not a colour of the form #rrggbb/);
    expect(() => hexToRgb('#12345')).toThrow();
  });

  it('gives the luminance of black 0 and of white 1', () => {
    expect(relativeLuminance([0, 0, 0])).toBe(0);
    expect(relativeLuminance([255, 255, 255])).toBeCloseTo(1, 12);
  });

  it('matches the ratios WCAG quotes: 21 for black on white, 1 for a colour on itself', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 10);
    expect(contrastRatio([255, 255, 255], [0, 0, 0])).toBeCloseTo(21, 10);
    expect(contrastRatio([120, 30, 200], [120, 30, 200])).toBe(1);
    // #767676 on white is the classic just-passing grey for body text (4.54 : 1).
    expect(contrastRatio(hexToRgb('#767676'), [255, 255, 255])).toBeCloseTo(4.54, 2);
  });

  it('picks black ink on light colours and white ink on dark ones, readable on every grey', () => {
    expect(inkFor([255, 255, 200])).toBe('#000000');
    expect(inkFor([8, 69, 148])).toBe('#ffffff');
    for (let v = 0; v <= 255; v++) expect(contrastRatio([v, v, v], hexToRgb(inkFor([v, v, v])))).toBeGreaterThanOrEqual(4.5);
  });
});
