/**
 * The built-in lessons, from the course this app grew from, as their `.mlplesson` documents (JSON
 * bundled with the app). `index.ts` reads them with the same reader as any lesson file; the tests
 * check each one with `lesson check` and walk through it step by step.
 */
import perceptron from './perceptron.json';
import firstMlp from './first-mlp.json';
import batchSize from './batch-size.json';
import learningRate from './learning-rate.json';
import activations from './activations.json';
import backprop from './backprop.json';

export const BUILT_IN_LESSON_DOCUMENTS: readonly unknown[] = [perceptron, firstMlp, batchSize, learningRate, activations, backprop];
