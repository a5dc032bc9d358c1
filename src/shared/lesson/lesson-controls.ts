/**
 * The controls a lesson may show, lock or hide, by stable id (`screen.control`). The ids are a
 * contract between lesson files and the app: a file names them, the renderer's control registry
 * (`src/renderer/src/ui/controls/`) gives each one its state, and the component that draws the
 * control declares it under the same id. Add an id here only together with the component that
 * declares it; never rename one (files written with it would be refused).
 */

/** The app's screens, in tab order, as lesson files name them. */
export const LESSON_SCREENS = ['train', 'weights', 'data', 'evaluate', 'models', 'experiments', 'perceptron', 'backprop'] as const;
export type LessonScreen = (typeof LESSON_SCREENS)[number];

/** Each control's id and what it is called where a person reads it (an editor, a message). */
export const CONTROLS = {
  'train.preset': 'Preset',
  'train.dataset': 'Dataset',
  'train.network': 'Network (hidden layers)',
  'train.activation': 'Activation',
  'train.init': 'Initialiser',
  'train.optimizer': 'Optimiser',
  'train.learningRate': 'Learning rate',
  'train.momentum': 'Momentum',
  'train.weightDecay': 'Weight decay',
  'train.batchSize': 'Batch size',
  'train.epochs': 'Epochs',
  'train.seed': 'Seed',
  'train.shuffle': 'Shuffle',
  'perceptron.data': 'Perceptron data',
  'perceptron.learningRate': 'Perceptron learning rate',
  'perceptron.epochs': 'Perceptron epochs',
  'perceptron.start': 'Perceptron random start',
  'perceptron.run': 'Perceptron step and play',
  'perceptron.mlp': 'Small MLP beside the perceptron',
  'experiments.setup': 'Study setup',
  'experiments.start': 'Start study',
  'backprop.reload': 'Reload current model',
  'backprop.images': 'Next images',
  'backprop.breakage': 'Broken-gradient switches',
} as const satisfies Record<`${LessonScreen}.${string}`, string>;

export type ControlId = keyof typeof CONTROLS;
export const CONTROL_IDS = Object.keys(CONTROLS) as ControlId[];

/** Shown as usual; locked: visible but cannot be changed ("set by the lesson"); hidden: not drawn. */
export const CONTROL_STATES = ['shown', 'locked', 'hidden'] as const;
export type ControlState = (typeof CONTROL_STATES)[number];

/** A state for some controls; the controls not named stay as they are. */
export type ControlStates = Partial<Record<ControlId, ControlState>>;

export function isControlId(value: unknown): value is ControlId {
  return typeof value === 'string' && Object.hasOwn(CONTROLS, value);
}

/** The screen a control is on: the part of its id before the dot. */
export function screenOfControl(id: ControlId): LessonScreen {
  return id.slice(0, id.indexOf('.')) as LessonScreen;
}
