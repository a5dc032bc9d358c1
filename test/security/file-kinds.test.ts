/**
 * The file-kind and size cases, made in a temp folder: a FIFO, a link to /dev/zero, a folder, a
 * sparse file far over the limit, one within the limit but longer than its header, gzip bombs with
 * and without a valid header. Each is refused with one line, within a time and memory bound, by
 * the CLI's and engine's synchronous reads and by the main process's asynchronous one.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_SIZE_LIMITS, readBoundedFile, readBoundedFileSync } from '../../src/node/bounded-file';
import { loadDatasetFolder, loadDatasetFolderAsync } from '../../src/node/dataset-folder';
import { readModelFileSync, readStudyFileSync } from '../../src/node/library-files';
import { createModelStore } from '../../src/main/model-store';
import { createStudyStore } from '../../src/main/study-store';
import { concat, idxBytes } from '../helpers/idx-bytes';
import { refusal, withinBounds } from '../helpers/bounds';

const root = mkdtempSync(join(tmpdir(), 'mlp-lab-file-kinds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MiB = 1024 * 1024;
const GOOD: Record<string, Uint8Array> = {
  'train-images-idx3-ubyte': idxBytes([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
  'train-labels-idx1-ubyte': idxBytes([2], [0, 1]),
  't10k-images-idx3-ubyte': idxBytes([1, 2, 2], [9, 9, 9, 9]),
  't10k-labels-idx1-ubyte': idxBytes([1], [1]),
};

let folders = 0;
/** A dataset folder whose training images are made by `makeImages(path)`; the other three files are good. */
function datasetWith(makeImages: (path: string) => void, imagesName = 'train-images-idx3-ubyte'): string {
  const dir = join(root, `set-${++folders}`);
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(GOOD)) if (name !== 'train-images-idx3-ubyte') writeFileSync(join(dir, name), bytes);
  makeImages(join(dir, imagesName));
  return dir;
}

const fifo = (path: string): void => void execFileSync('mkfifo', [path]);
const toDevZero = (path: string): void => symlinkSync('/dev/zero', path);
const folderAt = (path: string): void => mkdirSync(path);
/** A file of `size` bytes that takes no disk space: `bytes` at its start, holes after. */
function sparse(size: number, bytes: Uint8Array = new Uint8Array(0)): (path: string) => void {
  return (path) => {
    const fd = openSync(path, 'w');
    writeSync(fd, bytes, 0, bytes.length, 0);
    closeSync(fd);
    execFileSync('truncate', ['-s', String(size), path]);
  };
}

/** gzip members concatenated make one stream of their contents: 64 × 16 MiB of zeros from ~1 MB. */
const ZERO_MEMBER = gzipSync(new Uint8Array(16 * MiB), { level: 9 });
function bomb(start: Uint8Array): (path: string) => void {
  return (path) => writeFileSync(path, concat(gzipSync(start), ...Array.from({ length: 64 }, () => ZERO_MEMBER)));
}

const CASES: { name: string; make: (path: string) => void; says: RegExp; gz?: boolean }[] = [
  { name: 'a FIFO (no writer: a blocking read would hang)', make: fifo, says: /is a named pipe \(FIFO\)/ },
  { name: 'a symlink to /dev/zero', make: toDevZero, says: /is a device \(it leads to \/dev\/zero\), not a regular file/ },
  { name: 'a folder', make: folderAt, says: /is a folder, not a regular file/ },
  { name: 'a 1.5 GB sparse file', make: sparse(1.5e9), says: /is 1\.4 GiB, more than the 640 MiB a dataset file may be; it was not read/ },
  {
    name: 'a 600 MB sparse file whose header declares 2 images of 2×2',
    make: sparse(600e6, idxBytes([2, 2, 2], [])),
    says: /has 599999976 bytes more than its header describes \(600000000 bytes, the header says 24\)/,
  },
  {
    name: 'a header declaring 4 294 967 295 images',
    make: (path) => writeFileSync(path, idxBytes([0xffffffff, 28, 28], [])),
    says: /declares 3\.1 TiB of content in its header, more than the 640 MiB/,
  },
  { name: 'a gzip bomb of 1 GiB of zeros', make: bomb(new Uint8Array(16)), says: /holds IDX elements of type 0x00/, gz: true },
  {
    name: 'a gzip bomb behind a valid header',
    make: bomb(idxBytes([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])),
    says: /is gzip data that inflates to more than 64 KiB, more than its header describes; decompression was stopped there/,
    gz: true,
  },
  {
    name: 'a gzip file whose header declares 4 294 967 295 images',
    make: (path) => writeFileSync(path, gzipSync(idxBytes([0xffffffff, 28, 28], []))),
    says: /declares 3\.1 TiB of content/,
    gz: true,
  },
];

describe('a dataset file that is not what it claims', () => {
  for (const { name, make, says, gz } of CASES) {
    const dir = datasetWith(make, gz ? 'train-images-idx3-ubyte.gz' : 'train-images-idx3-ubyte');

    it(`is refused by the CLI's and engine's read: ${name}`, async () => {
      const { result: error } = await withinBounds(() => refusal(() => loadDatasetFolder(dir)));
      expect(error.message).toMatch(says);
      expect(error.message).toContain(join(dir, 'train-images-idx3-ubyte'));
      expect(error.message).not.toContain('\n');
    });

    it(`is refused by the main process's read, which never blocks its event loop: ${name}`, async () => {
      const { result: error } = await withinBounds(() => refusal(() => loadDatasetFolderAsync(dir)));
      expect(error.message).toMatch(says);
    });
  }

  it('still reads the good folder both ways', async () => {
    const dir = datasetWith((path) => writeFileSync(path, gzipSync(GOOD['train-images-idx3-ubyte'])), 'train-images-idx3-ubyte.gz');
    expect(loadDatasetFolder(dir).train.count).toBe(2);
    expect((await loadDatasetFolderAsync(dir)).train.count).toBe(2);
  });
});

describe('model and study files that are not regular files or are too large', () => {
  const kinds = [
    { name: 'FIFO', make: fifo, says: /named pipe/ },
    { name: 'link to /dev/zero', make: toDevZero, says: /a device/ },
    { name: 'sparse file over the limit', make: sparse(FILE_SIZE_LIMITS.model + 1), says: /more than the 720 MiB a model file may be/ },
  ];
  for (const { name, make, says } of kinds) {
    it(`refuses a model ${name}: reading, importing and listing the library`, async () => {
      const path = join(root, `model-${name.replace(/\W/g, '-')}.mlpmodel`);
      make(path);
      await withinBounds(() => expect(() => readModelFileSync(path)).toThrow(says));
      const library = join(root, `library-${name.replace(/\W/g, '-')}`);
      const store = createModelStore({ dir: library });
      await withinBounds(() => expect(store.importFrom(path)).rejects.toThrow(says));
      mkdirSync(library, { recursive: true });
      make(join(library, `${'a'.repeat(32)}.mlpmodel`));
      const { result: entries } = await withinBounds(() => store.list());
      expect(entries).toEqual([expect.objectContaining({ status: 'error', message: expect.stringMatching(says) })]);
    });
  }

  it('refuses a model whose header declares more than a model header may take, reading none of it', async () => {
    const path = join(root, 'long-header.mlpmodel');
    const prefix = new Uint8Array(12);
    prefix.set([0x4d, 0x4c, 0x50, 0x4c, 0x41, 0x42, 0, 0]);
    new DataView(prefix.buffer).setUint32(8, 100 * MiB, true);
    sparse(200 * MiB, prefix)(path);
    await withinBounds(() => expect(() => readModelFileSync(path)).toThrow(/declares a 100 MiB header, more than the 16 MiB a model file's header may take/));
    // A file shorter than its declared header is read whole (it is small) and called truncated.
    writeFileSync(path, Buffer.from('MLPLAB\0\0garbage'));
    await expect(createModelStore({ dir: root }).importFrom(path)).rejects.toThrow(/is truncated/);
  });

  it('refuses a study file that is a FIFO or over the study limit, listing it as unreadable', async () => {
    const dir = join(root, 'studies');
    mkdirSync(dir);
    fifo(join(dir, `${'b'.repeat(32)}.json`));
    sparse(FILE_SIZE_LIMITS.study + 1)(join(dir, `${'c'.repeat(32)}.json`));
    const { result: entries } = await withinBounds(() => createStudyStore(dir).list());
    expect(entries.map((e) => e.status)).toEqual(['error', 'error']);
    expect(() => readStudyFileSync(join(dir, `${'c'.repeat(32)}.json`))).toThrow(/more than the 64 MiB a study file may be/);
  });

  it('reads at most the given limit, even of a file that grows', async () => {
    const path = join(root, 'small.json');
    writeFileSync(path, '{}');
    expect(new TextDecoder().decode(readBoundedFileSync(path, { kind: 'study' }))).toBe('{}');
    expect(new TextDecoder().decode(await readBoundedFile(path, { kind: 'study' }))).toBe('{}');
    await expect(readBoundedFile(path, { kind: 'study', limit: 1 })).rejects.toThrow(/is 2 bytes, more than the 1 bytes a study file may be/);
  });
});
