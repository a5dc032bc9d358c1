/**
 * Stray and lost state: temporary files that interrupted writes leave behind are removed the next
 * time a store starts (only our own names, only old ones); a save killed mid-write never leaves a
 * partial model, and a full disk (a small tmpfs where root may mount one, an injected ENOSPC
 * otherwise) never damages the file already there; an export through a symlinked folder never
 * reaches a library.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../src/engine/files/model-file';
import { createModelStore } from '../../src/main/model-store';
import { createStudyStore } from '../../src/main/study-store';
import { isAtomicTempName, removeStaleTempFiles, STALE_TEMP_AGE_MS } from '../../src/node/atomic-write';
import { protectedFolderOf } from '../../src/node/library-guard';
import { idOf, model, setup, snapshot, weights } from '../helpers/model-store-fixture';
import { projectRoot } from '../helpers/run-script';

const root = fs.mkdtempSync(join(tmpdir(), 'mlp-lab-stray-'));
const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted) execFileSync('umount', [dir]);
  fs.rmSync(root, { recursive: true, force: true });
});

const modelBytes = encodeModel({ ...model, name: 'Kept', createdAt: '2025-01-01T00:00:00.000Z', appVersion: '1.0.0' }, weights);
const hourAgo = new Date(Date.now() - 60 * 60 * 1000);

function folder(name: string): string {
  const dir = join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

describe('temporary files of interrupted writes', () => {
  it('are removed when a model or study store starts: only our names, only older than a write could take', async () => {
    for (const [dir, start] of [
      [folder('models-tmp'), (d: string) => createModelStore({ dir: d })],
      [folder('studies-tmp'), (d: string) => createStudyStore(d)],
    ] as const) {
      const old = `.${idOf(1)}.mlpmodel.0123456789ab.tmp`;
      const fresh = `.${idOf(2)}.mlpmodel.ba9876543210.tmp`;
      const notOurs = ['.notes.tmp', 'x.0123456789ab.tmp', `.${idOf(3)}.json.0123456789AB.tmp`, `${idOf(4)}.mlpmodel`];
      for (const name of [old, fresh, ...notOurs]) fs.writeFileSync(join(dir, name), 'partial');
      for (const name of [old, ...notOurs]) fs.utimesSync(join(dir, name), hourAgo, hourAgo);
      // A link with our name pattern is left alone, and so is what it points to.
      fs.symlinkSync(join(dir, notOurs[3]), join(dir, `.link.0123456789ab.tmp`));
      fs.lutimesSync(join(dir, '.link.0123456789ab.tmp'), hourAgo, hourAgo);
      start(dir);
      expect(fs.readdirSync(dir).sort()).toEqual([fresh, ...notOurs, '.link.0123456789ab.tmp'].sort());
    }
    expect(isAtomicTempName(`.${idOf(1)}.mlpmodel.0123456789ab.tmp`)).toBe(true);
    expect(removeStaleTempFiles(join(root, 'no-such-folder'))).toEqual([]);
  });

  it('a save killed mid-write leaves the old model whole; its temporary file goes at the next start', async () => {
    const dir = folder('killed');
    const target = join(dir, `${idOf(1)}.mlpmodel`);
    fs.writeFileSync(target, modelBytes);
    // A 48 MB model written over and over, killed at once when its first temporary file appears.
    const big = join(root, 'big.bin');
    fs.writeFileSync(big, new Uint8Array(48 * 1024 * 1024).fill(7));
    const script = `import { readFileSync } from 'node:fs'; import { writeFileAtomic } from './src/node/atomic-write.ts';
      const bytes = readFileSync(${JSON.stringify(big)}); for (;;) writeFileAtomic(${JSON.stringify(target)}, bytes);`;
    for (let kill = 0; kill < 3; kill++) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, stdio: 'ignore' });
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (fs.readdirSync(dir).some(isAtomicTempName)) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolve();
          }
        }, 5);
      });
      await new Promise((resolve) => child.on('close', resolve));
      // Either the old model or a whole new file: never a part of one.
      const now = fs.readFileSync(target);
      const whole = now.equals(Buffer.from(modelBytes)) || (now.length === 48 * 1024 * 1024 && now.every((b) => b === 7));
      expect(whole, `${now.length} bytes`).toBe(true);
    }
    const temps = fs.readdirSync(dir).filter(isAtomicTempName);
    expect(temps.length).toBeGreaterThan(0);
    for (const name of temps) fs.utimesSync(join(dir, name), hourAgo, hourAgo);
    createModelStore({ dir });
    expect(fs.readdirSync(dir)).toEqual([`${idOf(1)}.mlpmodel`]);
    expect(STALE_TEMP_AGE_MS).toBe(10 * 60 * 1000);
  }, 60_000);
});

describe('a full disk', () => {
  /** A 256 KiB tmpfs where root may mount one; undefined otherwise. */
  function smallDisk(): string | undefined {
    const dir = folder('small-disk');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'ignore' });
      mounted.push(dir);
      return dir;
    } catch {
      return undefined;
    }
  }

  it('refuses the save cleanly and leaves the model already there as it was (a real ENOSPC where possible)', async () => {
    const disk = smallDisk();
    if (disk !== undefined) {
      const store = createModelStore({ dir: disk });
      const id = await store.save('First', model, weights);
      const before = snapshot(disk);
      // Fill the disk, then try to save again: the write fails on the full disk.
      fs.writeFileSync(join(disk, 'filler'), new Uint8Array(1));
      let size = 64 * 1024;
      for (;;) {
        try {
          fs.appendFileSync(join(disk, 'filler'), new Uint8Array(size));
        } catch {
          if (size === 1) break;
          size = Math.max(1, size >> 2);
        }
      }
      await expect(store.rename(id, 'Second')).rejects.toThrow(/no space left on device|ENOSPC/i);
      fs.rmSync(join(disk, 'filler'));
      expect(snapshot(disk)).toEqual(before);
      return;
    }
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const { store, dir } = setup({ fsOverride: { writeSync: () => { throw enospc; } } });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(join(dir, `${idOf(9)}.mlpmodel`), modelBytes);
    const before = snapshot(dir);
    await expect(store.rename(idOf(9), 'Second')).rejects.toThrow(/no space left on device/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('exports', () => {
  it('refuse any real path inside a library folder, whatever links lead there', async () => {
    const library = folder('userData/models');
    const studies = folder('userData/studies');
    fs.writeFileSync(join(library, `${idOf(1)}.mlpmodel`), modelBytes);
    fs.writeFileSync(join(library, `${idOf(2)}.mlpmodel`), modelBytes);
    const outside = folder('Desktop');
    fs.symlinkSync(library, join(outside, 'shortcut'));
    fs.symlinkSync(join(root, 'userData'), join(outside, 'app-data'));
    const store = createModelStore({ dir: library, protectedDirs: [library, studies] });
    const before = snapshot(library);
    for (const destination of [
      join(outside, 'shortcut', `${idOf(2)}.mlpmodel`),
      join(outside, 'app-data', 'models', `${idOf(2)}.mlpmodel`),
      join(outside, 'app-data', 'studies', 'x.mlpmodel'),
      join(outside, 'shortcut', 'new-sub', 'x.mlpmodel'),
    ]) {
      await expect(store.exportTo(idOf(1), destination)).rejects.toThrow(/Choose a folder outside the model library/);
      // An ONNX export is refused there too.
      await expect(store.exportOnnxTo(idOf(1), destination.replace(/\.mlpmodel$/, '.onnx'))).rejects.toThrow(/Choose a folder outside the model library/);
    }
    expect(snapshot(library)).toEqual(before);
    expect(fs.readdirSync(studies)).toEqual([]);
    await store.exportTo(idOf(1), join(outside, 'copy.mlpmodel'));
    expect(fs.readFileSync(join(outside, 'copy.mlpmodel'))).toEqual(Buffer.from(modelBytes));
    expect(protectedFolderOf(join(outside, 'app-data', 'studies', 'a.csv'), [library, studies])).toBe(studies);
    expect(protectedFolderOf(join(outside, 'a.csv'), [library, studies])).toBeUndefined();
  });
});
