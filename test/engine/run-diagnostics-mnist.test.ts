// Each run diagnostic on a real MNIST run made to show it (issue 14): the course blog's network with
// sigmoid and the course's initial weights, learning rates of 1.0 and 1e-5, a 784-4-10 network, a
// sigmoid network pushed into saturation and a network trained on 500 images. Subsets of the real
// images and two epochs keep each run to a few seconds; a healthy run shows nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { selectKernels } from '../../src/engine/kernels/select';
import { createRun } from '../../src/engine/training/run';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { diagnoseRun, type Finding } from '../../src/engine/teaching/run-diagnostics';
import { measureUnitHealth } from '../../src/engine/teaching/unit-health';
import { mnistSubset } from '../helpers/mnist';

let kernels: Kernels;
beforeAll(async () => {
  kernels = await selectKernels('auto');
});

/** Trains `config` on the first `train` / `test` MNIST images and diagnoses the run as the app does. */
function trainAndDiagnose(config: RunConfig, train = 10_000, test = 2_000): { findings: Finding[]; testAccuracy: number } {
  const data = mnistSubset(train, test);
  const run = createRun(config, data, kernels);
  const losses: number[] = [];
  while (!run.training.done) for (const event of run.training.step()) if (event.type === 'batch') losses.push(event.loss);
  const findings = diagnoseRun({
    ...config,
    classes: data.classes,
    losses,
    epochs: run.training.history,
    hiddenLayers: measureUnitHealth(run.network, config.activation, data.test),
  });
  return { findings, testAccuracy: run.training.history.at(-1)?.testAccuracy ?? Number.NaN };
}

const ids = (findings: Finding[]) => findings.map((f) => f.id);

describe('run diagnostics on real MNIST runs', () => {
  it('a healthy run (the default preset, one epoch) shows nothing', () => {
    const { findings, testAccuracy } = trainAndDiagnose({ ...PRESETS.default, epochs: 1 });
    expect(testAccuracy).toBeGreaterThan(0.85);
    expect(findings).toEqual([]);
  });

  it('the blog network with sigmoid and the course init "did not learn": flat loss, units alike for every image', () => {
    const { findings, testAccuracy } = trainAndDiagnose({ ...PRESETS.blog, activation: 'sigmoid', init: 'uniform-course', epochs: 2 });
    expect(testAccuracy).toBeLessThan(0.15);
    expect(ids(findings)).toEqual(['did-not-learn', 'loss-flat']);
    const flat = findings[1];
    expect(flat.detail).toMatch(/hidden layer 2 give almost the same output for every image/);
    expect(flat.advice).toContain('Xavier');
  });

  it('learning rate 1.0 on the blog network: the loss jumps up and down and most first-layer ReLUs die', () => {
    const { findings } = trainAndDiagnose({ ...PRESETS.blog, learningRate: 1, epochs: 2 });
    expect(ids(findings)).toContain('loss-unstable');
    expect(findings.find((f) => f.id === 'loss-unstable')?.advice).toContain('too high');
    expect(ids(findings)).toContain('dead-relus');
  });

  it('learning rate 1e-5: the loss barely moves and the network does not learn', () => {
    const { findings, testAccuracy } = trainAndDiagnose({ ...PRESETS.blog, learningRate: 1e-5, epochs: 2 });
    expect(testAccuracy).toBeLessThan(0.15);
    expect(ids(findings)).toEqual(['did-not-learn', 'loss-flat']);
    expect(findings[1].advice).toContain('too low');
  });

  it('a 784-4-10 network at a high learning rate: 3 of its 4 ReLUs die, and it does not learn', () => {
    const { findings } = trainAndDiagnose({ ...PRESETS.blog, layers: [784, 4, 10], learningRate: 1, epochs: 2 });
    expect(ids(findings)).toContain('dead-relus');
    expect(findings.find((f) => f.id === 'dead-relus')?.detail).toMatch(/^[34] of its 4 units/);
    expect(ids(findings)).toContain('did-not-learn');
  });

  it('sigmoid with Adam at learning rate 0.1: the hidden units saturate', () => {
    const { findings } = trainAndDiagnose({ ...PRESETS.default, layers: [784, 128, 64, 10], activation: 'sigmoid', init: 'xavier', learningRate: 0.1, epochs: 1 });
    expect(ids(findings)).toContain('saturated-units');
  });

  it('500 training images and 12 epochs: training accuracy far above test (overfitting)', () => {
    const { findings } = trainAndDiagnose({ ...PRESETS.fast, epochs: 12 }, 500, 1_000);
    expect(ids(findings)).toEqual(['overfitting']);
  });
});
