import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, jsonLines } from '../helpers/run-script';


describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-cli-'));
  const modelPath = join(dir, 'small.mlp');

  it('train --epochs 1 --json trains on real MNIST, prints JSON lines and saves the model; eval agrees', async () => {
    const train = await cli('train', '--layers', '784,32,10', '--epochs', '1', '--json', '--out', modelPath);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const lines = jsonLines(train.stdout);
    expect(lines).toHaveLength(2);
    const [epoch, done] = lines;
    expect(Object.keys(epoch)).toEqual(['type', 'epoch', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'seconds', 'samplesPerSecond']);
    expect(epoch.type).toBe('epoch');
    expect(epoch.testAccuracy).toBeGreaterThan(0.9);
    expect(done).toEqual({ type: 'done', status: 'completed', testAccuracy: epoch.testAccuracy, model: modelPath });
    // Written atomically: the model and nothing else (no temp file left behind).
    expect(readdirSync(dir)).toEqual(['small.mlp']);

    const evaluation = await cli('eval', '--model', modelPath, '--json');
    expect(evaluation.code).toBe(0);
    const [result] = jsonLines(evaluation.stdout);
    expect(result.type).toBe('eval');
    expect(result.testAccuracy).toBe(epoch.testAccuracy);
    expect(result.testLoss).toBeCloseTo(epoch.testLoss as number, 10);
    const confusion = result.confusion as number[][];
    expect(confusion).toHaveLength(10);
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('predict gives one test image\'s probabilities, agreeing with its label from the data', async () => {
    const r = await cli('predict', '--model', modelPath, '--index', '0', '--json');
    expect(r.code).toBe(0);
    const [result] = jsonLines(r.stdout);
    // The first MNIST test image is a 7.
    expect(result).toMatchObject({ type: 'predict', index: 0, label: 7 });
    const probabilities = result.probabilities as number[];
    expect(probabilities).toHaveLength(10);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(result.predicted).toBe(probabilities.indexOf(Math.max(...probabilities)));
    const outOfRange = await cli('predict', '--model', modelPath, '--index', '10000');
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toMatch(/--index must be a whole number from 0 to 9999; got 10000/);
  });

  it('train --threads 2 splits batches over two threads with the same result as one; a batch of 8 keeps one', async () => {
    const base = ['train', '--layers', '784,32,10', '--epochs', '1', '--batch', '64'];
    const [one, two, small] = await Promise.all([
      cli(...base, '--threads', '1', '--json'),
      cli(...base, '--threads', '2'),
      cli('train', '--layers', '784,10', '--epochs', '1', '--batch', '8', '--threads', '2'),
    ]);
    expect([one.code, two.code, small.code]).toEqual([0, 0, 0]);
    expect(two.stderr).toMatch(/kernels wasm-simd on 2 threads\n/);
    expect(small.stderr).toMatch(/kernels wasm-simd\n/);
    // Each thread computes whole rows exactly as one thread would: the same accuracy to the digit.
    const [epoch] = jsonLines(one.stdout);
    expect(two.stderr).toContain(`Test accuracy ${((epoch.testAccuracy as number) * 100).toFixed(2)}%`);
    const bad = await cli('train', '--threads', '3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads takes 1 or 2; got 3/);
  });

  it('train ends with what the run shows in plain words: a loss that barely moves at learning rate 1e-5', async () => {
    const r = await cli('train', '--layers', '784,10', '--epochs', '1', '--optimizer', 'sgd', '--lr', '0.00001');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\nNote: The loss barely moves\. The loss went from 2\.\d+ to 2\.\d+.*\n {2}Try: The learning rate \(0\.00001\) is probably too low: try one 10× larger\.\n$/);
  });

  it('usage errors exit 2 with one line and no stack trace', async () => {
    for (const args of [['fly'], ['train', '--lr'], ['train', '--lr', 'fast'], ['train', '--bogus'], ['train', '--activation', 'softplus'], ['train', '--layers', '28,100,10'], ['eval']]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error: .+\nRun "npm run -s cli -- help" for usage\.\n$/);
      expect(r.stderr).not.toMatch(/ at /);
    }
  });

  it('explains a first layer sized for a 28-pixel row', async () => {
    const r = await cli('train', '--layers', '28,100,10');
    expect(r.stderr).toMatch(/first layer takes 28 inputs but each image has 28×28 = 784 pixels/);
  });

  it('data and model errors exit 1 with one line naming the file', async () => {
    const missing = await cli('train', '--data', join(dir, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain(join(dir, 'nowhere'));

    const corrupt = join(dir, 'corrupt.mlp');
    const bytes = readFileSync(modelPath);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(corrupt, bytes);
    const bad = await cli('eval', '--model', corrupt);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^error: .*${corrupt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*checksum`));
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);

    const absent = await cli('eval', '--model', join(dir, 'absent.mlp'));
    expect(absent.code).toBe(1);
    expect(absent.stderr).toBe(`error: Cannot read model file ${join(dir, 'absent.mlp')}: no such file.\n`);
  });

  it('help prints the usage', async () => {
    const r = await cli('help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: npm run -s cli -- <command> \[options\]/);
  });
});
