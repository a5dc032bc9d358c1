/**
 * Writing a file so that a crash or a full disk never leaves it half-written: the bytes go to a
 * temporary file in the same folder, which is flushed to disk and then renamed over the target.
 * A rename within one folder is atomic, so a reader sees either the old file or the whole new one.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The file-system calls `writeFileAtomic` makes; a test passes its own to make one of them fail. */
export interface AtomicWriteFs {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(oldPath: string, newPath: string): void;
  unlinkSync(path: string): void;
}

/**
 * Replaces the file at `path` with `bytes`, atomically and durably. On any failure the temporary
 * file is removed and the error rethrown; a failure before the rename leaves an existing file at
 * `path` untouched.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, fs: AtomicWriteFs = nodeFs): void {
  const dir = dirname(path);
  // Same folder as the target, since a rename across file systems is a copy, not atomic; hidden,
  // and unique so that two saves of one file cannot write into each other's temporary file.
  const temp = join(dir, tempNameFor(basename(path)));
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx');
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    // Flush before the rename: otherwise a crash can leave the new name pointing at empty blocks.
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, path);
    syncFolder(dir, fs);
  } catch (error) {
    const openFd = fd;
    if (openFd !== undefined) ignoreErrors(() => fs.closeSync(openFd));
    // After a successful rename the temporary name no longer exists; that unlink fails harmlessly.
    ignoreErrors(() => fs.unlinkSync(temp));
    throw error;
  }
}

/** Off-thread versions of the two slow calls of a write (libuv's thread pool). */
export interface OffThreadWrites {
  write(fd: number, bytes: Uint8Array, offset: number, length: number): Promise<number>;
  fsync(fd: number): Promise<void>;
}

export const nodeOffThreadWrites: OffThreadWrites = {
  write: (fd, bytes, offset, length) =>
    new Promise((resolve, reject) => nodeFs.write(fd, bytes, offset, length, null, (error, written) => (error ? reject(error) : resolve(written)))),
  fsync: (fd) => new Promise((resolve, reject) => nodeFs.fsync(fd, (error) => (error ? reject(error) : resolve()))),
};

/** The most bytes one write call is given, so the event loop gets a turn between them. */
const WRITE_SLICE_BYTES = 8 * 1024 * 1024;

/**
 * `writeFileAtomic` for a caller whose event loop must not wait (the app's main process): the same
 * steps and guarantees, the bytes written a slice at a time. With `offThread` the writes and the
 * flush run on libuv's threads; without it (a test's file system), the calls of `fs` are used and
 * the loop still gets a turn after each slice.
 */
export async function writeFileAtomicAsync(path: string, bytes: Uint8Array, fs: AtomicWriteFs = nodeFs, offThread?: OffThreadWrites): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, tempNameFor(basename(path)));
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx');
    const open = fd;
    for (let written = 0; written < bytes.length; ) {
      const length = Math.min(WRITE_SLICE_BYTES, bytes.length - written);
      if (offThread === undefined) {
        written += fs.writeSync(open, bytes, written, length);
        await new Promise((resolve) => setImmediate(resolve));
      } else {
        written += await offThread.write(open, bytes, written, length);
      }
    }
    if (offThread === undefined) fs.fsyncSync(open);
    else await offThread.fsync(open);
    fs.closeSync(open);
    fd = undefined;
    fs.renameSync(temp, path);
    if (offThread === undefined) syncFolder(dir, fs);
    else await syncFolderOffThread(dir, fs, offThread);
  } catch (error) {
    const openFd = fd;
    if (openFd !== undefined) ignoreErrors(() => fs.closeSync(openFd));
    ignoreErrors(() => fs.unlinkSync(temp));
    throw error;
  }
}

/** `syncFolder` with the flush on libuv's threads: after a large write it can wait on the disk. */
async function syncFolderOffThread(dir: string, fs: AtomicWriteFs, offThread: OffThreadWrites): Promise<void> {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (error) {
    if (isUnsupported(error)) return;
    throw error;
  }
  try {
    await offThread.fsync(fd);
  } catch (error) {
    if (!isUnsupported(error)) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** The temporary file's name for a target named `name`: hidden, with 48 random bits. */
function tempNameFor(name: string): string {
  return `.${name}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Whether a file name has the shape of this writer's temporary files (`.<name>.<12 hex digits>.tmp`). */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(name);
}

/** Temporary files younger than this may belong to a write still in progress (in another process). */
export const STALE_TEMP_AGE_MS = 10 * 60 * 1000;

/**
 * Removes what interrupted writes left in `dir`: a kill between writing the temporary file and
 * renaming it leaves the temporary file behind, hidden from every listing, up to a whole model each.
 * Only regular files named as this writer names them and older than `olderThanMs` are removed;
 * anything else, links included, is left alone. Returns the names removed; a folder that cannot be
 * read is left as it is.
 */
export function removeStaleTempFiles(dir: string, options: { now?: number; olderThanMs?: number } = {}): string[] {
  const now = options.now ?? Date.now();
  const olderThanMs = options.olderThanMs ?? STALE_TEMP_AGE_MS;
  let names: string[];
  try {
    names = nodeFs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter(isAtomicTempName)) {
    const path = join(dir, name);
    try {
      const stats = nodeFs.lstatSync(path);
      if (!stats.isFile() || now - stats.mtimeMs < olderThanMs) continue;
      nodeFs.unlinkSync(path);
      removed.push(name);
    } catch {
      // Gone meanwhile, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

/** Flushes the folder's entry list, so the rename itself survives a crash. */
function syncFolder(dir: string, fs: AtomicWriteFs): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (error) {
    // Windows cannot open a folder as a file (EISDIR/EPERM); there the rename is durable by itself.
    if (isUnsupported(error)) return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems (network, FUSE) refuse to flush a folder; the file itself is already flushed.
    if (!isUnsupported(error)) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

function isUnsupported(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL';
}

function ignoreErrors(action: () => void): void {
  try {
    action();
  } catch {
    // Cleanup is best effort: the original error is the one worth reporting.
  }
}
