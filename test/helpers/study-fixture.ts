import { PRESETS } from '../../src/engine/training/run-config';
import type { StudyData } from '../../src/shared/study-api';

/** The 32-hex-digit study id made from a small number. */
export const studyIdOf = (n: number): string => n.toString(16).padStart(32, '0');

/**
 * A finished study as the app saves it, without training anything: one completed run of one epoch
 * (three minibatches) for each batch size, the blog preset otherwise. Its id and its date (a minute
 * later for each n, below 10) come from `n`.
 */
export function finishedStudy(n: number, name: string, batchSizes: readonly number[] = [16, 32]): StudyData {
  const base = { ...PRESETS.blog, epochs: 1 };
  return {
    id: studyIdOf(n),
    name,
    createdAt: `2025-01-02T03:0${n}:00.000Z`,
    datasetId: 'mnist',
    base,
    grids: [[{ key: 'batchSize', values: [...batchSizes] }]],
    groups: [],
    targetAccuracy: 0.9,
    parallel: 2,
    finished: true,
    runs: batchSizes.map((batchSize, index) => ({
      index,
      label: `batchSize=${batchSize}`,
      config: { ...base, batchSize },
      status: 'completed' as const,
      finalTestAccuracy: 0.9 + index / 100,
      bestEpoch: 1,
      bestTestAccuracy: 0.9 + index / 100,
      finalTrainLoss: 0.3,
      seconds: 2,
      secondsToTarget: 2,
      iterationsDone: 3,
      totalIterations: 3,
      message: null,
      epochs: [{ epoch: 1, trainLoss: 0.3, trainAccuracy: 0.9, testLoss: 0.3, testAccuracy: 0.9 + index / 100, seconds: 2, samplesPerSecond: 1000 }],
      iterations: [1, 2, 3].map((iteration) => ({ iteration, loss: 1 / iteration, accuracy: 0.5 })),
    })),
  };
}
