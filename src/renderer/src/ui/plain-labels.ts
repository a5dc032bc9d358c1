/**
 * The words a person reads for the names the code uses: `uniform-course` is "Uniform ±1/√fan-in
 * (blog)", `batchSize=16` is "batch size 16". Every screen that shows a setting or one of its values
 * takes the words from here, and the end-to-end label walk (test/e2e/guidance-screen.test.ts) fails on
 * any internal name left visible.
 */
import type { ActivationName, InitName, OptimizerName, RunConfig } from '$engine/training/run-config';
import { VARIATION_KEYS, type VariationKey } from '$shared/study';

export const ACTIVATION_LABELS: Record<ActivationName, string> = { relu: 'ReLU', sigmoid: 'Sigmoid', tanh: 'tanh' };

export const INIT_LABELS: Record<InitName, string> = {
  'normal-0.01': 'Normal × 0.01 (notebook)',
  'uniform-course': 'Uniform ±1/√fan-in (blog)',
  he: 'He (for ReLU)',
  xavier: 'Xavier (for sigmoid, tanh)',
};

/** The same, short, for a sentence: "He usually suits ReLU." */
export const INIT_SHORT_LABELS: Record<InitName, string> = { 'normal-0.01': 'Normal × 0.01', 'uniform-course': 'Uniform ±1/√fan-in', he: 'He', xavier: 'Xavier' };

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = { sgd: 'SGD', momentum: 'SGD with momentum', adam: 'Adam' };

/** The settings a study can vary, as a person names them. */
export const VARIATION_NAMES: Record<VariationKey, string> = {
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  activation: 'Activation',
  init: 'Initialiser',
  optimizer: 'Optimiser',
  hidden: 'Hidden widths',
};

/** A setting's value in words: "He (for ReLU)", "Adam", "128 × 64". */
export function plainValue(key: VariationKey, value: string): string {
  switch (key) {
    case 'activation':
      return ACTIVATION_LABELS[value as ActivationName] ?? value;
    case 'init':
      return INIT_LABELS[value as InitName] ?? value;
    case 'optimizer':
      return OPTIMIZER_LABELS[value as OptimizerName] ?? value;
    case 'hidden':
      return value.split('x').join(' × ');
    default:
      return value;
  }
}

/**
 * A study run's label ("batchSize=16, init=he", as study files and CSV keep it) in words: "batch
 * size 16, initialiser He (for ReLU)". A part it does not know stays as it is.
 */
export function plainRunLabel(label: string): string {
  return label
    .split(', ')
    .map((part) => {
      const at = part.indexOf('=');
      const key = part.slice(0, at) as VariationKey;
      if (at < 0 || !VARIATION_KEYS.includes(key)) return part;
      return `${VARIATION_NAMES[key].toLowerCase()} ${plainValue(key, part.slice(at + 1))}`;
    })
    .join(', ');
}

/** The plain words a study's choice boxes take for each choice, besides its own name. */
const CHOICE_WORDS: Record<'activation' | 'init' | 'optimizer', Record<string, string>> = {
  activation: { relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh' },
  init: { he: 'he', xavier: 'xavier', uniform: 'uniform-course', blog: 'uniform-course', normal: 'normal-0.01', notebook: 'normal-0.01' },
  optimizer: { sgd: 'sgd', momentum: 'momentum', 'sgd with momentum': 'momentum', adam: 'adam' },
};

/**
 * The choice a person typed ("Uniform", "ReLU", "SGD with momentum"), as the setting's own name;
 * an unknown word comes back lower-cased for the run configuration's validation to refuse.
 */
export function choiceFromWords(key: 'activation' | 'init' | 'optimizer', text: string): string {
  const word = text.trim().toLowerCase();
  return CHOICE_WORDS[key][word] ?? word;
}

/** A network's shape and activation in words: "784 → 128 → 10, ReLU". */
export function plainArchitecture(config: Pick<RunConfig, 'layers' | 'activation'>): string {
  return `${config.layers.join(' → ')}, ${ACTIVATION_LABELS[config.activation] ?? config.activation}`;
}
