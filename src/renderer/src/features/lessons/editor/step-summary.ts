/** What a part of a step's state sets, in a line a teacher reads in the editor. */
import type { LessonStepState } from '$shared/lesson/lesson';
import { resolveLessonConfig } from '$shared/lesson/lesson-state-read';
import { formatVariationValue } from '$shared/study';
import { ACTIVATION_LABELS, VARIATION_NAMES } from '$ui/plain-labels';
import type { StatePart } from './lesson-capture';

const DATA_NAMES = { clusters: "the blog's two clusters", xor: 'XOR', circles: 'two circles' } as const;

export const PART_LABELS: Record<StatePart, string> = {
  config: 'Train settings',
  dataset: 'Dataset',
  study: 'Study setup',
  perceptron: 'Perceptron',
  backpropImage: 'Backprop image',
  model: 'Model',
};

/** The part's value in words; empty when the state does not hold it. */
export function describePart(state: LessonStepState, part: StatePart): string {
  switch (part) {
    case 'config': {
      if (state.config === undefined) return '';
      const c = resolveLessonConfig(state.config);
      return `${c.layers.join('-')}, ${ACTIVATION_LABELS[c.activation]}, learning rate ${c.learningRate}, batch ${c.batchSize}, ${c.epochs} epoch${c.epochs === 1 ? '' : 's'}`;
    }
    case 'dataset':
      if (state.dataset === undefined) return '';
      return 'builtIn' in state.dataset ? 'MNIST (built in)' : `the folder "${state.dataset.folder}" beside the lesson file`;
    case 'study': {
      const s = state.study;
      if (s === undefined) return '';
      const what = s.vary === 'blog' ? "the blog's three sweeps" : `varying ${s.vary.map((v) => `${VARIATION_NAMES[v.key].toLowerCase()} (${v.values.map((value) => formatVariationValue(v.key, value)).join(', ')})`).join(' × ')}`;
      return `${what}, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}, target ${s.targetPercent} %`;
    }
    case 'perceptron': {
      const p = state.perceptron;
      if (p === undefined) return '';
      return `${DATA_NAMES[p.data]}, learning rate ${p.learningRate}, ${p.epochs} epoch${p.epochs === 1 ? '' : 's'}, ${p.randomStart ? 'random start' : 'starting from zero'}`;
    }
    case 'backpropImage':
      return state.backpropImage === undefined ? '' : `test image ${state.backpropImage}`;
    case 'model':
      return state.model === undefined ? '' : `"${state.model.name}" (${sizeInWords(Math.floor((state.model.base64.length * 3) / 4))}, carried in the lesson file)`;
  }
}

function sizeInWords(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}
