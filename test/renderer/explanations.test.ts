// The "?" texts: one for every setting and metric the issue names, each two or three plain sentences.
import { describe, expect, it } from 'vitest';
import { EXPLANATIONS } from '../../src/renderer/src/ui/explanations';

/** Sentences end with a full stop, a question or an exclamation mark followed by a space or the end. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z"])/).filter((s) => s.trim() !== '');
}

describe('explanations', () => {
  it('cover every setting and metric issue 14 names', () => {
    for (const topic of ['learningRate', 'batchSize', 'epochs', 'activation', 'initialiser', 'optimiser', 'weightDecay', 'loss', 'accuracy', 'trainVsTest', 'samplesPerSecond']) {
      expect(Object.keys(EXPLANATIONS)).toContain(topic);
    }
  });

  it('are two or three sentences each, with a title that reads after "About"', () => {
    for (const [topic, { title, text }] of Object.entries(EXPLANATIONS)) {
      const count = sentences(text).length;
      expect(count, `${topic}: ${text}`).toBeGreaterThanOrEqual(2);
      expect(count, `${topic}: ${text}`).toBeLessThanOrEqual(3);
      expect(title, topic).toMatch(/^[a-z]/);
    }
  });
});
