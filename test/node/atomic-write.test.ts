import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFs } from '../../src/node/atomic-write';

const root = fs.mkdtempSync(join(tmpdir(), 'mlp-lab-atomic-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A fresh empty folder, so a test can see every file left in it. */
function emptyFolder(): string {
  const dir = join(root, `case-${++folders}`);
  fs.mkdirSync(dir);
  return dir;
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

function ioError(code: string, call: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated failure, ${call}`), { code });
}

/** The real file system with one call replaced. */
function fsWith(override: Partial<AtomicWriteFs>): AtomicWriteFs {
  return {
    openSync: (path, flags) => fs.openSync(path, flags),
    writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
    fsyncSync: (fd) => fs.fsyncSync(fd),
    closeSync: (fd) => fs.closeSync(fd),
    renameSync: (from, to) => fs.renameSync(from, to),
    unlinkSync: (path) => fs.unlinkSync(path),
    ...override,
  };
}

describe('writeFileAtomic', () => {
  it('writes a new file and leaves nothing else behind', () => {
    const dir = emptyFolder();
    const target = join(dir, 'model.mlpmodel');
    writeFileAtomic(target, bytes(1, 2, 3));
    expect(Array.from(fs.readFileSync(target))).toEqual([1, 2, 3]);
    expect(fs.readdirSync(dir)).toEqual(['model.mlpmodel']);
  });

  it('overwrites an existing file', () => {
    const dir = emptyFolder();
    const target = join(dir, 'model.mlpmodel');
    fs.writeFileSync(target, bytes(9, 9, 9, 9, 9));
    writeFileAtomic(target, bytes(4, 5));
    expect(Array.from(fs.readFileSync(target))).toEqual([4, 5]);
    expect(fs.readdirSync(dir)).toEqual(['model.mlpmodel']);
  });

  it('writes an empty file and a large one', () => {
    const dir = emptyFolder();
    writeFileAtomic(join(dir, 'empty'), new Uint8Array(0));
    expect(fs.readFileSync(join(dir, 'empty')).length).toBe(0);
    const large = new Uint8Array(3_000_000).map((_, i) => i % 251);
    writeFileAtomic(join(dir, 'large'), large);
    expect(fs.readFileSync(join(dir, 'large')).equals(large)).toBe(true);
  });

  it('keeps writing when the system writes only part of the buffer per call', () => {
    const dir = emptyFolder();
    const target = join(dir, 'model');
    const chunky = fsWith({ writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, Math.min(length, 3)) });
    writeFileAtomic(target, bytes(1, 2, 3, 4, 5, 6, 7, 8), chunky);
    expect(Array.from(fs.readFileSync(target))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('leaves the old file intact and no temporary file when the rename fails', () => {
    const dir = emptyFolder();
    const target = join(dir, 'model.mlpmodel');
    fs.writeFileSync(target, bytes(7, 7, 7));
    const failing = fsWith({ renameSync: () => { throw ioError('EXDEV', 'rename'); } });
    expect(() => writeFileAtomic(target, bytes(1, 2, 3, 4), failing)).toThrow(/EXDEV: simulated failure, rename/);
    expect(Array.from(fs.readFileSync(target))).toEqual([7, 7, 7]);
    expect(fs.readdirSync(dir)).toEqual(['model.mlpmodel']);
  });

  it('leaves the old file intact and no temporary file when the fsync fails', () => {
    const dir = emptyFolder();
    const target = join(dir, 'model.mlpmodel');
    fs.writeFileSync(target, bytes(7, 7, 7));
    const failing = fsWith({ fsyncSync: () => { throw ioError('EIO', 'fsync'); } });
    expect(() => writeFileAtomic(target, bytes(1, 2, 3, 4), failing)).toThrow(/EIO: simulated failure, fsync/);
    expect(Array.from(fs.readFileSync(target))).toEqual([7, 7, 7]);
    expect(fs.readdirSync(dir)).toEqual(['model.mlpmodel']);
  });

  it('leaves no temporary file when a write fails', () => {
    const dir = emptyFolder();
    const target = join(dir, 'model.mlpmodel');
    const failing = fsWith({ writeSync: () => { throw ioError('ENOSPC', 'write'); } });
    expect(() => writeFileAtomic(target, bytes(1, 2, 3, 4), failing)).toThrow(/ENOSPC/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('tolerates a folder that cannot be opened or flushed, as on Windows', () => {
    const dir = emptyFolder();
    const target = join(dir, 'model.mlpmodel');
    const windowsLike = fsWith({
      openSync: (path, flags) => {
        if (path === dir) throw ioError('EISDIR', 'open');
        return fs.openSync(path, flags);
      },
    });
    writeFileAtomic(target, bytes(1, 2), windowsLike);
    expect(Array.from(fs.readFileSync(target))).toEqual([1, 2]);
    let fsyncs = 0;
    const noFolderSync = fsWith({
      fsyncSync: (fd) => {
        if (++fsyncs === 2) throw ioError('EINVAL', 'fsync');
        fs.fsyncSync(fd);
      },
    });
    writeFileAtomic(target, bytes(3), noFolderSync);
    expect(Array.from(fs.readFileSync(target))).toEqual([3]);
    expect(fs.readdirSync(dir)).toEqual(['model.mlpmodel']);
  });

  it('fails when the folder does not exist, creating nothing', () => {
    const missing = join(root, 'no-such-folder', 'model.mlpmodel');
    expect(() => writeFileAtomic(missing, bytes(1))).toThrow(/ENOENT/);
    expect(fs.existsSync(join(root, 'no-such-folder'))).toBe(false);
  });
});
