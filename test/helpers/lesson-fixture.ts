/** A lesson that uses every part of the format, with a small embedded model, for the format's tests. */
import { encodeModel } from '../../src/engine/files/model-file';
import { Rng } from '../../src/engine/nn/rng';
import type { NetworkWeights } from '../../src/engine/nn/weights';
import { PRESETS } from '../../src/engine/training/run-config';
import { encodeBase64 } from '../../src/shared/lesson/base64';
import type { Lesson } from '../../src/shared/lesson/lesson';

const modelConfig = { ...PRESETS.blog, layers: [4, 3, 2] };

function tinyWeights(): NetworkWeights {
  const rng = new Rng(3);
  return [
    { inputs: 4, outputs: 3, weights: new Float32Array(12).map(() => rng.normal()), biases: new Float32Array(3) },
    { inputs: 3, outputs: 2, weights: new Float32Array(6).map(() => rng.normal()), biases: new Float32Array(2) },
  ];
}

/** The bytes of a valid model file of a 4-3-2 network. */
export function tinyModelBytes(): Uint8Array {
  return encodeModel(
    {
      name: 'Tiny',
      createdAt: '2026-01-01T00:00:00.000Z',
      appVersion: '1.0.0',
      config: modelConfig,
      dataset: { name: 'Tiny', rows: 2, cols: 2, classes: 2, trainCount: 10, testCount: 4 },
      history: [],
    },
    tinyWeights(),
  );
}

export function fullLesson(): Lesson {
  return {
    title: 'Everything a lesson can hold',
    steps: [
      {
        title: 'A preset with changes',
        text: 'Read **this** first.\n\n- one\n- two with `code`',
        screen: 'train',
        state: { config: { preset: 'blog', changes: { learningRate: 0.1, epochs: 2 } }, dataset: { builtIn: 'mnist' } },
        controls: { 'train.learningRate': 'locked', 'train.seed': 'hidden', 'train.batchSize': 'shown' },
        questions: [{ question: 'Why?', answer: 'Because.' }, { question: 'And then?' }],
      },
      {
        title: 'A full configuration, a folder and a model',
        text: '',
        screen: 'evaluate',
        state: { config: { full: { ...PRESETS.notebook } }, dataset: { folder: 'data/fashion' }, model: { name: 'Tiny', base64: encodeBase64(tinyModelBytes()) } },
        controls: {},
        questions: [],
      },
      {
        title: 'A study',
        text: 'Compare.',
        screen: 'experiments',
        state: { study: { base: { preset: 'blog' }, epochs: 1, vary: [{ key: 'batchSize', values: [16, 64] }], targetPercent: 90, name: 'Batch sizes' } },
        controls: { 'experiments.start': 'shown' },
        questions: [],
      },
      {
        title: 'The blog study',
        text: 'All three sweeps.',
        screen: 'experiments',
        state: { study: { base: { preset: 'blog' }, epochs: 3, vary: 'blog', targetPercent: 95 } },
        controls: {},
        questions: [],
      },
      {
        title: 'Perceptron and backprop',
        text: '1. first\n2. second',
        screen: 'perceptron',
        state: { perceptron: { data: 'xor', learningRate: 0.001, epochs: 3, randomStart: true }, backpropImage: 17 },
        controls: { 'perceptron.data': 'locked', 'backprop.breakage': 'hidden' },
        questions: [{ question: 'Can a line split XOR?', answer: 'No.' }],
      },
    ],
  };
}
