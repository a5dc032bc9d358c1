import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { stringOption } from './args';
import { CliFailure, type CliIo } from './cli-io';
import { kernelChoiceFromArgs, loadData } from './common';
import { progressLine, resultsTable, runDoneRecord, runEndLine, summaryRecord, bestRun, pct } from './sweep-report';
import { sweepPlanFromArgs, type SweepPlan } from './sweep-args';
import { jsKernels } from '../engine/kernels/js';
import { Network, checkInputFits, checkOutputFits } from '../engine/nn/network';
import { writeFileAtomic } from '../node/atomic-write';
import { defaultMnistDir } from '../node/dataset-folder';
import { createNodeRunStarter } from '../node/node-study-runner';
import type { DatasetLocation } from '../shared/engine-protocol';
import { studyResultsToCsv } from '../shared/study';
import { StudyScheduler, type StudyRunRecord } from '../node/study-scheduler';

/** How often the progress line is redrawn on a terminal. */
const REDRAW_MS = 100;

/**
 * `sweep`: trains every run of a study, up to --parallel at once, each in its own engine process.
 * Per run it prints a JSON line (with --json) or a line on stderr, then a summary (--json) or the
 * results table sorted best first. Ctrl-C cancels every run and ends their processes.
 * Exit code: 0 when every run completed or diverged (a divergence is a result of the study),
 * 1 when a run failed, 130 when stopped with Ctrl-C.
 */
export async function sweepCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const plan = sweepPlanFromArgs(argv.slice(1));
  const json = plan.options.get('json') === true;
  const kernel = kernelChoiceFromArgs(plan.options);
  const csvPath = plan.csvPath === undefined ? undefined : resolve(plan.csvPath);
  if (csvPath !== undefined) checkFolder(csvPath);
  const dataset = checkDataset(plan);

  if (!json) {
    io.err(`Sweep of ${plan.runs.length} run(s) on ${dataset.name}, ${plan.parallel} at a time, one engine process each\n`);
  }
  const started = performance.now();
  const total = plan.runs.length;
  const report: (run: StudyRunRecord) => void = json ? (run) => reportJson(io, run, plan) : humanReporter(io, total, () => scheduler.runs);
  const scheduler: StudyScheduler = new StudyScheduler(plan.runs, {
    startRun: createNodeRunStarter({ dataset, kernel, log: (message) => io.err(`engine: ${message}\n`) }),
    parallel: plan.parallel,
    targetAccuracy: plan.targetAccuracy,
    onUpdate: report,
  });

  let interrupted = false;
  const interrupt = (): void => {
    interrupted = true;
    scheduler.cancelAll();
  };
  process.once('SIGINT', interrupt);
  const runs = await scheduler.run().finally(() => process.off('SIGINT', interrupt));
  const seconds = (performance.now() - started) / 1000;

  if (csvPath !== undefined) writeCsv(csvPath, runs, plan);
  if (json) {
    // Counted and numbered as the study names its runs (the blog study's eleven), not its trainings.
    const summary = summaryRecord(plan.reported.map((r) => runs[r.trainedAs]), seconds, plan.parallel, plan.targetAccuracy);
    const best = typeof summary.bestRun === 'number' ? plan.reported.findIndex((r) => r.trainedAs === (summary.bestRun as number) - 1) : -1;
    const bestNamed = best < 0 ? { bestRun: null } : { bestRun: best + 1, bestLabel: plan.reported[best].label };
    io.out(JSON.stringify({ ...summary, ...bestNamed, trainings: runs.length }));
  } else {
    if (io.interactive) io.err('\r\x1b[K');
    for (const line of resultsTable(runs, plan.targetAccuracy)) io.out(line);
    const best = bestRun(runs);
    io.err(`${best === null ? 'No run completed' : `Best: run ${best.index + 1} (${best.label}), test accuracy ${pct(best.finalTestAccuracy)}`}; ${seconds.toFixed(1)} s in all${csvPath ? `; CSV written to ${csvPath}` : ''}\n`);
  }
  if (interrupted) return 130;
  return runs.some((r) => r.status === 'failed') ? 1 : 0;
}

/**
 * A run-done line for every study run a finished training stands for: one, or for the blog's shared
 * baseline three, numbered and labelled as the study names them.
 */
function reportJson(io: CliIo, run: StudyRunRecord, plan: SweepPlan): void {
  if (run.status === 'running' || run.status === 'queued') return;
  const shared = plan.reported.filter((r) => r.trainedAs === run.index).length > 1;
  plan.reported.forEach((reported, index) => {
    if (reported.trainedAs !== run.index) return;
    const record = { ...runDoneRecord(run), run: index + 1, label: reported.label };
    io.out(JSON.stringify(shared ? { ...record, sameTrainingAs: run.label } : record));
  });
}

/**
 * Progress on stderr: on a terminal one redrawn line for the running runs, and a line per run
 * that ends; elsewhere (a log file, CI) a line when a run starts, finishes an epoch and ends.
 */
function humanReporter(io: CliIo, total: number, runs: () => readonly StudyRunRecord[]): (run: StudyRunRecord) => void {
  let lastDraw = 0;
  const epochsShown = new Map<number, number>();
  return (run) => {
    const ended = run.status !== 'running' && run.status !== 'queued';
    if (ended) io.err(`${io.interactive ? '\r\x1b[K' : ''}${runEndLine(run, total)}\n`);
    if (io.interactive) {
      const now = performance.now();
      if (ended || now - lastDraw >= REDRAW_MS) {
        lastDraw = now;
        io.err(`\r${progressLine(runs())}\x1b[K`);
      }
      return;
    }
    if (run.status !== 'running') return;
    const shown = epochsShown.get(run.index);
    if (shown === undefined) io.err(`run ${run.index + 1}/${total} started (${run.label})\n`);
    const last = run.epochs.at(-1);
    if (last !== undefined && last.epoch !== shown) {
      io.err(`run ${run.index + 1}/${total} epoch ${last.epoch}/${run.config.epochs}: train loss ${last.trainLoss.toFixed(4)}, test ${pct(last.testAccuracy)}\n`);
    }
    epochsShown.set(run.index, last?.epoch ?? 0);
  };
}

/** A CSV whose folder is missing should stop the sweep before it starts, not after an hour. */
function checkFolder(path: string): void {
  const folder = dirname(path);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new CliFailure(`Cannot write the CSV to ${path}: there is no folder ${folder}.`);
}

/**
 * Reads the dataset once here, so that a bad folder or a network that does not fit the images is
 * one clear error (exit 1 or 2) before any engine starts; every run shares the input and output widths.
 */
function checkDataset(plan: SweepPlan): DatasetLocation {
  const data = loadData(plan.options);
  const { layers, activation, init } = plan.runs[0].config;
  const network = new Network({ layers, activation, init }, jsKernels);
  checkInputFits(network, data.train.rows, data.train.cols);
  checkOutputFits(network, data.classes);
  const dir = stringOption(plan.options, 'data');
  return dir === undefined ? { dir: defaultMnistDir(), name: data.name, id: 'mnist' } : { dir: resolve(dir), name: data.name, id: resolve(dir) };
}

function writeCsv(path: string, runs: readonly StudyRunRecord[], plan: SweepPlan): void {
  const csv = studyResultsToCsv(runs, { keys: plan.keys, targetAccuracy: plan.targetAccuracy });
  try {
    writeFileAtomic(path, new TextEncoder().encode(csv));
  } catch (error) {
    throw new CliFailure(`Could not write the CSV to ${path}: ${(error as Error).message}`);
  }
}
