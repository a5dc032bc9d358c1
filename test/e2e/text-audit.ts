/**
 * Measures the text a viewer sees, in CSS pixels: every visible DOM or SVG text node by its computed
 * font size, and every string drawn on a canvas (chart.js ticks and legends, the perceptron plane's
 * labels) by the font it was drawn with, scaled by the context's transform and by the canvas's
 * display size over its pixel size.
 */
import type { Page } from 'playwright-core';

/**
 * Runs in the page before its scripts: records, per canvas, the smallest text drawn since the last
 * `__textAuditReset()`, and the string drawn at that size.
 */
export const CANVAS_TEXT_RECORDER = `(() => {
  let drawn = new WeakMap();
  window.__textAuditReset = () => { drawn = new WeakMap(); };
  window.__textAuditCanvas = (canvas) => drawn.get(canvas) ?? null;
  for (const name of ['fillText', 'strokeText']) {
    const original = CanvasRenderingContext2D.prototype[name];
    CanvasRenderingContext2D.prototype[name] = function (text, ...rest) {
      const match = /(\\d+(?:\\.\\d+)?)px/.exec(this.font);
      const canvas = this.canvas;
      if (match && canvas.width > 0 && String(text).trim() !== '') {
        const t = this.getTransform();
        const scale = Math.hypot(t.a, t.b) * (canvas.clientWidth / canvas.width);
        const px = Number(match[1]) * scale;
        const before = drawn.get(canvas);
        if (!before || px < before.px) drawn.set(canvas, { px, text: String(text) });
      }
      return original.call(this, text, ...rest);
    };
  }
})();`;

export interface SmallText {
  /** What the text says (cut to 40 characters). */
  text: string;
  /** Its size in CSS pixels. */
  px: number;
  /** Where it is: the nearest element with an id, test id, class or tag. */
  where: string;
}

/** Every visible text smaller than `minPx` on the page now, and the smallest text seen. */
export async function findSmallText(page: Page, minPx: number): Promise<{ smallest: number; offenders: SmallText[] }> {
  return page.evaluate((min) => {
    const describe = (element: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = element; e && parts.length < 3; e = e.parentElement) {
        const testId = e.getAttribute('data-testid');
        const cls = typeof e.className === 'string' && e.className.trim() ? `.${e.className.trim().split(/\s+/)[0]}` : '';
        parts.unshift(e.id ? `#${e.id}` : testId ? `[data-testid=${testId}]` : `${e.tagName.toLowerCase()}${cls}`);
      }
      return parts.join(' > ');
    };
    const visible = (element: Element): boolean => {
      if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
      const rect = element.getBoundingClientRect();
      if (rect.width < 2 || rect.height < 2) return false;
      // Text clipped away for screen readers only (a 1 px clip) is not seen.
      const clip = getComputedStyle(element).clipPath;
      return clip === 'none' || !clip.startsWith('inset(50%');
    };
    const offenders: { text: string; px: number; where: string }[] = [];
    let smallest = Infinity;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (text === '' || !element || element.closest('script, style, option') || !visible(element)) continue;
      const px = parseFloat(getComputedStyle(element).fontSize);
      smallest = Math.min(smallest, px);
      if (px < min - 0.01) offenders.push({ text: text.slice(0, 40), px, where: describe(element) });
    }
    const audit = (window as unknown as { __textAuditCanvas(c: HTMLCanvasElement): { px: number; text: string } | null }).__textAuditCanvas;
    for (const canvas of document.querySelectorAll('canvas')) {
      const drawn = audit(canvas);
      if (!drawn || !visible(canvas)) continue;
      smallest = Math.min(smallest, drawn.px);
      if (drawn.px < min - 0.01) offenders.push({ text: `canvas: ${drawn.text.slice(0, 30)}`, px: Math.round(drawn.px * 10) / 10, where: describe(canvas) });
    }
    return { smallest: Math.round(smallest * 10) / 10, offenders };
  }, minPx);
}

/** Forgets the canvas text drawn so far (before a change that redraws every chart). */
export function resetCanvasText(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as { __textAuditReset(): void }).__textAuditReset());
}

/** One line per offender, grouped for a failure message. */
export function describeSmallText(offenders: readonly SmallText[]): string {
  return offenders.map((o) => `${o.px} px "${o.text}" at ${o.where}`).join('\n');
}
