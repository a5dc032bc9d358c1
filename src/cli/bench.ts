/**
 * `npm run -s bench -- [--json] [--batch 64] [--epochs 1] [--threads 1] [--kernel auto|wasm|js]`
 * `npm run -s bench -- --time-to 0.98 [--json] [--kernel …] [--threads 1|2]`
 *
 * Trains the course's 784-128-64-10 network the way ../shared/anchors time numpy and PyTorch
 * (ReLU, U(±1/√784) init, zero biases, plain SGD lr 0.1, shuffled, real MNIST) and reports training
 * samples per second (loading and evaluation excluded) and the process's peak memory. With
 * --time-to it trains the `fast` preset instead until the test accuracy first reaches the target
 * and reports the training seconds that took, evaluation included. It reports; it never fails on a
 * timing.
 *
 * Threads: --threads 2 gives the WebAssembly kernels a helper thread on the same memory (see
 * src/engine/kernels/wasm/threads.ts). Whether that pays depends on the other core being free, so
 * the benchmark first times a few hundred batches each way and reports the speed-up it saw; below
 * 1 it runs the timed epochs on one thread ("splitUsed": false) and says so.
 *
 * Fused multiply-add: Node 20 has relaxed SIMD only behind a V8 flag, which Electron turns on; the
 * benchmark turns it on too, so that it measures the kernels the app runs. (Those round once per
 * multiply-add: their weights differ in the last bits from those of a runtime without it.)
 */
import { setFlagsFromString } from 'node:v8';
import { UsageError, numberOption, parseArgs } from './args';
import { kernelsFromArgs, loadData } from './common';
import type { Dataset } from '../engine/training/dataset';
import type { Kernels } from '../engine/kernels/kernels';
import { createWasmKernels, type WasmKernels } from '../engine/kernels/wasm/wasm-kernels';
import { createRun } from '../engine/training/run';
import { spawnNodeHelper } from '../node/kernel-threads';
import { PRESETS, type RunConfig } from '../engine/training/run-config';

const COURSE_NETWORK: RunConfig = {
  ...PRESETS.blog,
  learningRate: 0.1,
  shuffle: true,
  seed: 1,
};

/** How long --time-to trains at most: the goal is 20 s, so a little past that says "not reached". */
const TIME_TO_LIMIT_SECONDS = 60;

function peakRssMB(): number {
  // maxRSS is in kilobytes.
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

type Print = (record: Record<string, unknown>, human: string) => void;

async function main(argv: string[]): Promise<number> {
  const { options } = parseArgs(['bench', ...argv], new Set(['batch', 'epochs', 'threads', 'kernel', 'data', 'time-to']), new Set(['json']));
  const json = options.get('json') === true;
  const batch = numberOption(options, 'batch') ?? 64;
  const epochs = numberOption(options, 'epochs') ?? 1;
  const threads = numberOption(options, 'threads') ?? 1;
  const target = numberOption(options, 'time-to');
  if (threads !== 1 && threads !== 2) throw new UsageError(`--threads takes 1 or 2 (the WebAssembly kernels with a helper thread); got ${threads}.`);
  if (threads === 2 && (options.get('kernel') ?? 'auto') === 'js') throw new UsageError('--threads 2 needs the WebAssembly kernels; the js kernels run on one thread.');
  if (target !== undefined && !(target > 0 && target <= 1)) throw new UsageError(`--time-to takes a test accuracy in (0, 1], e.g. 0.98; got ${target}.`);
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const data = loadData(options);
  const kernels = threads === 2 ? await createWasmKernels({ spawnHelper: spawnNodeHelper }) : await kernelsFromArgs(options);
  const print: Print = (record, human) => {
    process.stdout.write(`${json ? JSON.stringify(record) : human}\n`);
  };
  if (target !== undefined) return timeTo(target, data, kernels, print);

  const config: RunConfig = { ...COURSE_NETWORK, batchSize: batch, epochs };
  warmUp(config, data, kernels);
  const threadSpeedup = threads === 2 ? measureThreadSpeedup(config, data, kernels as WasmKernels) : undefined;
  if (threadSpeedup !== undefined) (kernels as WasmKernels).splitting = threadSpeedup >= 1;
  const run = createRun(config, data, kernels);
  let samples = 0;
  let seconds = 0;
  while (!run.training.done) {
    for (const event of run.training.step()) {
      if (event.type === 'diverged') throw new Error(event.reason);
      if (event.type !== 'epoch') continue;
      samples += data.train.count;
      seconds += event.seconds;
      print(
        { type: 'epoch', epoch: event.epoch, samplesPerSecond: event.samplesPerSecond, seconds: event.seconds, testAccuracy: event.testAccuracy },
        `epoch ${event.epoch}: ${Math.round(event.samplesPerSecond).toLocaleString('en-US')} samples/s (${event.seconds.toFixed(2)} s), test accuracy ${(event.testAccuracy * 100).toFixed(2)}%`,
      );
    }
  }
  const summary = {
    type: 'summary',
    samplesPerSecond: samples / seconds,
    batch,
    threads,
    kernel: kernels.name,
    fusedMultiplyAdd: usesFusedMultiplyAdd(kernels),
    epochs,
    network: config.layers.join('-'),
    peakRssMB: peakRssMB(),
    ...(threadSpeedup === undefined ? {} : { threadSpeedup, splitUsed: threadSpeedup >= 1, ...(threadSpeedup < 1.1 ? { note: threadNote(threadSpeedup) } : {}) }),
  };
  const threadHuman = threadSpeedup === undefined ? '' : `; the second thread gave ×${threadSpeedup.toFixed(2)}${threadSpeedup < 1.1 ? ` (${threadNote(threadSpeedup)})` : ''}`;
  print(summary, `${summary.network}, batch ${batch}, ${threads} thread${threads > 1 ? 's' : ''}, kernels ${kernels.name}: ${Math.round(summary.samplesPerSecond).toLocaleString('en-US')} samples/s; peak RSS ${summary.peakRssMB} MB${threadHuman}`);
  return 0;
}

/**
 * Trains 300 batches of a throw-away run before anything is timed. V8 first runs WebAssembly from
 * a baseline compiler and recompiles the hot functions with its optimising one while they run;
 * without this, that warm-up (tens of milliseconds, varying from run to run) lands in the first
 * epoch, which the anchors' side-by-side comparison times alone. numpy and PyTorch are timed
 * compiled too.
 */
function warmUp(config: RunConfig, data: Dataset, kernels: Kernels): void {
  const run = createRun({ ...config, epochs: 1, seed: config.seed + 1 }, data, kernels, { evaluateTest: false });
  for (let b = 0; b < 300 && !run.training.done; b++) run.training.step();
}

/**
 * Trains the `fast` preset until the test accuracy first reaches `target` (or its epochs or the
 * time limit run out). Seconds are wall-clock training time with every epoch's evaluation, loading
 * and compiling excluded.
 */
function timeTo(target: number, data: Dataset, kernels: Kernels, print: Print): number {
  const config = PRESETS.fast;
  const run = createRun(config, data, kernels);
  let seconds = 0;
  let reached = false;
  let epochs = 0;
  let testAccuracy = 0;
  const started = performance.now();
  while (!run.training.done && !reached && seconds < TIME_TO_LIMIT_SECONDS) {
    for (const event of run.training.step()) {
      if (event.type === 'diverged') throw new Error(event.reason);
      if (event.type !== 'epoch') continue;
      seconds = (performance.now() - started) / 1000;
      epochs = event.epoch;
      testAccuracy = event.testAccuracy;
      reached = testAccuracy >= target;
      print(
        { type: 'epoch', epoch: epochs, seconds, samplesPerSecond: event.samplesPerSecond, testAccuracy },
        `epoch ${epochs}: ${seconds.toFixed(1)} s, test accuracy ${(testAccuracy * 100).toFixed(2)}%`,
      );
    }
  }
  print(
    { type: 'time-to', target, reached, seconds, epochs, testAccuracy, network: config.layers.join('-'), optimizer: config.optimizer, batch: config.batchSize, kernel: kernels.name, peakRssMB: peakRssMB() },
    `${reached ? 'reached' : 'did not reach'} ${(target * 100).toFixed(1)}% test accuracy ${reached ? 'after' : 'in'} ${seconds.toFixed(1)} s (${epochs} epochs of ${config.layers.join('-')}, ${config.optimizer}, batch ${config.batchSize}; kernels ${kernels.name}); peak RSS ${peakRssMB()} MB`,
  );
  return 0;
}

/**
 * Times the same batches with the helper thread and without on a throw-away run: first 64 batches
 * to warm both paths up (the JIT, the caches), then 10 rounds of 30 batches each way, taking turns.
 * The speed-up the second thread gives on this machine right now.
 */
function measureThreadSpeedup(config: RunConfig, data: Dataset, kernels: WasmKernels): number {
  const run = createRun({ ...config, epochs: 1 }, data, kernels, { evaluateTest: false });
  const batches = (count: number): number => {
    const started = performance.now();
    for (let b = 0; b < count && !run.training.done; b++) run.training.step();
    return performance.now() - started;
  };
  for (let round = 0; round < 8; round++) {
    kernels.splitting = round % 2 === 0;
    batches(8);
  }
  const millis = [0, 0];
  for (let round = 0; round < 20; round++) {
    kernels.splitting = round % 2 === 1;
    millis[round % 2] += batches(30);
  }
  kernels.splitting = true;
  return millis[0] / millis[1];
}

function threadNote(speedup: number): string {
  const ran = speedup < 1 ? '; the epochs ran on one thread' : '';
  return `two threads do not pay here (×${speedup.toFixed(2)}): the other core is probably busy with another process, or the batch is too small to split${ran}`;
}

function usesFusedMultiplyAdd(kernels: Kernels): boolean {
  return (kernels as { fusedMultiplyAdd?: boolean }).fusedMultiplyAdd === true;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
