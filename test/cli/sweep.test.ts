// `sweep` as a user runs it, on the real MNIST with small networks (a few seconds per run), and the
// Node run starter behind it with both the built worker and the worker's source.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, jsonLines, projectRoot as root } from '../helpers/run-script';
import { defaultMnistDir } from '../../src/node/dataset-folder';
import { builtWorker, createNodeRunStarter, sourceWorker, type WorkerEntry } from '../../src/node/node-study-runner';
import { PRESETS } from '../../src/engine/training/run-config';
import { expandStudy } from '../../src/shared/study';
import { StudyScheduler } from '../../src/node/study-scheduler';


describe('npm run cli -- sweep', () => {
  it('runs the grid of two --vary lists, two at a time: a run-done line per run, a summary, a CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-sweep-'));
    const csvPath = join(dir, 'study.csv');
    const r = await cli('sweep', '--layers', '784,32,10', '--epochs', '1', '--vary', 'lr=0.001,0.01', '--vary', 'batch=64,128', '--parallel', '2', '--json', '--csv', csvPath);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(5);
    const done = lines.slice(0, 4);
    const summary = lines[4];

    const base = { ...PRESETS.default, layers: [784, 32, 10], epochs: 1 };
    const byRun = [...done].sort((a, b) => (a.run as number) - (b.run as number));
    expect(byRun.map((l) => [l.run, l.label, l.status])).toEqual([
      [1, 'learningRate=0.001, batchSize=64', 'completed'],
      [2, 'learningRate=0.001, batchSize=128', 'completed'],
      [3, 'learningRate=0.01, batchSize=64', 'completed'],
      [4, 'learningRate=0.01, batchSize=128', 'completed'],
    ]);
    expect(byRun.map((l) => l.config)).toEqual([
      { ...base, learningRate: 0.001, batchSize: 64 },
      { ...base, learningRate: 0.001, batchSize: 128 },
      { ...base, learningRate: 0.01, batchSize: 64 },
      { ...base, learningRate: 0.01, batchSize: 128 },
    ]);
    for (const line of done) {
      expect(Object.keys(line)).toEqual(['type', 'run', 'label', 'status', 'config', 'testAccuracy', 'bestEpoch', 'bestTestAccuracy', 'trainLoss', 'seconds', 'secondsToTarget']);
      expect(line.type).toBe('run-done');
      expect(line.testAccuracy).toBeGreaterThan(0.88);
      expect(line.trainLoss).toBeGreaterThan(0);
      expect(line.seconds).toBeGreaterThan(0);
    }

    const best = byRun.reduce((a, b) => ((b.testAccuracy as number) > (a.testAccuracy as number) ? b : a));
    expect(summary).toMatchObject({ type: 'summary', runs: 4, completed: 4, diverged: 0, failed: 0, cancelled: 0, bestRun: best.run, bestLabel: best.label, bestTestAccuracy: best.testAccuracy, parallel: 2, targetAccuracy: 0.9 });

    // The CSV: written atomically (nothing else left in the folder), one row per run in run order.
    expect(readdirSync(dir)).toEqual(['study.csv']);
    const csv = readFileSync(csvPath, 'utf8').split('\r\n');
    expect(csv[0]).toBe('run,label,learningRate,batchSize,finalTestAccuracy,bestEpoch,bestTestAccuracy,finalTrainLoss,wallSeconds,secondsToAccuracy0.9,status');
    expect(csv[1]).toMatch(new RegExp(`^1,"learningRate=0\\.001, batchSize=64",0\\.001,64,${byRun[0].testAccuracy},1,${byRun[0].testAccuracy},${byRun[0].trainLoss},[0-9.]+,[0-9.]*,completed$`));
    expect(csv).toHaveLength(6);
    expect(csv[5]).toBe('');
  });

  it('reports a diverging run as diverged while the others complete, and still exits 0', async () => {
    const r = await cli('sweep', '--layers', '784,16,10', '--epochs', '1', '--optimizer', 'sgd', '--vary', 'lr=0.1,1e4', '--parallel', '2', '--json');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const diverged = lines.find((l) => l.run === 2);
    const completed = lines.find((l) => l.run === 1);
    expect(diverged).toMatchObject({ type: 'run-done', label: 'learningRate=10000', status: 'diverged' });
    expect(diverged?.reason).toMatch(/^Training diverged: .*The learning rate \(10000\) is probably too high/);
    expect(completed).toMatchObject({ status: 'completed' });
    expect(completed?.testAccuracy).toBeGreaterThan(0.85);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', runs: 2, completed: 1, diverged: 1, bestRun: 1 });
  });

  it('a readable table on stdout, best first, with the progress on stderr', async () => {
    const r = await cli('sweep', '--layers', '784,10', '--epochs', '1', '--batch', '256', '--vary', 'lr=0.0001,0.01');
    expect(r.code).toBe(0);
    const table = r.stdout.trim().split('\n');
    expect(table[0]).toMatch(/^run\s+label\s+status\s+test acc\s+best \(epoch\)\s+train loss\s+seconds\s+s to 90%$/);
    expect(table[1]).toMatch(/^\s*2\s+learningRate=0\.01\s+completed\s+\d+\.\d\d%/);
    expect(table[2]).toMatch(/^\s*1\s+learningRate=0\.0001\s+completed/);
    expect(r.stderr).toMatch(/^Sweep of 2 run\(s\) on MNIST, 2 at a time/);
    expect(r.stderr).toMatch(/run 2\/2 completed \(learningRate=0\.01\): test \d+\.\d\d%/);
    expect(r.stderr).toMatch(/Best: run 2 \(learningRate=0\.01\), test accuracy/);
  });

  it('usage errors exit 2 with one line naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['--vary'], /--vary needs KEY=V1,V2/],
      [['--vary', 'momentum=0.5,0.9'], /cannot vary "momentum"; choose from batch, lr, activation, init, optimizer, hidden/],
      [['--vary', 'lr='], /--vary lr=: give the values after "="/],
      [['--vary', 'lr=fast,0.1'], /--vary lr=fast,0\.1: "fast" is not a number/],
      [['--vary', 'lr=0.1,-1'], /learningRate=-1: Learning rate must be a number above 0/],
      [['--vary', 'activation=relu,softplus'], /activation=softplus: Activation must be one of relu, sigmoid, tanh/],
      [['--vary', 'hidden=128x,64'], /--vary hidden=128x,64: "128x" is not a list of hidden widths like 128x64/],
      [['--vary', 'hidden=128x0'], /hidden=128x0: Layer 3 width must be a whole number from 1 to 4096; got 0/],
      [['--vary', 'batch=16', '--vary', 'batch=32'], /batchSize is varied twice/],
      [['--lr', '0.1', '--vary', 'lr=0.1,0.01'], /--lr and --vary lr=… both set learningRate; keep one/],
      [[], /sweep needs at least one --vary KEY=V1,V2,… or --preset blog-study/],
      [['--preset', 'blog-study', '--vary', 'lr=0.1'], /--preset blog-study has its own variations/],
      [['--vary', 'lr=0.1', '--parallel', '0'], /--parallel must be a whole number from 1 to 64; got 0/],
      [['--vary', 'lr=0.1', '--target', '95'], /--target is a test accuracy from 0 to 1/],
      [['--vary', 'lr=0.1', '--out', 'x.mlp'], /Unknown option --out/],
      [['--vary', 'lr=0.1', '--threads', '2'], /Unknown option --threads/],
      [['--vary', 'lr=0.1', '--layers', '28,100,10'], /first layer takes 28 inputs but each image has 28×28 = 784 pixels/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli('sweep', ...args)));
    results.forEach((r, i) => {
      const [args, message] = cases[i];
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error: .+\nRun "npm run -s cli -- help" for usage\.\n$/);
      expect(r.stderr, args.join(' ')).toMatch(message);
    });
  });

  it('a bad dataset folder or CSV folder exits 1 before any run starts', async () => {
    const [data, csv] = await Promise.all([
      cli('sweep', '--vary', 'lr=0.1', '--data', '/no/such/folder'),
      cli('sweep', '--vary', 'lr=0.1', '--csv', '/no/such/folder/study.csv'),
    ]);
    expect(data.code).toBe(1);
    expect(data.stderr).toMatch(/^error: .*\/no\/such\/folder.*\n$/);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toBe('error: Cannot write the CSV to /no/such/folder/study.csv: there is no folder /no/such/folder.\n');
  });

  it('Ctrl-C cancels every run, ends every engine process and exits 130', async () => {
    // Detached: its own process group, which a terminal's Ctrl-C signals as a whole (workers included).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sweep', '--layers', '784,32,10', '--epochs', '5', '--vary', 'lr=0.001,0.01,0.1', '--parallel', '2', '--json'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const pid = child.pid as number;
    const childrenOf = (p: number): number[] => {
      const file = `/proc/${p}/task/${p}/children`;
      return existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
    };
    let workers: number[] = [];
    for (let waited = 0; workers.length < 2 && waited < 20_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      workers = childrenOf(pid);
    }
    expect(workers).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(-pid, 'SIGINT');
    expect(await exited).toBe(130);

    const lines = jsonLines(stdout);
    expect(lines.slice(0, 3).map((l) => l.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(lines[3]).toMatchObject({ type: 'summary', runs: 3, cancelled: 3 });
    await new Promise((r) => setTimeout(r, 300));
    for (const worker of workers) expect(() => process.kill(worker, 0), `worker ${worker} still alive`).toThrow();
  });
});

describe('the Node run starter', () => {
  const dataset = { dir: defaultMnistDir(), name: 'MNIST', id: 'mnist' };
  const runs = expandStudy({ ...PRESETS.default, layers: [784, 32, 10], epochs: 1 }, [{ key: 'learningRate', values: [0.1, 0.001] }]);

  /** Starts both runs and stops each after its first progress message; returns each run's first minibatch. */
  async function firstIterations(worker: WorkerEntry) {
    const scheduler: StudyScheduler = new StudyScheduler(runs, {
      startRun: createNodeRunStarter({ dataset, worker }),
      parallel: 2,
      onUpdate: (run) => {
        if (run.status === 'running' && run.iterations.length > 0) scheduler.cancel(run.index);
      },
    });
    const records = await scheduler.run();
    return records.map((r) => r.iterations[0]);
  }

  it('runs the worker\'s source under tsx and the built worker alike; runs that vary only lr start from the same weights and images', async () => {
    const built = builtWorker();
    expect(existsSync(built.path), `${built.path} is missing: run "npm run build" first (npm test does)`).toBe(true);
    for (const worker of [sourceWorker(), built]) {
      const [fast, slow] = await firstIterations(worker);
      // The first minibatch's loss is measured before any update: equal losses and accuracies mean
      // the same initial weights saw the same shuffled images, whatever the learning rate.
      expect(fast.iteration).toBe(1);
      expect(Number.isFinite(fast.loss)).toBe(true);
      expect(slow).toEqual(fast);
    }
  });

  it('reports a run the engine cannot start as failed, naming the problem', async () => {
    const scheduler = new StudyScheduler(runs.slice(0, 1), {
      startRun: createNodeRunStarter({ dataset: { ...dataset, dir: '/no/such/folder' } }),
      parallel: 1,
    });
    const [run] = await scheduler.run();
    expect(run.status).toBe('failed');
    expect(run.message).toMatch(/\/no\/such\/folder/);
  });
});
