/**
 * A saved study is always one MLP Lab can read back. A run records a curve point per minibatch and
 * a result per epoch, so a study of many long runs, kept whole, would be far larger than the study
 * read limit (64 MiB): saving thins each run's curves to the stated budget instead, first and last
 * points kept, and a file that would still be too large (runs with very long messages) is refused
 * before anything is written. Opening an older, larger file gives its curves thinned the same way.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudyStore } from '../../src/main/study-store';
import { FILE_SIZE_LIMITS } from '../../src/node/bounded-file';
import { PARSE_IN_PLACE_MAX_BYTES } from '../../src/node/study-file-thread';
import { STUDY_FORMAT, type StudyData, type StudyRunData } from '../../src/shared/study-api';
import { STUDY_CURVE_LIMITS } from '../../src/shared/study-curve-limit';
import { STUDY_LIMITS } from '../../src/shared/study';
import { finishedStudy, studyIdOf } from '../helpers/study-fixture';

const root = fs.mkdtempSync(join(tmpdir(), 'mlp-lab-study-size-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let folders = 0;
const freshDir = (): string => join(root, `case-${++folders}`);

/** A run's long curves: `count` points and, separately, up to 1 000 epochs (the run limit). */
function longCurves(count: number): Pick<StudyRunData, 'iterations' | 'epochs'> {
  const iterations = Array.from({ length: count }, (_, i) => ({ iteration: i + 1, loss: 1 / (i + 1) + 0.123456789, accuracy: i / count + 1e-9 }));
  const epochs = Array.from({ length: 1000 }, (_, i) => ({
    epoch: i + 1,
    trainLoss: 0.123456789 / (i + 1),
    trainAccuracy: 0.987654321,
    testLoss: 0.234567891 / (i + 1),
    testAccuracy: 0.976543219,
    seconds: 12.345678901,
    samplesPerSecond: 4321.987654,
    secondsSinceStart: 12.345678901 * (i + 1),
  }));
  return { iterations, epochs };
}

/** The most study runs, every one with the same long curves (one array in memory, 300 runs in the file). */
function hugeStudy(n: number, pointsPerRun: number): StudyData {
  const batchSizes = Array.from({ length: STUDY_LIMITS.maxRuns }, (_, i) => 16 + i);
  const study = finishedStudy(n, 'Every batch size, a thousand epochs', batchSizes);
  const curves = longCurves(pointsPerRun);
  return { ...study, runs: study.runs.map((run) => ({ ...run, ...curves })) };
}

describe('a saved study stays within what MLP Lab reads back', () => {
  it(`saves a study of ${STUDY_LIMITS.maxRuns} long runs, far over the read limit whole, with its curves thinned, and reads it back`, async () => {
    const study = hugeStudy(1, 100_000);
    // Kept whole, one run alone is megabytes: the study would be hundreds of times the limit.
    const wholeRunBytes = JSON.stringify(study.runs[0]).length;
    expect(wholeRunBytes * study.runs.length).toBeGreaterThan(10 * FILE_SIZE_LIMITS.study);

    const dir = freshDir();
    const store = createStudyStore(dir);
    await store.save(study);
    const size = fs.statSync(join(dir, `${study.id}.json`)).size;
    expect(size).toBeLessThan(FILE_SIZE_LIMITS.study / 2);

    const opened = await store.open(study.id);
    if (!opened.ok) throw new Error(opened.message);
    // 60 000 points shared by 300 runs: 200 each, of the curve and of the epochs.
    const kept = STUDY_CURVE_LIMITS.pointsPerStudy / STUDY_LIMITS.maxRuns;
    expect(opened.study.runs).toHaveLength(STUDY_LIMITS.maxRuns);
    for (const run of opened.study.runs) {
      expect(run.iterations).toHaveLength(kept);
      expect(run.epochs).toHaveLength(kept);
      expect(run.iterations[0]).toEqual(study.runs[0].iterations[0]);
      expect(run.iterations.at(-1)).toEqual(study.runs[0].iterations.at(-1));
      expect(run.epochs.at(-1)?.epoch).toBe(1000);
      // Evenly spaced and in order.
      const steps = run.iterations.slice(1).map((p, i) => p.iteration - run.iterations[i].iteration);
      expect(Math.max(...steps) - Math.min(...steps)).toBeLessThanOrEqual(1);
    }
    // Everything but the curves is as it was.
    const { iterations: _i, epochs: _e, ...summary } = study.runs[7];
    expect(opened.study.runs[7]).toEqual(expect.objectContaining(summary));
  }, 120_000);

  it('keeps a short study whole, and thins one long run to the per-run maximum', async () => {
    const dir = freshDir();
    const store = createStudyStore(dir);
    const short = finishedStudy(2, 'Short');
    await store.save(short);
    expect(await store.open(short.id)).toEqual({ ok: true, study: short });

    const long = finishedStudy(3, 'One long run', [16]);
    long.runs[0] = { ...long.runs[0], ...longCurves(50_000) };
    await store.save(long);
    const opened = await store.open(long.id);
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.study.runs[0].iterations).toHaveLength(STUDY_CURVE_LIMITS.pointsPerRun);
    // A thousand epochs are within the per-run maximum: every one is kept.
    expect(opened.study.runs[0].epochs).toEqual(long.runs[0].epochs);
  });

  it('refuses, writing nothing, a study whose file would still be over the limit, saying why', async () => {
    const dir = freshDir();
    const store = createStudyStore(dir);
    const study = finishedStudy(4, 'Long messages', Array.from({ length: STUDY_LIMITS.maxRuns }, (_, i) => 16 + i));
    const message = 'x'.repeat(300 * 1024);
    study.runs = study.runs.map((run) => ({ ...run, status: 'failed', message }));
    await expect(store.save(study)).rejects.toThrow(/^its file would be larger than 64 MiB, the most MLP Lab reads back as a study; nothing was written\.$/);
    // No file, and no temporary file either.
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('opens older files over a MiB (on the study file thread) with their curves thinned, and lists them, several asked at once', async () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    const older = [5, 6].map((n) => {
      const study = finishedStudy(n, `Recorded before the budget ${n}`, [16, 32]);
      study.runs = study.runs.map((run) => ({ ...run, ...longCurves(10_000 * (n - 3)) }));
      const text = JSON.stringify({ format: STUDY_FORMAT, ...study });
      expect(text.length).toBeGreaterThan(PARSE_IN_PLACE_MAX_BYTES);
      fs.writeFileSync(join(dir, `${studyIdOf(n)}.json`), text);
      return study;
    });

    const store = createStudyStore(dir);
    // Asked together, as two windows' requests may be: each answer goes to its own request.
    const [opened6, listed, opened5] = await Promise.all([store.open(studyIdOf(6)), store.list(), store.open(studyIdOf(5))]);
    expect(listed).toEqual(older.reverse().map((study) => ({ status: 'ok', id: study.id, name: study.name, createdAt: study.createdAt, runCount: 2, finished: true })));
    for (const [opened, points] of [[opened5, 20_000], [opened6, 30_000]] as const) {
      if (!opened.ok) throw new Error(opened.message);
      expect(opened.study.name).toBe(`Recorded before the budget ${points / 10_000 + 3}`);
      expect(opened.study.runs.map((run) => [run.index, run.iterations.length, run.epochs.length, run.iterations.at(-1)?.iteration])).toEqual([
        [0, STUDY_CURVE_LIMITS.pointsPerRun, 1000, points],
        [1, STUDY_CURVE_LIMITS.pointsPerRun, 1000, points],
      ]);
    }
  });
});
