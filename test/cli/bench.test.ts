// The benchmark's output is a contract (../shared/anchors/side-by-side.sh reads its last line): these
// check its shape and the numbers that do not depend on the machine's speed. No timing is tested.
import { describe, expect, it } from 'vitest';
import { jsonLines, runScript } from '../helpers/run-script';

/** The benchmark as `npm run -s bench -- …` runs it. */
const bench = (...args: string[]) => runScript('src/cli/bench.ts', ...args);

describe('npm run bench', () => {
  it('--json: one line per epoch, then a summary with the fields side-by-side.sh and the README rely on', async () => {
    const r = await bench('--json', '--batch', '64', '--epochs', '1');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.type)).toEqual(['epoch', 'summary']);
    const [epoch, summary] = lines;
    expect(epoch.samplesPerSecond).toBeGreaterThan(0);
    // The course network after one epoch of SGD lr 0.1 (the anchors reach 97 % after five).
    expect(epoch.testAccuracy).toBeGreaterThan(0.9);
    expect(summary).toMatchObject({ batch: 64, threads: 1, kernel: 'wasm-simd', epochs: 1, network: '784-128-64-10' });
    expect(summary.samplesPerSecond).toBeGreaterThan(0);
    // Issue 5's memory goal: the images stay bytes, and the whole process stays under 250 MB.
    expect(summary.peakRssMB).toBeGreaterThan(0);
    expect(summary.peakRssMB).toBeLessThan(250);
  });

  it('--threads 2: says how much the second thread gave and whether the epochs used it', async () => {
    const r = await bench('--json', '--batch', '128', '--epochs', '1', '--threads', '2');
    expect(r.code).toBe(0);
    const summary = jsonLines(r.stdout).at(-1) as Record<string, unknown>;
    expect(summary).toMatchObject({ type: 'summary', batch: 128, threads: 2, kernel: 'wasm-simd' });
    expect(typeof summary.threadSpeedup).toBe('number');
    expect(summary.splitUsed).toBe((summary.threadSpeedup as number) >= 1);
  });

  it('--time-to 0.98: the fast preset reaches 98 % test accuracy and ends with the time-to line', async () => {
    const r = await bench('--time-to', '0.98', '--json');
    expect(r.code).toBe(0);
    const last = jsonLines(r.stdout).at(-1) as Record<string, unknown>;
    expect(last).toMatchObject({ type: 'time-to', target: 0.98, reached: true, network: '784-256-10', optimizer: 'adam', batch: 64 });
    expect(last.testAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(last.epochs).toBeGreaterThanOrEqual(1);
    expect(last.seconds).toBeGreaterThan(0);
  });

  it('refuses what it cannot do, with exit code 2', async () => {
    const results = await Promise.all([bench('--threads', '3'), bench('--time-to', '98'), bench('--threads', '2', '--kernel', 'js')]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(results[0].stderr).toMatch(/--threads takes 1 or 2/);
    expect(results[1].stderr).toMatch(/--time-to takes a test accuracy in \(0, 1\]/);
    expect(results[2].stderr).toMatch(/--threads 2 needs the WebAssembly kernels/);
  });
});
