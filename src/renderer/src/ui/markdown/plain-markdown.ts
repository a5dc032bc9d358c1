/**
 * The plain Markdown subset of lesson texts, parsed into blocks and spans that a component draws
 * as elements with text in them (never as HTML), so nothing in a lesson can inject markup:
 *
 * - paragraphs, separated by a blank line (lines within one are joined);
 * - lists: lines starting with "- " or "* " (bullets), or "1. " (numbered);
 * - **bold** (hugging its words) and `inline code` inside any of them; a formula is written as
 *   text (`E = ½‖y − t‖²`).
 *
 * Anything else (headings, links, HTML) stays as the text it is.
 */

export type Span = { kind: 'text' | 'bold' | 'code'; text: string };

export type Block = { kind: 'paragraph'; spans: Span[] } | { kind: 'list'; ordered: boolean; items: Span[][] };

const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;

export function parsePlainMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', spans: parseSpans(paragraph.join(' ')) });
    if (list !== null) blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map(parseSpans) });
    paragraph = [];
    list = null;
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (line.trim() === '') {
      flush();
    } else if (item) {
      const ordered = numbered !== null;
      if (paragraph.length > 0 || (list !== null && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[1].trim());
    } else if (list !== null && /^\s+/.test(line)) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list !== null) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}

/** Bold and code spans of one line of text; an unclosed marker stays as it is. */
export function parseSpans(text: string): Span[] {
  const spans: Span[] = [];
  let plain = '';
  let i = 0;
  const push = (kind: Span['kind'], value: string): void => {
    if (plain !== '') spans.push({ kind: 'text', text: plain });
    plain = '';
    spans.push({ kind, text: value });
  };
  while (i < text.length) {
    if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        push('code', text.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    } else if (text.startsWith('**', i)) {
      // Bold hugs its words, as in Markdown: "2 ** 3" is arithmetic, not the start of bold.
      const end = text.indexOf('**', i + 2);
      const inner = end > i + 2 ? text.slice(i + 2, end) : '';
      if (inner !== '' && inner.trim() === inner) {
        push('bold', text.slice(i + 2, end));
        i = end + 2;
        continue;
      }
    }
    plain += text[i];
    i++;
  }
  if (plain !== '') spans.push({ kind: 'text', text: plain });
  return spans;
}
