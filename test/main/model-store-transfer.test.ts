import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/training/evaluate';
import { selectKernels } from '../../src/engine/kernels/select';
import { encodeModel, ModelFileError, type ModelHeaderInput } from '../../src/engine/files/model-file';
import { Network } from '../../src/engine/nn/network';
import { mnist } from '../helpers/mnist';
import { projectRoot, root, setup, idOf, model, weights, expectSameWeights, okEntries, thrownAsync } from '../helpers/model-store-fixture';

describe('the model store: export and import', () => {
  it('exports a verified byte-for-byte copy to a chosen path, but never into the library or from a damaged file', async () => {
    const { dir, store } = setup();
    const id = await store.save('Export me', model, weights);
    const outDir = fs.mkdtempSync(join(root, 'export-'));
    const destination = join(outDir, 'my model.mlpmodel');
    await store.exportTo(id, destination);
    expect(fs.readFileSync(destination).equals(fs.readFileSync(join(dir, `${id}.mlpmodel`)))).toBe(true);
    expect(fs.readdirSync(outDir)).toEqual(['my model.mlpmodel']);

    await expect(store.exportTo(id, join(dir, `${idOf(99)}.mlpmodel`))).rejects.toThrow(/Choose a folder outside the model library/);
    await expect(store.exportTo(id, 'relative/path.mlpmodel')).rejects.toThrow(/a full path from a file dialog is needed/);

    fs.writeFileSync(join(dir, `${id}.mlpmodel`), fs.readFileSync(join(dir, `${id}.mlpmodel`)).subarray(0, 100));
    const second = join(outDir, 'second.mlpmodel');
    await expect(store.exportTo(id, second)).rejects.toThrow(/is truncated/);
    expect(fs.existsSync(second)).toBe(false);
  });

  it('imports a valid file as a byte-for-byte copy under a new id', async () => {
    const { dir, store } = setup();
    const source = join(fs.mkdtempSync(join(root, 'import-')), 'from a friend.mlpmodel');
    fs.writeFileSync(source, encodeModel({ ...model, name: 'Friend\'s net', createdAt: '2024-12-31T00:00:00.000Z', appVersion: '0.0.1' }, weights));
    const id = await store.importFrom(source);
    expect(fs.readFileSync(join(dir, `${id}.mlpmodel`)).equals(fs.readFileSync(source))).toBe(true);
    expect(okEntries((await store.list()))).toEqual([expect.objectContaining({ id, name: "Friend's net", createdAt: '2024-12-31T00:00:00.000Z' })]);
  });

  it('names an imported model without a usable name after its file', async () => {
    const { store } = setup();
    const folder = fs.mkdtempSync(join(root, 'import-'));
    const header: ModelHeaderInput = { ...model, createdAt: '2024-12-31T00:00:00.000Z', appVersion: '0.0.1' };
    fs.writeFileSync(join(folder, 'digits-v2.mlpmodel'), encodeModel(header, weights));
    fs.writeFileSync(join(folder, 'tabbed.mlpmodel'), encodeModel({ ...header, name: 'a\tb' }, weights));
    expect((await store.load(await store.importFrom(join(folder, 'digits-v2.mlpmodel')))).header.name).toBe('digits-v2');
    const tabbed = await store.load(await store.importFrom(join(folder, 'tabbed.mlpmodel')));
    expect(tabbed.header.name).toBe('tabbed');
    expectSameWeights(tabbed.weights, weights);
  });

  it('refuses a bad import with the decoder\'s message and writes nothing', async () => {
    const { dir, store } = setup();
    const folder = fs.mkdtempSync(join(root, 'import-'));
    const valid = encodeModel({ ...model, name: 'x', createdAt: '2024-12-31T00:00:00.000Z', appVersion: '0.0.1' }, weights);
    const cases: [string, Uint8Array, RegExp][] = [
      ['photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), /^photo\.png is not an MLP Lab model file: a model file starts with "MLPLAB"/],
      ['cut.mlpmodel', valid.subarray(0, valid.length - 10), /^cut\.mlpmodel is truncated/],
      ['flipped.mlpmodel', valid.map((b, i) => (i === valid.length - 8 ? b ^ 1 : b)), /^flipped\.mlpmodel is corrupted/],
      ['empty.mlpmodel', new Uint8Array(0), /^empty\.mlpmodel is truncated: it has only 0 bytes/],
    ];
    for (const [name, bytes, message] of cases) {
      fs.writeFileSync(join(folder, name), bytes);
      const error = await thrownAsync(store.importFrom(join(folder, name)));
      expect(error, name).toBeInstanceOf(ModelFileError);
      expect(error.message).toMatch(message);
    }
    await expect(store.importFrom(join(folder, 'missing.mlpmodel'))).rejects.toThrow(/Cannot import .*missing\.mlpmodel: there is no such file\./);
    await expect(store.importFrom(folder)).rejects.toThrow(/: import-\w+ is a folder, not a regular file: choose the model file itself\./);
    await expect(store.importFrom('relative.mlpmodel')).rejects.toThrow(/a full path from a file dialog is needed/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('imports a model the CLI trained, which then scores the CLI\'s own test accuracy', async () => {
    const folder = fs.mkdtempSync(join(root, 'cli-'));
    const out = join(folder, 'cli.mlpmodel');
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(
        'npm',
        ['run', '-s', 'cli', '--', 'train', '--layers', '784,32,10', '--epochs', '1', '--json', '--out', out],
        { cwd: projectRoot, maxBuffer: 1 << 24 },
        (error, stdout, stderr) => (error ? reject(new Error(`the CLI failed: ${stderr}`)) : resolve({ stdout })),
      );
    });
    const done = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.type === 'done');
    expect(done).toMatchObject({ status: 'completed', model: out });
    const reported = done?.testAccuracy as number;
    expect(reported).toBeGreaterThan(0.9);

    const { store } = setup();
    const id = await store.importFrom(out);
    expect(okEntries((await store.list()))).toEqual([
      expect.objectContaining({ id, layers: [784, 32, 10], activation: 'relu', epochs: 1, datasetName: 'MNIST', testAccuracy: reported }),
    ]);
    const { header, weights: loaded } = await store.load(id);
    const network = new Network(header.config, await selectKernels('auto'));
    network.setWeights(loaded);
    const data = mnist();
    expect(evaluate(network, data.test, data.classes).accuracy).toBe(reported);
  });
});
