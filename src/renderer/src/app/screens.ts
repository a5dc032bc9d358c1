/**
 * The app's screens, in tab order. Each screen is a component that takes its own state (and what it
 * reads of the others') as props, never the AppState itself; adding a screen is one entry here, one
 * component file and its state in AppState.
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

export interface ScreenEntry {
  /** Stable id, used in the DOM (`data-screen`) and by tests. */
  id: string;
  /** The tab's label. */
  label: string;
  /** One line shown as the tab's tooltip. */
  hint: string;
  component: Component<object>;
  /** The component's props, read from the app's state (inside the template, so they stay live). */
  props: (app: AppState) => object;
}

/** An entry whose props are checked against its component's; the list then forgets each one's type. */
function screen<Props extends object>(entry: {
  id: string;
  label: string;
  hint: string;
  component: Component<Props>;
  props: (app: AppState) => Props;
}): ScreenEntry {
  return entry as unknown as ScreenEntry;
}

export const SCREENS: readonly ScreenEntry[] = [
  screen({
    id: 'train',
    label: 'Train',
    hint: 'Configure a network, train it and watch the curves.',
    component: TrainScreen,
    props: (app) => ({
      form: app.form,
      datasets: app.datasets,
      session: app.session,
      viewMode: app.viewMode,
      colors: app.colors,
      exportFile: (request) => app.lab.exportFile(request),
      presenting: app.presentation.on,
    }),
  }),
  screen({
    id: 'weights',
    label: 'Weights',
    hint: 'See what each unit learned: weight pictures, heatmaps and histograms, live while training.',
    component: WeightsScreen,
    props: (app) => ({ view: app.weights, training: app.session.active, datasetId: app.datasetId }),
  }),
  screen({
    id: 'data',
    label: 'Data',
    hint: 'Browse the training and test images, class by class.',
    component: DataScreen,
    props: (app) => ({ gallery: app.gallery, dataset: app.datasets.selected }),
  }),
  screen({
    id: 'evaluate',
    label: 'Evaluate',
    hint: 'Test accuracy, the confusion matrix, the mistakes, and draw a digit to classify.',
    component: EvaluateScreen,
    props: (app) => ({ evaluation: app.evaluation, dataset: app.datasets.selected }),
  }),
  screen({
    id: 'models',
    label: 'Models',
    hint: 'Save, load, rename, export and import trained models.',
    component: ModelsScreen,
    props: (app) => ({ library: app.library, datasetId: app.datasetId, training: app.session.active }),
  }),
  screen({
    id: 'experiments',
    label: 'Experiments',
    hint: 'Compare runs that differ in one setting: batch size, learning rate, activation…',
    component: ExperimentsScreen,
    props: (app) => ({
      experiments: app.experiments,
      dataset: app.datasets.selected,
      trainConfig: app.trainConfig,
      colors: app.colors,
      dark: app.theme.resolved === 'dark',
    }),
  }),
  screen({
    id: 'perceptron',
    label: 'Perceptron',
    hint: 'Watch a perceptron draw its boundary point by point; then a small MLP on XOR and circles.',
    component: PerceptronScreen,
    props: (app) => ({ lab: app.perceptron, colors: app.colors }),
  }),
  screen({
    id: 'backprop',
    label: 'Backprop',
    hint: 'Check gradients layer by layer, break them on purpose, and step through backprop for one image.',
    component: BackpropScreen,
    props: (app) => ({ lab: app.backprop, trainConfig: app.trainConfig, datasetId: app.datasetId }),
  }),
];
