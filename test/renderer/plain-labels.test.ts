// The label table: every internal name has words, and study run labels read as words.
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, INITIALISERS, OPTIMIZERS } from '../../src/engine/training/run-config';
import { ACTIVATION_LABELS, INIT_LABELS, OPTIMIZER_LABELS, plainRunLabel, plainValue } from '../../src/renderer/src/ui/plain-labels';

describe('plain labels', () => {
  it('name every activation, initialiser and optimiser the engine knows', () => {
    for (const name of ACTIVATIONS) expect(ACTIVATION_LABELS[name]).toBeTruthy();
    for (const name of INITIALISERS) expect(INIT_LABELS[name]).toBeTruthy();
    for (const name of OPTIMIZERS) expect(OPTIMIZER_LABELS[name]).toBeTruthy();
    expect(Object.values(INIT_LABELS)).not.toContain('uniform-course');
  });

  it('turn a study run label into words, leaving unknown parts alone', () => {
    expect(plainRunLabel('batchSize=16, learningRate=0.01')).toBe('batch size 16, learning rate 0.01');
    expect(plainRunLabel('init=uniform-course, activation=relu')).toBe('initialiser Uniform ±1/√fan-in (blog), activation ReLU');
    expect(plainRunLabel('optimizer=adam, hidden=128x64')).toBe('optimiser Adam, hidden widths 128 × 64');
    expect(plainRunLabel('baseline')).toBe('baseline');
    expect(plainRunLabel('colour=blue')).toBe('colour=blue');
    expect(plainValue('init', 'he')).toBe('He (for ReLU)');
    expect(plainValue('batchSize', '64')).toBe('64');
  });
});
