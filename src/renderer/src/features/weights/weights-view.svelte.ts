/**
 * What the Weights screen shows: a copy of the engine's current model and its hidden layers'
 * activations on a batch, fetched again a few times a second while a run trains.
 */
import type { CurrentModel, LayerActivationStats } from '$shared/insight-api';
import type { LabApi } from '$shared/lab-api';
import { flushSync } from 'svelte';
import { errorMessage } from '$ui/errors';
import { timed } from '$ui/user-timing';
import { UnitProbe } from './unit-probe.svelte';

/**
 * Least time between two snapshots while training: two a second. Each copies every weight from the
 * engine and repaints every tile, and the browser's frame for it comes from the cores the engine
 * trains on; at about three a second the screen took a third of the engine's speed.
 */
export const LIVE_INTERVAL_MS = 500;
/**
 * Least time between two activation measurements while training: a forward pass over 256 images
 * through a wide layer costs the run more than copying its weights does.
 */
export const LIVE_ACTIVATIONS_MS = 2000;

export class WeightsView {
  model = $state.raw<CurrentModel | null>(null);
  activations = $state.raw<LayerActivationStats[] | null>(null);
  activationBatch = $state(0);
  message = $state<string | null>(null);
  /** Snapshots received so far (tests and the screen see it tick while training). */
  snapshots = $state(0);
  /** The first-layer unit shown large (0-based); null when none is. */
  selected = $state<number | null>(null);
  /** The test images a unit is tried on, and the hidden units' outputs on the chosen one. */
  readonly probe: UnitProbe;
  private inFlight = false;
  private lastActivations = -Infinity;
  private datasetId: string | null = null;

  constructor(private readonly lab: LabApi) {
    this.probe = new UnitProbe(lab);
  }

  /** Shows a unit large and measures it on the chosen test image; null closes the large view. */
  async select(unit: number | null): Promise<void> {
    this.selected = unit;
    if (unit === null) return;
    await this.probe.load(this.datasetId);
    await this.probe.measure();
  }

  /** Fetches the current model (and, with a dataset, its activations); skipped while one is on its way. */
  async refresh(datasetId: string | null, training = false): Promise<void> {
    this.datasetId = datasetId;
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const model = await this.lab.getCurrentModel();
      if (!model.ok) {
        this.model = null;
        this.activations = null;
        this.message = model.message;
        return;
      }
      const { ok: _ok, ...current } = model;
      // The screen's whole update for a snapshot (summaries, DOM), at once and measured.
      timed('weights-snapshot', () => {
        this.model = current;
        this.message = null;
        this.snapshots++;
        if (this.selected !== null && this.selected >= current.weights[0].outputs) this.selected = null;
        flushSync();
      });
      // The unit shown large follows the new weights: its activation too.
      if (this.selected !== null) {
        await this.probe.load(datasetId);
        await this.probe.measure();
      }
      const now = performance.now();
      if (datasetId !== null && (!training || now - this.lastActivations >= LIVE_ACTIVATIONS_MS)) {
        this.lastActivations = now;
        const stats = await this.lab.getActivationStats(datasetId);
        timed('weights-activations', () => {
          this.activations = stats.ok ? stats.layers : null;
          this.activationBatch = stats.ok ? stats.batch : 0;
          flushSync();
        });
      }
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.inFlight = false;
    }
  }

  /** Refreshes now, then every LIVE_INTERVAL_MS while `training()` says so; returns the stopper. */
  follow(training: () => boolean, datasetId: () => string | null): () => void {
    void this.refresh(datasetId());
    let wasTraining = training();
    const timer = setInterval(() => {
      // A minimised window shows nothing: no snapshot to fetch and paint until it is seen again.
      if (typeof document !== 'undefined' && document.hidden) return;
      const now = training();
      // One more snapshot after the run ends, so the final weights are shown.
      if (now || wasTraining) void this.refresh(datasetId(), now);
      wasTraining = now;
    }, LIVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }
}
