/**
 * How much of each run's curves a saved (or reopened) study keeps. A run records a point for every
 * minibatch (a thousand epochs of batch 16 on MNIST are 3.75 million points) and a result for
 * every epoch, and a study has up to `STUDY_LIMITS.maxRuns` runs: kept whole, a study's file could
 * outgrow what MLP Lab reads back (`FILE_SIZE_LIMITS.study`, 64 MiB). So longer curves are thinned
 * to evenly spaced points, the first and last kept, which draws the same plot at screen width.
 *
 * The budget: at most `pointsPerStudy` curve points and as many epoch results in the whole study,
 * shared equally by its runs, and never more than `pointsPerRun` of either in one run. At about
 * 80 bytes a curve point and 220 an epoch result in the file's JSON, that is at most about 18 MB
 * of curves, well inside the read limit with every run's configuration and labels.
 */
export const STUDY_CURVE_LIMITS = {
  /** Curve points (and, separately, epoch results) in one study, all runs together. */
  pointsPerStudy: 60_000,
  /** Curve points (and epoch results) of one run: more than a wide chart has pixels. */
  pointsPerRun: 2_000,
} as const;

export type StudyCurveLimits = typeof STUDY_CURVE_LIMITS;

interface RunCurves {
  iterations: readonly unknown[];
  epochs: readonly unknown[];
}

/**
 * The runs with their curves thinned to the budget (see above); runs within it are copied as they
 * are. Refers to nothing outside its own body, so the study file thread can run it from its
 * source text (src/node/study-file-thread.ts).
 */
export function thinStudyCurves<R extends RunCurves>(runs: readonly R[], limits: StudyCurveLimits): R[] {
  const max = Math.max(2, Math.min(limits.pointsPerRun, Math.floor(limits.pointsPerStudy / Math.max(1, runs.length))));
  const thin = <T>(list: readonly T[]): T[] => {
    if (list.length <= max) return [...list];
    const kept: T[] = [];
    for (let i = 0; i < max; i++) kept.push(list[Math.round((i * (list.length - 1)) / (max - 1))]);
    return kept;
  };
  return runs.map((run) => ({ ...run, iterations: thin(run.iterations), epochs: thin(run.epochs) }));
}
