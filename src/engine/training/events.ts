/**
 * What a training run reports. The per-batch event gives the blog's per-iteration curves; the
 * per-epoch event gives the notebook's train-versus-test curves.
 */

/** One minibatch done. */
export interface BatchEvent {
  type: 'batch';
  /** 1-based count of minibatches since the run started. */
  iteration: number;
  /** 1-based epoch the batch belongs to. */
  epoch: number;
  /** 1-based position of the batch within its epoch. */
  batch: number;
  /** Minibatches per epoch. */
  batchesPerEpoch: number;
  /** Mean softmax cross-entropy over the batch, before the update. */
  loss: number;
  /** Fraction of the batch classified right, before the update. */
  accuracy: number;
}

/** The numbers kept for each finished epoch (also stored in model files). */
export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean loss over the epoch's minibatches, each measured before its update. */
  trainLoss: number;
  /** Accuracy over the epoch's minibatches, each measured before its update. */
  trainAccuracy: number;
  /** Mean loss on the test split after the epoch. */
  testLoss: number;
  /** Accuracy on the test split after the epoch. */
  testAccuracy: number;
  /** Seconds spent training in this epoch (pauses and evaluation excluded). */
  seconds: number;
  /** Training samples per second in this epoch. */
  samplesPerSecond: number;
}

export interface EpochEvent extends EpochMetrics {
  type: 'epoch';
}

/** The loss stopped being a finite number; the run stops and keeps the last good weights. */
export interface DivergedEvent {
  type: 'diverged';
  epoch: number;
  iteration: number;
  /** A sentence for the user: what happened and what to try. */
  reason: string;
  /** The epoch whose weights were kept (0 = the initial weights). */
  restoredEpoch: number;
}

export type TrainingEvent = BatchEvent | EpochEvent | DivergedEvent;

/** One point of the per-iteration curves. */
export interface IterationPoint {
  iteration: number;
  loss: number;
  accuracy: number;
}
