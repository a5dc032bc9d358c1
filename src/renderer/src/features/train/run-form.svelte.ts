/**
 * The run configuration being edited: a draft that may be invalid while the user types, checked on
 * every change by the same `validateRunConfig` main and the worker use, so the form explains exactly
 * what they would refuse.
 */
import {
  LIMITS,
  PRESETS,
  PRESET_NAMES,
  validateRunConfig,
  type PresetName,
  type RunConfig,
} from '$engine/training/run-config';
import type { DatasetInfo } from '$shared/lab-api';

/** Width given to a newly added hidden layer. */
const NEW_LAYER_WIDTH = 64;

export class RunForm {
  /** The draft. Number fields hold `null` while their box is empty. */
  config = $state<RunConfig>(structuredClone(PRESETS.default));

  readonly check = $derived(validateRunConfig($state.snapshot(this.config)));
  /** Every problem, each phrased for the student. */
  readonly problems = $derived(this.check.ok ? [] : this.check.problems.map((p) => ({ ...p, message: explain(p.message) })));
  readonly valid = $derived(this.check.ok);
  /** The preset the draft equals, if any (editing a value turns it into a custom run). */
  readonly preset = $derived(PRESET_NAMES.find((name) => sameConfig(PRESETS[name], this.config)) ?? null);
  readonly hiddenWidths = $derived(this.config.layers.slice(1, -1));
  readonly canAddLayer = $derived(this.config.layers.length < LIMITS.maxLayers);
  /** The epochs the draft asks for, or 1 while that box is invalid (sizes the epoch chart). */
  readonly plannedEpochs = $derived(this.problems.some((p) => p.field === 'epochs') ? 1 : this.config.epochs);

  problemsFor(field: keyof RunConfig): string[] {
    return this.problems.filter((p) => p.field === field).map((p) => p.message);
  }

  /** Loads a preset, keeping the network's ends fitted to the chosen dataset. */
  applyPreset(name: PresetName, dataset: DatasetInfo | undefined): void {
    this.config = structuredClone(PRESETS[name]);
    if (dataset) this.fitTo(dataset);
  }

  /** One input per pixel and one output per class of the dataset. */
  fitTo(dataset: DatasetInfo): void {
    const layers = this.config.layers;
    layers[0] = dataset.rows * dataset.cols;
    layers[layers.length - 1] = dataset.classes;
  }

  /** Adds a hidden layer just before the output layer. */
  addHiddenLayer(): void {
    if (!this.canAddLayer) return;
    this.config.layers.splice(this.config.layers.length - 1, 0, NEW_LAYER_WIDTH);
  }

  /** Removes hidden layer `index` (0 = the first hidden layer). */
  removeHiddenLayer(index: number): void {
    if (index < 0 || index >= this.config.layers.length - 2) return;
    this.config.layers.splice(index + 1, 1);
  }

  /** The clean config to send; only call when `valid`. */
  snapshot(): RunConfig {
    if (!this.check.ok) throw new Error('The run configuration is not valid yet.');
    return this.check.config;
  }
}

/**
 * The validator's words, fitted to this form: an empty number box reaches it as `null`, and the form
 * calls layer 2 of [784, 128, 10] "Hidden 1".
 */
function explain(message: string): string {
  return message
    .replace(/; got (null|undefined|"")\.$/, '; the box is empty.')
    .replace(/^Layer (\d+) width/, (_, n: string) => `Hidden layer ${Number(n) - 1} width`);
}

function sameConfig(a: RunConfig, b: RunConfig): boolean {
  return (
    a.layers.length === b.layers.length &&
    a.layers.every((width, i) => width === b.layers[i]) &&
    a.activation === b.activation &&
    a.init === b.init &&
    a.optimizer === b.optimizer &&
    a.learningRate === b.learningRate &&
    a.momentum === b.momentum &&
    a.weightDecay === b.weightDecay &&
    a.batchSize === b.batchSize &&
    a.epochs === b.epochs &&
    a.shuffle === b.shuffle &&
    a.seed === b.seed
  );
}
