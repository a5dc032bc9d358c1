import { describe, expect, it } from 'vitest';
import { untrainedBanner } from '../../src/renderer/src/features/backprop/model-banner';

const config = { layers: [784, 128, 64, 10], activation: 'ReLU', init: 'He', seed: 42 };

describe('the untrained network’s banner', () => {
  it('is one sentence: what the network is, and why (with main’s advice on what to do)', () => {
    const banner = untrainedBanner(config, 'There is no model yet: train one on the Train screen or load one on the Models screen.');
    expect(banner).toBe(
      'Untrained: a fresh 784-128-64-10 ReLU network from the Train form (He init, seed 42), because there is no model yet: train one on the Train screen or load one on the Models screen.',
    );
    // One full stop, at the end.
    expect(banner.match(/\.(\s|$)/g)).toHaveLength(1);
  });

  it('keeps one sentence when main’s reason ends in its own full stop', () => {
    const banner = untrainedBanner(config, 'The engine has stopped. ');
    expect(banner).toMatch(/, because the engine has stopped\.$/);
    expect(banner.match(/\.(\s|$)/g)).toHaveLength(1);
  });
});
