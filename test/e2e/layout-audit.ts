/**
 * Finds what a viewer cannot see or reach: a visible control, picture or piece of text that sticks
 * out of the window, or out of an ancestor that hides its overflow, without a scroll bar on the way
 * that would bring it into view. A screen itself may scroll down but not sideways. Text cut short on
 * purpose with an ellipsis is not counted.
 */
import type { Page } from 'playwright-core';

export interface CutOff {
  /** What it is: its text (cut to 40 characters) or its tag. */
  what: string;
  /** Where: its nearest ids, test ids or classes. */
  where: string;
  /** Which side is cut, and by how many CSS pixels. */
  side: string;
}

export async function findCutOff(page: Page): Promise<CutOff[]> {
  return page.evaluate(() => {
    const describe = (element: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = element; e && parts.length < 3; e = e.parentElement) {
        const testId = e.getAttribute('data-testid');
        const cls = typeof e.className === 'string' && e.className.trim() ? `.${e.className.trim().split(/\s+/)[0]}` : '';
        parts.unshift(e.id ? `#${e.id}` : testId ? `[data-testid=${testId}]` : `${e.tagName.toLowerCase()}${cls}`);
      }
      return parts.join(' > ');
    };
    const scrolls = (style: CSSStyleDeclaration, axis: 'x' | 'y'): boolean =>
      ['auto', 'scroll'].includes(axis === 'x' ? style.overflowX : style.overflowY);
    const clips = (style: CSSStyleDeclaration, axis: 'x' | 'y'): boolean =>
      ['hidden', 'clip'].includes(axis === 'x' ? style.overflowX : style.overflowY);
    const leaves = document.body.querySelectorAll('button, input, select, label, canvas, img, svg, a, th, td, li, p, span, h1, h2, h3, dt, dd, figcaption, legend, output');
    const found: { what: string; where: string; side: string }[] = [];
    const width = document.documentElement.clientWidth;
    const height = document.documentElement.clientHeight;
    for (const element of leaves) {
      if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      if (element.parentElement?.closest('svg') || element.closest('option')) continue;
      const style = getComputedStyle(element);
      if (style.textOverflow === 'ellipsis' || style.clipPath.startsWith('inset(50%')) continue;
      const rect = element.getBoundingClientRect();
      if (rect.width < 2 || rect.height < 2) continue;
      let reachableX = false;
      let reachableY = false;
      let cut: string | null = null;
      for (let a = element.parentElement; a && a !== document.documentElement && cut === null; a = a.parentElement) {
        const s = getComputedStyle(a);
        const box = a.getBoundingClientRect();
        if (s.clipPath.startsWith('inset(50%')) break;
        if (!reachableX && clips(s, 'x')) {
          if (rect.right > box.right + 1) cut = `right by ${Math.round(rect.right - box.right)} px (inside ${describe(a)})`;
          else if (rect.left < box.left - 1) cut = `left by ${Math.round(box.left - rect.left)} px (inside ${describe(a)})`;
        }
        if (cut === null && !reachableY && clips(s, 'y')) {
          if (rect.bottom > box.bottom + 1) cut = `bottom by ${Math.round(rect.bottom - box.bottom)} px (inside ${describe(a)})`;
          else if (rect.top < box.top - 1) cut = `top by ${Math.round(box.top - rect.top)} px (inside ${describe(a)})`;
        }
        // A screen as a whole must not scroll sideways (its content would be cut at the window's
        // side); only a part within it (a wide table, the confusion matrix) may, with its scroll bar.
        reachableX ||= scrolls(s, 'x') && !a.matches('.screen, .screen > *, [data-screen] > *');
        reachableY ||= scrolls(s, 'y');
      }
      if (cut === null && !reachableX && rect.right > width + 1) cut = `right by ${Math.round(rect.right - width)} px (outside the window)`;
      if (cut === null && rect.left < -1) cut = `left by ${Math.round(-rect.left)} px (outside the window)`;
      if (cut === null && !reachableY && rect.bottom > height + 1) cut = `bottom by ${Math.round(rect.bottom - height)} px (outside the window)`;
      if (cut !== null) {
        const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ');
        found.push({ what: text ? `"${text.slice(0, 40)}"` : `<${element.tagName.toLowerCase()}>`, where: describe(element), side: cut });
      }
    }
    return found;
  });
}

export function describeCutOff(found: readonly CutOff[]): string {
  return found.map((f) => `${f.what} at ${f.where}: cut ${f.side}`).join('\n');
}
