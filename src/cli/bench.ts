/**
 * `npm run -s bench -- [--json] [--batch 64] [--epochs 1] [--threads 1] [--kernel auto|wasm|js]`
 *
 * Trains the course's 784-128-64-10 network the way ../shared/anchors time numpy and PyTorch
 * (ReLU, U(±1/√784) init, zero biases, plain SGD lr 0.1, shuffled, real MNIST) and reports training
 * samples per second (loading and evaluation excluded) and the process's peak memory. It reports;
 * it never fails on a timing.
 */
import { UsageError, numberOption, parseArgs } from './args';
import { kernelsFromArgs, loadData } from './common';
import { createRun } from '../engine/run';
import { PRESETS, type RunConfig } from '../shared/run-config';

const COURSE_NETWORK: RunConfig = {
  ...PRESETS.blog,
  learningRate: 0.1,
  shuffle: true,
  seed: 1,
};

function peakRssMB(): number {
  // maxRSS is in kilobytes.
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

async function main(argv: string[]): Promise<number> {
  const { options } = parseArgs(['bench', ...argv], new Set(['batch', 'epochs', 'threads', 'kernel', 'data']), new Set(['json']));
  const json = options.get('json') === true;
  const batch = numberOption(options, 'batch') ?? 64;
  const epochs = numberOption(options, 'epochs') ?? 1;
  const threads = numberOption(options, 'threads') ?? 1;
  if (threads !== 1) throw new UsageError('--threads: only 1 thread is implemented so far.');
  const data = loadData(options);
  const kernels = await kernelsFromArgs(options);
  const config: RunConfig = { ...COURSE_NETWORK, batchSize: batch, epochs };
  const run = createRun(config, data, kernels);
  const print = (record: Record<string, unknown>, human: string): void => {
    process.stdout.write(`${json ? JSON.stringify(record) : human}\n`);
  };

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
    epochs,
    network: config.layers.join('-'),
    peakRssMB: peakRssMB(),
  };
  print(summary, `${summary.network}, batch ${batch}, ${threads} thread, kernels ${kernels.name}: ${Math.round(summary.samplesPerSecond).toLocaleString('en-US')} samples/s; peak RSS ${summary.peakRssMB} MB`);
  return 0;
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
