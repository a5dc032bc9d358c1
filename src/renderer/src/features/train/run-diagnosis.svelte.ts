/**
 * What the Train screen says about how the run is going, in plain words (see
 * `$engine/teaching/run-diagnostics`): while it trains, only what the loss curve already shows
 * (rising, jumping, flat); once it ends, everything, including dead or saturated hidden units,
 * measured on test images of the model the run left behind.
 */
import type { InsightApi } from '$shared/insight-api';
import { LIVE_FINDINGS, diagnoseRun, type Finding, type HiddenLayerHealth } from '$engine/teaching/run-diagnostics';
import type { RunConfig } from '$engine/training/run-config';
import type { EpochMetrics } from '$engine/training/events';
import type { DatasetInfo } from '$shared/lab-api';
import type { Point } from '$ui/charts/curves';

/**
 * What the diagnosis reads of the training session (TrainingSession is one): named here, so the
 * session can own its diagnosis without the two files importing each other.
 */
export interface DiagnosedSession {
  readonly config: RunConfig | null;
  readonly dataset: DatasetInfo | null;
  readonly phase: string;
  readonly active: boolean;
  /** Ticks whenever the curves grow. */
  readonly curvesVersion: number;
  readonly iterations: { readonly loss: readonly Point[] };
  readonly epochs: readonly EpochMetrics[];
}

/** Phases whose run left a model and curves worth judging. */
const ENDED_WITH_A_MODEL = new Set(['completed', 'stopped', 'diverged']);

export class RunDiagnosis {
  /** The hidden units of the run's model, measured after it ended; undefined before. */
  private units = $state.raw<HiddenLayerHealth[] | undefined>(undefined);
  /** Counts runs, so a measurement that arrives after the next run began is dropped. */
  private generation = 0;

  readonly findings: Finding[] = $derived.by(() => {
    const { config, dataset, phase } = this.session;
    void this.session.curvesVersion;
    if (config === null || dataset === null) return [];
    const live = this.session.active;
    if (!live && !ENDED_WITH_A_MODEL.has(phase)) return [];
    const findings = diagnoseRun({
      activation: config.activation,
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      batchSize: config.batchSize,
      classes: dataset.classes,
      losses: this.session.iterations.loss.map((point) => point.y),
      epochs: this.session.epochs,
      hiddenLayers: live ? undefined : this.units,
    });
    return live ? findings.filter((f) => LIVE_FINDINGS.includes(f.id)) : findings;
  });

  /** The run ended without learning anything: the status line must not say a plain "Finished". */
  readonly didNotLearn = $derived(this.findings.some((f) => f.id === 'did-not-learn'));

  constructor(
    private readonly session: DiagnosedSession,
    private readonly lab: Pick<InsightApi, 'getActivationStats'>,
  ) {}

  /** A new run began: forget the last run's units. */
  reset(): void {
    this.generation++;
    this.units = undefined;
  }

  /** The run ended: measures its model's hidden units (dead ReLUs, saturated units) on test images. */
  async measureUnits(): Promise<void> {
    const dataset = this.session.dataset;
    if (dataset === null || !ENDED_WITH_A_MODEL.has(this.session.phase)) return;
    const generation = ++this.generation;
    try {
      const stats = await this.lab.getActivationStats(dataset.id);
      // Without the units, the findings from the curves alone still stand.
      if (!stats.ok || generation !== this.generation) return;
      this.units = stats.layers.map(({ layer, units, deadFraction, saturatedFraction, spread }) => ({ layer, units, deadFraction, saturatedFraction, spread }));
    } catch {
      return;
    }
  }
}
