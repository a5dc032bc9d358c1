import { basename } from 'node:path';
import { stringOption, type ParsedArgs } from './args';
import { CliFailure, type CliIo } from './cli-io';
import { loadData, kernelsFromArgs, threadsFromArgs } from './common';
import { renderProgress } from './progress-bar';
import { runConfigFromArgs } from './run-config-from-args';
import { checkOutPath, saveModel } from './model-io';
import type { TrainingEvent } from '../engine/training/events';
import type { WasmKernels } from '../engine/kernels/wasm/wasm-kernels';
import { createRun } from '../engine/training/run';
import { TrainingLoop } from '../engine/training/loop';
import { diagnoseRun, type Finding } from '../engine/teaching/run-diagnostics';
import { measureUnitHealth } from '../engine/teaching/unit-health';

/** How often the progress line is redrawn on a terminal. */
const REDRAW_MS = 100;

/**
 * `train`: trains a network on a dataset folder, reporting per epoch (JSON lines with --json,
 * a progress bar on a terminal), and saves the model when --out is given. Ctrl-C stops between
 * batches. Returns the exit code.
 */
export async function trainCommand(options: ParsedArgs['options'], io: CliIo): Promise<number> {
  const config = runConfigFromArgs(options);
  const json = options.get('json') === true;
  const out = stringOption(options, 'out');
  if (out !== undefined) checkOutPath(out);
  const data = loadData(options);
  const kernels = await kernelsFromArgs(options, threadsFromArgs(options, config.batchSize));
  const threads = (kernels as Partial<WasmKernels>).threads ?? 1;
  const run = createRun(config, data, kernels);
  const { training } = run;

  if (!json) {
    io.err(`Training ${run.network.describe()} on ${data.name} (${data.train.count.toLocaleString('en-US')} train / ${data.test.count.toLocaleString('en-US')} test images)\n`);
    io.err(`${config.optimizer} lr ${config.learningRate}, batch ${config.batchSize}, ${config.epochs} epochs, ${config.shuffle ? 'shuffled' : 'not shuffled'}, init ${config.init}, seed ${config.seed}, kernels ${kernels.name}${threads > 1 ? ` on ${threads} threads` : ''}\n`);
  }

  const started = performance.now();
  let lastDraw = 0;
  let samplesSeen = 0;
  let diverged: string | null = null;
  const losses: number[] = [];
  const onEvent = (event: TrainingEvent): void => {
    switch (event.type) {
      case 'batch': {
        losses.push(event.loss);
        samplesSeen += Math.min(config.batchSize, data.train.count - (event.batch - 1) * config.batchSize);
        const now = performance.now();
        if (io.interactive && !json && now - lastDraw >= REDRAW_MS) {
          lastDraw = now;
          const elapsed = (now - started) / 1000;
          io.err(`\r${renderProgress({ epoch: event.epoch, epochs: config.epochs, done: event.iteration, total: training.totalIterations, samplesPerSecond: samplesSeen / elapsed, elapsedSeconds: elapsed, loss: event.loss })}\x1b[K`);
        }
        return;
      }
      case 'epoch': {
        const { type: _type, ...metrics } = event;
        if (json) {
          io.out(JSON.stringify({ type: 'epoch', ...metrics }));
        } else {
          io.err(`${io.interactive ? '\r\x1b[K' : ''}epoch ${event.epoch}/${config.epochs}: train loss ${event.trainLoss.toFixed(4)} acc ${pct(event.trainAccuracy)} | test loss ${event.testLoss.toFixed(4)} acc ${pct(event.testAccuracy)} | ${event.seconds.toFixed(1)} s, ${Math.round(event.samplesPerSecond).toLocaleString('en-US')} img/s\n`);
        }
        return;
      }
      case 'diverged':
        diverged = event.reason;
        if (json) io.out(JSON.stringify(event));
        return;
    }
  };

  const loop = new TrainingLoop(training, onEvent, { yieldEveryMs: 50 });
  const interrupt = (): void => loop.cancel();
  process.once('SIGINT', interrupt);
  const outcome = await loop.run().finally(() => {
    process.off('SIGINT', interrupt);
    (kernels as Partial<WasmKernels>).stopHelper?.();
  });

  const last = training.history.at(-1);
  const testAccuracy = last?.testAccuracy ?? null;
  let modelPath: string | null = null;
  let saveError: CliFailure | null = null;
  if (out !== undefined && outcome !== 'cancelled' && training.history.length > 0) {
    try {
      modelPath = saveModel(out, run, data, basename(out));
    } catch (error) {
      if (!(error instanceof CliFailure)) throw error;
      saveError = error;
    }
  }
  if (json) {
    // Always the last line, even when the save failed: a script reads the outcome from it.
    io.out(JSON.stringify({ type: 'done', status: outcome, testAccuracy, model: modelPath, ...(saveError ? { error: saveError.message } : {}) }));
  } else {
    if (io.interactive) io.err('\r\x1b[K');
    if (outcome === 'cancelled') io.err(`Stopped after ${training.history.length} complete epoch(s); nothing was saved.\n`);
    if (testAccuracy !== null) {
      const saved = modelPath ? `; model saved to ${modelPath}` : ' (not saved: add --out FILE to keep the model)';
      io.err(`Test accuracy ${pct(testAccuracy)}${saved}\n`);
    }
    if (outcome !== 'cancelled') {
      const findings = diagnoseRun({ ...config, classes: data.classes, losses, epochs: training.history, hiddenLayers: measureUnitHealth(run.network, config.activation, data.test) });
      io.err(describeFindings(findings));
    }
  }
  if (saveError !== null) throw saveError;
  if (diverged !== null) throw new CliFailure(diverged);
  return outcome === 'cancelled' ? 130 : 0;
}

/** The run diagnostics as a short block of text; nothing when the run looks healthy. */
function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.severity === 'problem' ? 'Problem' : 'Note'}: ${f.title}. ${f.detail}\n  Try: ${f.advice}\n`).join('');
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
