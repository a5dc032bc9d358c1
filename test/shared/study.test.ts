import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/engine/kernels/js';
import { createRun } from '../../src/engine/training/run';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import {
  BLOG_STUDY,
  StudyError,
  expandStudy,
  expandStudyGrids,
  studyResultsToCsv,
  variedKeys,
  type StudyRunResult,
  type Variation,
} from '../../src/shared/study';
import { mnistSubset } from '../helpers/mnist';

const base: RunConfig = { ...PRESETS.default, layers: [784, 32, 10], epochs: 1 };

describe('expanding a study into its grid', () => {
  it('takes the product of every list, the first variation outermost, numbered from 0', () => {
    const runs = expandStudy(base, [
      { key: 'learningRate', values: [0.001, 0.01] },
      { key: 'batchSize', values: [64, 128] },
    ]);
    expect(runs.map((r) => [r.index, r.config.learningRate, r.config.batchSize])).toEqual([
      [0, 0.001, 64],
      [1, 0.001, 128],
      [2, 0.01, 64],
      [3, 0.01, 128],
    ]);
    expect(runs.map((r) => r.label)).toEqual([
      'learningRate=0.001, batchSize=64',
      'learningRate=0.001, batchSize=128',
      'learningRate=0.01, batchSize=64',
      'learningRate=0.01, batchSize=128',
    ]);
  });

  it('changes only the varied settings', () => {
    for (const run of expandStudy(base, [{ key: 'optimizer', values: ['sgd', 'adam'] }, { key: 'activation', values: ['tanh'] }])) {
      expect({ ...run.config, optimizer: base.optimizer, activation: base.activation }).toEqual(base);
    }
  });

  it('varies hidden widths between the base\'s input and output widths, labelled as 128x64', () => {
    const runs = expandStudy(base, [{ key: 'hidden', values: [[128, 64], [256]] }]);
    expect(runs.map((r) => r.config.layers)).toEqual([[784, 128, 64, 10], [784, 256, 10]]);
    expect(runs.map((r) => r.label)).toEqual(['hidden=128x64', 'hidden=256']);
  });

  it('gives the base alone for no variations, and every initialiser and optimiser on request', () => {
    expect(expandStudy(base, [])).toEqual([{ index: 0, label: 'base', config: base }]);
    const runs = expandStudy(base, [{ key: 'init', values: ['he', 'xavier', 'normal-0.01', 'uniform-course'] }, { key: 'optimizer', values: ['sgd', 'momentum', 'adam'] }]);
    expect(runs).toHaveLength(12);
    expect(runs[11].label).toBe('init=uniform-course, optimizer=adam');
  });

  it('refuses a value that makes an invalid run, naming the value and the problem', () => {
    expect(() => expandStudy(base, [{ key: 'learningRate', values: [0.1, -1] }])).toThrow(
      new StudyError('learningRate=-1: Learning rate must be a number above 0 and at most 1000000; got -1.'),
    );
    expect(() => expandStudy(base, [{ key: 'batchSize', values: [64, 2.5] }])).toThrow(/batchSize=2\.5: Batch size must be a whole number from 1 to 4096; got 2\.5\./);
    expect(() => expandStudy(base, [{ key: 'hidden', values: [[128, 0]] }])).toThrow(/hidden=128x0: Layer 3 width must be a whole number/);
    expect(() => expandStudy(base, [{ key: 'activation', values: ['softplus'] } as unknown as Variation])).toThrow(/activation=softplus: Activation must be one of relu, sigmoid, tanh/);
  });

  it('refuses a key varied twice, an empty list, a repeated value and an unknown key', () => {
    expect(() => expandStudy(base, [{ key: 'batchSize', values: [16] }, { key: 'batchSize', values: [32] }])).toThrow('batchSize is varied twice; give all its values in one list.');
    expect(() => expandStudy(base, [{ key: 'learningRate', values: [] }])).toThrow('learningRate needs at least one value.');
    expect(() => expandStudy(base, [{ key: 'learningRate', values: [0.1, 0.01, 0.1] }])).toThrow('learningRate lists 0.1 twice.');
    expect(() => expandStudy(base, [{ key: 'hidden', values: [[]] }])).toThrow('Each hidden value is a list of 1 to 10 widths, e.g. 128x64; got [].');
    expect(() => expandStudy(base, [{ key: 'seed', values: [1, 2] } as unknown as Variation])).toThrow(/Cannot vary "seed"; choose from batchSize, learningRate/);
  });
});

describe('the blog study', () => {
  const runs = expandStudyGrids(BLOG_STUDY.base, BLOG_STUDY.grids);

  it('is the blog\'s three one-setting sweeps on the blog preset, its shared baseline run once', () => {
    expect(runs.map((r) => r.label)).toEqual([
      'batchSize=16',
      'batchSize=32',
      'batchSize=64, learningRate=0.01, activation=relu',
      'batchSize=128',
      'learningRate=0.1',
      'learningRate=0.001',
      'learningRate=0.0001',
      'activation=sigmoid',
      'activation=tanh',
    ]);
    expect(runs.map((r) => [r.config.batchSize, r.config.learningRate, r.config.activation])).toEqual([
      [16, 0.01, 'relu'],
      [32, 0.01, 'relu'],
      [64, 0.01, 'relu'],
      [128, 0.01, 'relu'],
      [64, 0.1, 'relu'],
      [64, 0.001, 'relu'],
      [64, 0.0001, 'relu'],
      [64, 0.01, 'sigmoid'],
      [64, 0.01, 'tanh'],
    ]);
    // The blog's network and training otherwise: 784-128-64-10, U(±1/√784) for every activation, plain SGD, no shuffling.
    for (const run of runs) {
      expect(run.config).toMatchObject({ layers: [784, 128, 64, 10], init: 'uniform-course', optimizer: 'sgd', shuffle: false, epochs: 5, seed: 42 });
    }
    expect(runs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(variedKeys(BLOG_STUDY.grids)).toEqual(['batchSize', 'learningRate', 'activation']);
  });

  it('every one of the blog\'s eleven trainings is one of its runs', () => {
    const blogsEleven = [
      ...[16, 32, 64, 128].map((batchSize) => ({ batchSize, learningRate: 0.01, activation: 'relu' })),
      ...[0.1, 0.01, 0.001, 0.0001].map((learningRate) => ({ batchSize: 64, learningRate, activation: 'relu' })),
      ...['relu', 'sigmoid', 'tanh'].map((activation) => ({ batchSize: 64, learningRate: 0.01, activation })),
    ];
    expect(blogsEleven).toHaveLength(11);
    for (const wanted of blogsEleven) expect(runs.some((r) => Object.entries(wanted).every(([k, v]) => r.config[k as keyof RunConfig] === v)), JSON.stringify(wanted)).toBe(true);
  });

  it('keeps its shape on another base (fewer epochs)', () => {
    const short = expandStudyGrids({ ...BLOG_STUDY.base, epochs: 1 }, BLOG_STUDY.grids);
    expect(short).toHaveLength(9);
    expect(short.every((r) => r.config.epochs === 1)).toBe(true);
  });
});

describe('runs share initial weights and shuffle order unless they vary what shapes or draws the weights', () => {
  const data = mnistSubset(256, 10);
  const start = (config: RunConfig) => createRun(config, data, jsKernels);

  it('learning rate, batch size, optimiser and activation leave the initial weights and the first images alone', () => {
    const runs = expandStudy({ ...base, shuffle: true, batchSize: 32 }, [
      { key: 'learningRate', values: [0.1, 0.001] },
      { key: 'optimizer', values: ['sgd', 'adam'] },
      { key: 'activation', values: ['relu', 'tanh'] },
    ]).map((r) => start(r.config));
    const first = runs[0].network.getWeights();
    for (const run of runs) expect(run.network.getWeights()).toEqual(first);

    // Same weights and same shuffled order: every run's first minibatch has the same loss and accuracy
    // before any update, whatever its learning rate or optimiser (same activation).
    const firstBatch = runs.filter((r) => r.config.activation === 'relu').map((r) => r.training.step()[0]);
    for (const event of firstBatch) expect(event).toEqual(firstBatch[0]);

    const otherBatch = start({ ...runs[0].config, batchSize: 64 });
    expect(otherBatch.network.getWeights()).toEqual(first);
  });

  it('the initialiser and the hidden widths do change them', () => {
    const [he, xavier] = expandStudy(base, [{ key: 'init', values: ['he', 'xavier'] }]).map((r) => start(r.config).network.getWeights());
    expect(he[0].weights).not.toEqual(xavier[0].weights);
    const [narrow, wide] = expandStudy(base, [{ key: 'hidden', values: [[32], [64]] }]).map((r) => start(r.config).network.getWeights());
    expect(narrow[0].outputs).not.toBe(wide[0].outputs);
  });
});

describe('the results as CSV', () => {
  const runs = expandStudy(base, [{ key: 'learningRate', values: [0.1, 0.001] }, { key: 'hidden', values: [[128, 64]] }]);
  const result = (i: number, extra: Partial<StudyRunResult>): StudyRunResult => ({
    ...runs[i],
    status: 'completed',
    finalTestAccuracy: null,
    bestEpoch: null,
    bestTestAccuracy: null,
    finalTrainLoss: null,
    seconds: null,
    secondsToTarget: null,
    ...extra,
  });

  it('has a header naming each varied key and the target, one row per run, RFC 4180 quoting and CRLF', () => {
    const csv = studyResultsToCsv(
      [
        result(0, { finalTestAccuracy: 0.9712, bestEpoch: 3, bestTestAccuracy: 0.9731, finalTrainLoss: 0.0832, seconds: 12.5, secondsToTarget: 4.25 }),
        result(1, { status: 'diverged', finalTestAccuracy: 0.5, bestEpoch: 1, bestTestAccuracy: 0.5, finalTrainLoss: 1.7, seconds: 3 }),
      ],
      { keys: ['learningRate', 'hidden'], targetAccuracy: 0.95 },
    );
    expect(csv).toBe(
      'run,label,learningRate,hidden,finalTestAccuracy,bestEpoch,bestTestAccuracy,finalTrainLoss,wallSeconds,secondsToAccuracy0.95,status\r\n' +
        '1,"learningRate=0.1, hidden=128x64",0.1,128x64,0.9712,3,0.9731,0.0832,12.5,4.25,completed\r\n' +
        '2,"learningRate=0.001, hidden=128x64",0.001,128x64,0.5,1,0.5,1.7,3,,diverged\r\n',
    );
  });

  it('quotes quotes and line breaks, and leaves missing numbers empty', () => {
    const odd = { ...result(0, { status: 'cancelled' }), label: 'say "hi"\nthere' };
    const lines = studyResultsToCsv([odd], { keys: [], targetAccuracy: 0.9 }).split('\r\n');
    expect(lines[0]).toBe('run,label,finalTestAccuracy,bestEpoch,bestTestAccuracy,finalTrainLoss,wallSeconds,secondsToAccuracy0.9,status');
    expect(lines[1]).toBe('1,"say ""hi""\nthere",,,,,,,cancelled');
  });
});
