/**
 * The state of the Weights, Data, Evaluate and Models screens, one instance per app (kept beside
 * the AppState, so switching screens loses nothing).
 */
import type { AppState } from './app-state.svelte';
import { DataGallery } from '../features/data/data-gallery.svelte';
import { DigitPad } from '../features/evaluate/digit-pad.svelte';
import { EvaluationView } from '../features/evaluate/evaluation.svelte';
import { ModelLibrary } from '../features/models/model-library.svelte';
import { WeightsView } from '../features/weights/weights-view.svelte';

export class InsightState {
  readonly weights: WeightsView;
  readonly gallery: DataGallery;
  readonly evaluation: EvaluationView;
  readonly pad: DigitPad;
  readonly library: ModelLibrary;

  constructor(app: AppState) {
    this.weights = new WeightsView(app.lab);
    this.gallery = new DataGallery(app.lab);
    this.evaluation = new EvaluationView(app.lab);
    this.pad = new DigitPad(app.lab);
    this.library = new ModelLibrary(app.lab, () => this.evaluation.markStale());
    // A new run replaces the current model too. The insight state lives as long as the app.
    app.lab.onRunEvent((event) => {
      if (event.type === 'started') this.evaluation.markStale();
    });
  }
}

const states = new WeakMap<AppState, InsightState>();

/** The insight state of an app, made on first use. */
export function insightOf(app: AppState): InsightState {
  let state = states.get(app);
  if (state === undefined) {
    state = new InsightState(app);
    states.set(app, state);
  }
  return state;
}
