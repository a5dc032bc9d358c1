// The built-in lessons are lesson files like any other: each reads with the file reader `lesson
// check` uses, uses every part of the format it needs, and what they tell students is what the
// engine does (the blog's clusters converge in the third epoch; XOR never does).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Rng } from '../../src/engine/nn/rng';
import { gaussianClusters, xorPoints, COURSE_PERCEPTRON_PRESET } from '../../src/engine/teaching/gaussian-clusters';
import { Perceptron } from '../../src/engine/teaching/perceptron';
import { readLessonFileSync } from '../../src/node/lesson-file-io';
import { BUILT_IN_LESSON_DOCUMENTS } from '../../src/renderer/src/features/lessons/built-in/documents';
import { resolveLessonConfig } from '../../src/shared/lesson/lesson-state-read';

const folder = join(import.meta.dirname, '..', '..', 'src', 'renderer', 'src', 'features', 'lessons', 'built-in');
const FILES = ['perceptron', 'first-mlp', 'batch-size', 'learning-rate', 'activations', 'backprop'];

describe('the built-in lessons', () => {
  const lessons = FILES.map((name) => readLessonFileSync(join(folder, `${name}.json`)));

  it('are six valid lesson files, bundled in the menu order', () => {
    expect(lessons.map((l) => l.title)).toEqual(['The perceptron and its boundary', 'Your first MLP on MNIST', 'Batch size', 'Learning rate', 'Activations', 'Backprop by hand']);
    expect(BUILT_IN_LESSON_DOCUMENTS.map((d) => (d as { title: string }).title)).toEqual(lessons.map((l) => l.title));
    for (const lesson of lessons) for (const step of lesson.steps) expect(step.questions.length, `${lesson.title}: ${step.title}`).toBeGreaterThan(0);
  });

  it('set what the course set: the notebook network, the blog sweeps, the perceptron preset', () => {
    const [perceptron, firstMlp, batch, rate, activations, backprop] = lessons;
    expect(perceptron.steps[0].state.perceptron).toEqual({ data: 'clusters', learningRate: COURSE_PERCEPTRON_PRESET.learningRate, epochs: COURSE_PERCEPTRON_PRESET.epochs, randomStart: true });
    expect(perceptron.steps[2].state.perceptron?.data).toBe('xor');
    expect(resolveLessonConfig(firstMlp.steps[0].state.config!).layers).toEqual([784, 100, 200, 10]);
    expect(batch.steps[1].state.study?.vary).toEqual([{ key: 'batchSize', values: [16, 32, 64, 128] }]);
    expect(rate.steps[2].state.study?.vary).toEqual([{ key: 'learningRate', values: [0.1, 0.01, 0.001, 0.0001] }]);
    expect(activations.steps[0].state.study?.vary).toEqual([{ key: 'activation', values: ['relu', 'sigmoid', 'tanh'] }]);
    expect(resolveLessonConfig(activations.steps[0].state.study!.base).init).toBe('uniform-course');
    expect(backprop.steps.map((s) => s.controls['backprop.breakage'])).toEqual(['hidden', 'hidden', 'hidden', 'shown']);
  });

  it('tell the truth about the perceptron: the blog clusters converge in epoch 3, XOR never', () => {
    const clusters = gaussianClusters({ centres: [[-5, 5], [5, 5]], spread: 1, countPerClass: 100, seed: 42, shuffle: true });
    const rule = new Perceptron(2, new Rng(COURSE_PERCEPTRON_PRESET.initSeed));
    const mistakes = [1, 2, 3].map(() => clusters.points.filter((point, i) => rule.update(point, clusters.labels[i], 0.001).mistake).length);
    expect(mistakes[0]).toBeGreaterThan(0);
    expect(mistakes[1]).toBeGreaterThan(0);
    expect(mistakes[2]).toBe(0);
    const xor = xorPoints({ countPerCorner: 50, spread: 0.15, seed: 42, shuffle: true });
    const points = xor.points.map(([x, y]) => [(x - 0.5) * 8, (y - 0.5) * 8]);
    const xorRule = new Perceptron(2, new Rng(42));
    for (let epoch = 0; epoch < 20; epoch++) {
      const wrong = points.filter((point, i) => xorRule.update(point, xor.labels[i], 0.01).mistake).length;
      expect(wrong).toBeGreaterThan(0);
    }
  });
});
