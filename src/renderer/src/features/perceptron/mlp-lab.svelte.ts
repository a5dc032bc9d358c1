/**
 * The small MLP beside the perceptron: its settings, the network built from them on the perceptron
 * lab's points, and the loop that trains it ten full-batch epochs a frame while playing. Changing
 * a setting or the points builds the network afresh (and pauses); leaving the screen pauses too.
 */
import type { ActivationName } from '$engine/training/run-config';
import { MlpPlayground } from './mlp-playground';

/** Epochs trained per animation frame while playing. */
const EPOCHS_PER_FRAME = 10;

export class MlpLab {
  #hiddenText = $state('8, 8');
  #activation = $state<ActivationName>('tanh');
  #learningRate = $state(0.03);
  network = $state.raw<MlpPlayground | null>(null);
  playing = $state(false);
  /** Ticks after each training slice, since the network learns in place: the picture and numbers redraw. */
  tick = $state(0);

  readonly hidden = $derived(this.#hiddenText.split(/[,\sx]+/).filter((t) => t !== '').map(Number));
  readonly hiddenOk = $derived(this.hidden.length > 0 && this.hidden.length <= 4 && this.hidden.every((w) => Number.isInteger(w) && w >= 1 && w <= 64));
  readonly description = $derived(
    this.network ? `2 → ${this.hidden.join(' → ')} → 2, ${this.#activation}, Adam η ${this.#learningRate}, full batch` : '',
  );

  #points: readonly (readonly number[])[] = [];
  #labels: readonly number[] = [];
  #frame: number | null = null;

  /** Hidden widths as typed ("8, 8"). */
  get hiddenText(): string {
    return this.#hiddenText;
  }
  set hiddenText(text: string) {
    this.#hiddenText = text;
    this.rebuild();
  }

  get activation(): ActivationName {
    return this.#activation;
  }
  set activation(name: ActivationName) {
    this.#activation = name;
    this.rebuild();
  }

  get learningRate(): number {
    return this.#learningRate;
  }
  set learningRate(rate: number) {
    this.#learningRate = rate;
    this.rebuild();
  }

  /** Trains on these points from now on, with a new network. */
  use(points: readonly (readonly number[])[], labels: readonly number[]): void {
    this.#points = points;
    this.#labels = labels;
    this.rebuild();
  }

  /** A new network from the settings (seeded, so the same settings start the same), paused. */
  rebuild(): void {
    this.pause();
    const ready = this.hiddenOk && this.#points.length > 0;
    const settings = { hidden: this.hidden, activation: this.#activation, learningRate: this.#learningRate, seed: 7 };
    this.network = ready ? new MlpPlayground(this.#points, this.#labels, settings) : null;
    this.tick++;
  }

  /** Plays, or pauses when playing. */
  toggle(): void {
    if (this.playing) return this.pause();
    this.playing = true;
    this.#frame = requestAnimationFrame(this.#loop);
  }

  pause(): void {
    this.playing = false;
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    this.#frame = null;
  }

  /** One full-batch epoch. */
  step(): void {
    this.network?.train(1);
    this.tick++;
  }

  #loop = (): void => {
    if (!this.network) return this.pause();
    this.network.train(EPOCHS_PER_FRAME);
    this.tick++;
    this.#frame = this.playing ? requestAnimationFrame(this.#loop) : null;
  };
}
