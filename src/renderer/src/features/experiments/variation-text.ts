/**
 * The Experiments form's variation boxes: each holds a comma-separated list of values for one
 * setting ("16, 32, 64"; hidden widths as "128x64, 256"). An empty box does not vary its setting.
 */
import { VARIATION_KEYS, type Variation, type VariationKey } from '$shared/study';
import { choiceFromWords } from '$ui/plain-labels';

export const VARIATION_LABELS: Record<VariationKey, { label: string; example: string }> = {
  batchSize: { label: 'Batch size', example: '16, 32, 64, 128' },
  learningRate: { label: 'Learning rate', example: '0.1, 0.01, 0.001' },
  activation: { label: 'Activation', example: 'ReLU, Sigmoid, tanh' },
  init: { label: 'Initialiser', example: 'He, Xavier, Uniform, Normal' },
  optimizer: { label: 'Optimiser', example: 'SGD, Momentum, Adam' },
  hidden: { label: 'Hidden widths', example: '128x64, 256x128, 32' },
};

export type VariationTexts = Record<VariationKey, string>;

export function emptyTexts(): VariationTexts {
  return { batchSize: '', learningRate: '', activation: '', init: '', optimizer: '', hidden: '' };
}

export type ParsedVariations = { ok: true; variations: Variation[] } | { ok: false; key: VariationKey; message: string };

/** The variations the boxes describe, in VARIATION_KEYS order; the first unreadable box is named. */
export function parseVariationTexts(texts: VariationTexts): ParsedVariations {
  const variations: Variation[] = [];
  for (const key of VARIATION_KEYS) {
    const text = texts[key].trim();
    if (text === '') continue;
    const values = text.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) return { ok: false, key, message: `${VARIATION_LABELS[key].label}: a value is missing between commas.` };
    switch (key) {
      case 'batchSize':
      case 'learningRate': {
        const numbers = values.map(Number);
        const bad = values.find((_, i) => !Number.isFinite(numbers[i]));
        if (bad !== undefined) return { ok: false, key, message: `${VARIATION_LABELS[key].label}: "${bad}" is not a number.` };
        variations.push({ key, values: numbers });
        break;
      }
      case 'hidden': {
        const bad = values.find((v) => !/^\d+(\s*x\s*\d+)*$/i.test(v));
        if (bad !== undefined) return { ok: false, key, message: `Hidden widths: "${bad}" is not a list of widths like 128x64.` };
        variations.push({ key, values: values.map((v) => v.split(/\s*x\s*/i).map(Number)) });
        break;
      }
      case 'activation':
      case 'init':
      case 'optimizer':
        // Plain names ("Uniform", "Momentum") become the setting's own; anything else is checked by
        // the run configuration's validation, which lists the choices.
        variations.push({ key, values: values.map((v) => choiceFromWords(key, v)) as never[] });
        break;
    }
  }
  return { ok: true, variations };
}

/** How each varied setting reads in a short label: a projector's legend has room for "lr 0.1", not "learningRate=0.1". */
const SHORT_NAMES: Record<VariationKey, (value: string) => string> = {
  batchSize: (value) => `batch ${value}`,
  learningRate: (value) => `lr ${value}`,
  activation: (value) => value,
  init: (value) => `${value} init`,
  optimizer: (value) => value,
  hidden: (value) => `hidden ${value}`,
};

/**
 * A run's label ("batchSize=16, learningRate=0.1", as studies save it) in short: "batch 16 · lr 0.1";
 * "activation=sigmoid" is just "sigmoid". A part it does not know is kept as it is.
 */
export function shortRunLabel(label: string): string {
  return label
    .split(', ')
    .map((part) => {
      const [key, value] = part.split('=');
      return value !== undefined && key in SHORT_NAMES ? SHORT_NAMES[key as VariationKey](value) : part;
    })
    .join(' · ');
}
