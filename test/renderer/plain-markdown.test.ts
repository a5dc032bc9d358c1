// Lesson texts' Markdown subset: paragraphs, bullet and numbered lists, bold and inline code; any
// other markup (HTML included) stays the text it is, to be drawn as text.
import { describe, expect, it } from 'vitest';
import { parsePlainMarkdown, parseSpans } from '../../src/renderer/src/ui/markdown/plain-markdown';

describe('the plain Markdown of lessons', () => {
  it('splits paragraphs on blank lines and joins the lines within one', () => {
    expect(parsePlainMarkdown('One\ntwo.\n\n\nThree.')).toEqual([
      { kind: 'paragraph', spans: [{ kind: 'text', text: 'One two.' }] },
      { kind: 'paragraph', spans: [{ kind: 'text', text: 'Three.' }] },
    ]);
  });

  it('reads bullet and numbered lists, an indented line continuing an item, and a paragraph after', () => {
    expect(parsePlainMarkdown('Intro:\n- a\n* b\n  more of b\n1. one\n2) two\nAfter.')).toEqual([
      { kind: 'paragraph', spans: [{ kind: 'text', text: 'Intro:' }] },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'a' }], [{ kind: 'text', text: 'b more of b' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two' }]] },
      { kind: 'paragraph', spans: [{ kind: 'text', text: 'After.' }] },
    ]);
  });

  it('marks bold and code, and leaves unclosed or empty markers as text', () => {
    expect(parseSpans('a **b** `c * d` e')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'bold', text: 'b' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'c * d' },
      { kind: 'text', text: ' e' },
    ]);
    expect(parseSpans('2 ** 3 and `x and ****')).toEqual([{ kind: 'text', text: '2 ** 3 and `x and ****' }]);
    expect(parseSpans('``')).toEqual([{ kind: 'text', text: '``' }]);
  });

  it('keeps HTML, links and headings as plain text (the component draws text, never markup)', () => {
    const text = '# Title\n<img src=x onerror="alert(1)"> [link](javascript:alert(1))';
    expect(parsePlainMarkdown(text)).toEqual([{ kind: 'paragraph', spans: [{ kind: 'text', text: '# Title <img src=x onerror="alert(1)"> [link](javascript:alert(1))' }] }]);
  });

  it('reads Windows and old Mac line ends alike, and formulas as text', () => {
    expect(parsePlainMarkdown('- w ← w − η ∂L/∂w\r\n- E = ½‖y − t‖²\r\rEnd')).toEqual([
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'w ← w − η ∂L/∂w' }], [{ kind: 'text', text: 'E = ½‖y − t‖²' }]] },
      { kind: 'paragraph', spans: [{ kind: 'text', text: 'End' }] },
    ]);
  });
});
