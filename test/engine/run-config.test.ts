import { describe, expect, it } from 'vitest';
import { PRESETS, PRESET_NAMES, validateRunConfig } from '../../src/engine/training/run-config';

describe('run configuration validation', () => {
  it('accepts every preset as it is', () => {
    for (const name of PRESET_NAMES) expect(validateRunConfig(PRESETS[name]).ok, name).toBe(true);
  });

  it('the course presets are the course\'s networks', () => {
    expect(PRESETS.notebook).toMatchObject({ layers: [784, 100, 200, 10], activation: 'relu', init: 'normal-0.01', optimizer: 'sgd', learningRate: 0.1, batchSize: 8 });
    expect(PRESETS.blog).toMatchObject({ layers: [784, 128, 64, 10], activation: 'relu', init: 'uniform-course', optimizer: 'sgd', learningRate: 0.01, batchSize: 64, shuffle: false });
  });

  it('lists every problem with a message that says what to do', () => {
    const check = validateRunConfig({ ...PRESETS.default, layers: [784, 0, 10], learningRate: -1, batchSize: 2.5, activation: 'softplus', shuffle: 'yes' });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    const byField = Object.fromEntries(check.problems.map((p) => [p.field, p.message]));
    expect(byField.layers).toBe('Layer 2 width must be a whole number from 1 to 4096; got 0.');
    expect(byField.learningRate).toBe('Learning rate must be a number above 0 and at most 1000000; got -1.');
    expect(byField.batchSize).toBe('Batch size must be a whole number from 1 to 4096; got 2.5.');
    expect(byField.activation).toBe('Activation must be one of relu, sigmoid, tanh; got "softplus".');
    expect(byField.shuffle).toMatch(/Shuffle must be on or off/);
  });

  it('refuses non-objects, missing fields and non-finite numbers', () => {
    expect(validateRunConfig(null).ok).toBe(false);
    expect(validateRunConfig([1, 2]).ok).toBe(false);
    const { epochs: _e, ...missing } = PRESETS.default;
    const check = validateRunConfig(missing);
    expect(check.ok === false && check.problems.map((p) => p.field)).toEqual(['epochs']);
    expect(validateRunConfig({ ...PRESETS.default, learningRate: Number.NaN }).ok).toBe(false);
    expect(validateRunConfig({ ...PRESETS.default, epochs: Number.POSITIVE_INFINITY }).ok).toBe(false);
  });

  it('returns a clean copy, not the caller\'s object', () => {
    const input = { ...PRESETS.default, extra: 'ignored' };
    const check = validateRunConfig(input);
    expect(check.ok && check.config).not.toBe(input);
    expect(check.ok && 'extra' in check.config).toBe(false);
  });
});
