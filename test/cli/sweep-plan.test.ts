import { describe, expect, it } from 'vitest';
import { sweepPlanFromArgs } from '../../src/cli/sweep-args';

describe('the sweep plan', () => {
  it('--preset blog-study reports the blog\'s eleven runs and trains nine: the shared baseline once', () => {
    const plan = sweepPlanFromArgs(['--preset', 'blog-study']);
    expect(plan.runs).toHaveLength(9);
    expect(plan.reported.map((r) => r.label)).toEqual([
      'batchSize=16',
      'batchSize=32',
      'batchSize=64',
      'batchSize=128',
      'learningRate=0.1',
      'learningRate=0.01',
      'learningRate=0.001',
      'learningRate=0.0001',
      'activation=relu',
      'activation=sigmoid',
      'activation=tanh',
    ]);
    // The baseline (batch 64, lr 0.01, ReLU) appears once in each sweep, always as the same training.
    const baseline = [2, 5, 8].map((i) => plan.reported[i].trainedAs);
    expect(new Set(baseline).size).toBe(1);
    const config = plan.runs[baseline[0]].config;
    expect(config).toMatchObject({ batchSize: 64, learningRate: 0.01, activation: 'relu', shuffle: false, init: 'uniform-course' });
    // Every other reported run has a training of its own.
    const others = plan.reported.filter((_, i) => ![2, 5, 8].includes(i)).map((r) => r.trainedAs);
    expect(new Set(others).size).toBe(8);
    expect(others).not.toContain(baseline[0]);
  });

  it('a plain grid reports each training once, in order', () => {
    const plan = sweepPlanFromArgs(['--vary', 'lr=0.1,0.01', '--vary', 'batch=32,64']);
    expect(plan.reported).toEqual(plan.runs.map((run) => ({ label: run.label, trainedAs: run.index })));
  });
});
