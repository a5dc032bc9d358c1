/**
 * The app's screens, in tab order. Each screen is a component taking the shared AppState; adding a
 * screen is one entry here and one component file.
 */
import type { Component } from 'svelte';
import type { AppState } from './app-state.svelte';
import TrainScreen from '../features/train/TrainScreen.svelte';
import WeightsScreen from '../features/weights/WeightsScreen.svelte';
import DataScreen from '../features/data/DataScreen.svelte';
import EvaluateScreen from '../features/evaluate/EvaluateScreen.svelte';
import ModelsScreen from '../features/models/ModelsScreen.svelte';
import ExperimentsScreen from '../features/experiments/ExperimentsScreen.svelte';
import PerceptronScreen from '../features/perceptron/PerceptronScreen.svelte';
import BackpropScreen from '../features/backprop/BackpropScreen.svelte';

export interface ScreenProps {
  app: AppState;
}

export interface ScreenEntry {
  /** Stable id, used in the DOM (`data-screen`) and by tests. */
  id: string;
  /** The tab's label. */
  label: string;
  /** One line shown as the tab's tooltip. */
  hint: string;
  component: Component<ScreenProps>;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: 'train', label: 'Train', hint: 'Configure a network, train it and watch the curves.', component: TrainScreen },
  { id: 'weights', label: 'Weights', hint: 'See what each unit learned: weight pictures, heatmaps and histograms, live while training.', component: WeightsScreen },
  { id: 'data', label: 'Data', hint: 'Browse the training and test images, class by class.', component: DataScreen },
  { id: 'evaluate', label: 'Evaluate', hint: 'Test accuracy, the confusion matrix, the mistakes, and draw a digit to classify.', component: EvaluateScreen },
  { id: 'models', label: 'Models', hint: 'Save, load, rename, export and import trained models.', component: ModelsScreen },
  { id: 'experiments', label: 'Experiments', hint: 'Compare runs that differ in one setting: batch size, learning rate, activation…', component: ExperimentsScreen },
  { id: 'perceptron', label: 'Perceptron', hint: 'Watch a perceptron draw its boundary point by point; then a small MLP on XOR and circles.', component: PerceptronScreen },
  { id: 'backprop', label: 'Backprop', hint: 'Check gradients layer by layer, break them on purpose, and step through backprop for one image.', component: BackpropScreen },
];
