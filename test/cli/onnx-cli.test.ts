// `export --onnx` and `import --onnx` as a user runs them: a model trained by the CLI goes out as
// an .onnx file that ONNX Runtime runs, and comes back in as a model `eval` scores the same.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, jsonLines } from '../helpers/run-script';

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-onnx-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI with ONNX files', () => {
  const modelPath = join(dir, 'small.mlpmodel');
  const onnxPath = join(dir, 'small.onnx');

  it('export --model FILE --onnx OUT writes a file ONNX Runtime runs; import brings it back with the same test accuracy', async () => {
    const train = await cli('train', '--layers', '784,32,10', '--activation', 'tanh', '--epochs', '1', '--json', '--out', modelPath);
    expect(train.code).toBe(0);
    const trained = jsonLines(train.stdout)[0];

    const exported = await cli('export', '--model', modelPath, '--onnx', onnxPath);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(`Exported 784-32-10 (tanh) as ONNX to ${onnxPath}\n`);
    // Written atomically: no temporary file is left beside it.
    expect(readdirSync(dir).sort()).toEqual(['small.mlpmodel', 'small.onnx']);

    const session = await ort.InferenceSession.create(onnxPath);
    const result = await session.run({ image: new ort.Tensor('float32', new Float32Array(2 * 784), [2, 784]) });
    expect(result.probabilities.dims).toEqual([2, 10]);
    await session.release();

    const back = join(dir, 'back.mlpmodel');
    const imported = await cli('import', '--onnx', onnxPath, '--out', back, '--json');
    expect(imported.code).toBe(0);
    expect(jsonLines(imported.stdout)).toEqual([{ type: 'imported', onnx: onnxPath, model: back, layers: [784, 32, 10], activation: 'tanh' }]);
    const evaluation = await cli('eval', '--model', back, '--json');
    expect(evaluation.code).toBe(0);
    expect(jsonLines(evaluation.stdout)[0].testAccuracy).toBe(trained.testAccuracy);
  });

  it('refuses what it cannot do with a message and exit code 1 or 2', async () => {
    const noFolder = await cli('export', '--model', modelPath, '--onnx', join(dir, 'missing', 'out.onnx'));
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toMatch(/^error: Could not write .*missing\/out\.onnx: ENOENT/);
    const usage = await cli('export', '--model', modelPath);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/export needs --model FILE and --onnx OUT\.onnx/);
    const notOnnx = join(dir, 'notes.onnx');
    writeFileSync(notOnnx, 'hello');
    const bad = await cli('import', '--onnx', notOnnx, '--out', join(dir, 'x.mlpmodel'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: notes\.onnx is not an ONNX model/);
  });
});
