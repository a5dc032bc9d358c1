/**
 * The one way MLP Lab reads a file a user pointed at (a dataset, a model, a study): whatever the
 * path turns out to be, the read costs at most what the file's kind allows.
 *
 * - Only regular files, judged after following links: a FIFO, a device (`/dev/zero` behind a
 *   symlink), a socket or a folder is refused with one line. The file is opened non-blocking, so
 *   even a FIFO that appears between the check and the open cannot hang the read.
 * - A size limit per kind, checked on the file's size before a byte is read.
 * - For formats with a header (IDX, models) the header is read first; its declared length is
 *   checked against the file's size and the kind's limit before the body is read, and the body is
 *   read only up to that length.
 * - gzip content (recognised by its first bytes, not its name) is inflated with a cap: first a
 *   small prefix, enough for the header, then the whole stream, never beyond the header's declared
 *   length plus a small margin — a gzip bomb stops there.
 *
 * `readBoundedFileSync` serves the CLI and the engine process; `readBoundedFile` does the same
 * without blocking the caller's event loop (file reads and inflation run on libuv's thread pool),
 * for the app's main process.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { LIMITS } from '../engine/training/run-config';
import { LESSON_LIMITS } from '../shared/lesson/lesson';
import { describeBytes } from './byte-count';
import { declaredTooLarge, FileRefusedError, gzipRefusal, inflatedTooLarge, unreadable } from './file-refusals';

export { FileRefusedError } from './file-refusals';

const MiB = 1024 * 1024;

/** The largest model header (JSON: provenance and up to 1 000 epochs of history) a file may declare. */
export const MODEL_HEADER_MAX_BYTES = 16 * MiB;

/**
 * The largest file of each kind, on disk and, for gzip, once inflated. A dataset file fits
 * EMNIST's largest split (ByClass, 697 932 images, 547 MB); a model the largest network the run
 * limits allow (12 layers of 4 096 units, 738 MB of weights) with its header; a study hundreds of
 * runs' curves many times over; a lesson its steps and embedded models (`LESSON_LIMITS`).
 */
export const FILE_SIZE_LIMITS = {
  dataset: 640 * MiB,
  model: 4 * (LIMITS.maxLayers - 1) * (LIMITS.maxWidth * LIMITS.maxWidth + LIMITS.maxWidth) + MODEL_HEADER_MAX_BYTES + 16,
  study: 64 * MiB,
  lesson: LESSON_LIMITS.fileBytes,
} as const;

export type FileKind = keyof typeof FILE_SIZE_LIMITS;

const KIND_NOUNS: Record<FileKind, string> = { dataset: 'dataset file', model: 'model file', study: 'study file', lesson: 'lesson file' };

/** How much of a gzip stream is inflated to find the header: at most ~1 000× this, by deflate's design. */
const GZIP_HEAD_INPUT_BYTES = 4096;
/** Inflated bytes allowed beyond the header's declared length, so "too long" can be told from "exact". */
const GZIP_MARGIN_BYTES = 64 * 1024;

/**
 * What a format's header says about the file's length. Called with the first bytes read so far:
 * returns `{ total }` (the whole content's length as declared), `{ need }` (read this many bytes of
 * header first, then ask again), or `undefined` (the header cannot tell: the format's parser will
 * judge the whole file, within the kind's limit). Throws the format's own error for a bad header.
 */
export type HeaderRule = (head: Uint8Array) => { total: number } | { need: number } | undefined;

export interface BoundedReadOptions {
  kind: FileKind;
  /** The name used in messages; the path by default. */
  label?: string;
  header?: HeaderRule;
  /** The longest header the format allows: a file declaring more is refused before it is read. */
  maxHeaderBytes?: number;
  /** Inflate gzip content. */
  gzip?: boolean;
  /** A smaller limit than the kind's: an ONNX model file's (read as a model file), or a test's. */
  limit?: number;
}

/** The file's content (inflated when it is gzip data), read within the bounds above. */
export function readBoundedFileSync(path: string, options: BoundedReadOptions): Uint8Array {
  const plan = planOf(path, options);
  const fd = openRegularSync(path, plan);
  try {
    const size = checkedSize(fs.fstatSync(fd), plan);
    const readAt = (position: number, length: number): Uint8Array => readRangeSync(fd, position, length);
    if (plan.gzip && isGzip(readAt(0, 2))) {
      const compressed = readAt(0, size);
      const head = gunzipHeadSync(compressed, plan);
      return gunzipSync(compressed, outputCap(head, plan), plan);
    }
    return readAt(0, plainLength(size, (length) => readAt(0, length), plan));
  } finally {
    fs.closeSync(fd);
  }
}

/** As `readBoundedFileSync`, with every read and the inflation off the calling thread. */
export async function readBoundedFile(path: string, options: BoundedReadOptions): Promise<Uint8Array> {
  const plan = planOf(path, options);
  const handle = await openRegular(path, plan);
  try {
    const size = checkedSize(await handle.stat(), plan);
    const readAt = (position: number, length: number): Promise<Uint8Array> => readRange(handle, position, length);
    if (plan.gzip && isGzip(await readAt(0, 2))) {
      const compressed = await readAt(0, size);
      const head = await gunzipAsync(compressed.subarray(0, GZIP_HEAD_INPUT_BYTES), headOptions).catch((error: unknown) => {
        throw gzipRefusal(plan, error);
      });
      const cap = outputCap(head, plan);
      return await gunzipAsync(compressed, { maxOutputLength: cap }).then(plainArray, (error: unknown) => {
        throw isTooLarge(error) ? inflatedTooLarge(plan, cap) : gzipRefusal(plan, error);
      });
    }
    let length = size;
    if (plan.header !== undefined) {
      const declared = await declaredLengthAsync(plan, size, readAt);
      if (declared !== undefined) length = checkDeclared(declared, size, plan);
    }
    return await readAt(0, length);
  } finally {
    await handle.close();
  }
}

/**
 * Only the header of a file whose format has one (`options.header`), read without blocking: the
 * same refusals as `readBoundedFile` (not a regular file, over the kind's limit, a header over its
 * limit), then the first bytes up to where the header ends, and the file's size. The body is never
 * read, so a library can list hundreds of MiB of models by their headers.
 */
export async function readBoundedHead(path: string, options: BoundedReadOptions): Promise<{ head: Uint8Array; size: number }> {
  const plan = planOf(path, options);
  const handle = await openRegular(path, plan);
  try {
    const size = checkedSize(await handle.stat(), plan);
    let head = await readRange(handle, 0, Math.min(size, 16));
    for (let step = 0; step < 4 && plan.header !== undefined; step++) {
      const answer = plan.header(head);
      if (answer === undefined || 'total' in answer || answer.need > size) break;
      checkHeaderLength(answer.need, plan);
      head = await readRange(handle, 0, answer.need);
    }
    return { head, size };
  } finally {
    await handle.close();
  }
}

async function readRange(handle: fs.promises.FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

interface Plan {
  path: string;
  label: string;
  noun: string;
  limit: number;
  header?: HeaderRule;
  maxHeaderBytes: number;
  gzip: boolean;
}

function planOf(path: string, options: BoundedReadOptions): Plan {
  return {
    path,
    label: options.label ?? path,
    noun: KIND_NOUNS[options.kind],
    limit: options.limit ?? FILE_SIZE_LIMITS[options.kind],
    header: options.header,
    maxHeaderBytes: options.maxHeaderBytes ?? 64 * 1024,
    gzip: options.gzip ?? false,
  };
}

// Non-blocking, so opening a FIFO returns at once instead of waiting for a writer; on a regular
// file the flag changes nothing. Windows has no such flag (nor FIFOs to fear).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function openRegularSync(path: string, plan: Plan): number {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(path);
  } catch (error) {
    throw unreadable(plan, error);
  }
  refuseIrregular(stats, plan);
  try {
    return fs.openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw unreadable(plan, error);
  }
}

async function openRegular(path: string, plan: Plan): Promise<fs.promises.FileHandle> {
  const stats = await fs.promises.stat(path).catch((error: unknown) => {
    throw unreadable(plan, error);
  });
  refuseIrregular(stats, plan);
  return fs.promises.open(path, OPEN_FLAGS).catch((error: unknown) => {
    throw unreadable(plan, error);
  });
}

/** The file's size once it is known to be a regular file (checked again on the open file) within the limit. */
function checkedSize(stats: fs.Stats, plan: Plan): number {
  refuseIrregular(stats, plan);
  if (stats.size > plan.limit) {
    throw new FileRefusedError(
      plan.path,
      `${plan.label} is ${describeBytes(stats.size)}, more than the ${describeBytes(plan.limit)} a ${plan.noun} may be; it was not read.`,
    );
  }
  return stats.size;
}

function refuseIrregular(stats: fs.Stats, plan: Plan): void {
  if (stats.isFile()) return;
  const what = stats.isDirectory()
    ? 'a folder'
    : stats.isFIFO()
      ? 'a named pipe (FIFO)'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'a device'
        : stats.isSocket()
          ? 'a socket'
          : 'not a regular file';
  const target = linkTarget(plan.path);
  const via = target === undefined ? '' : ` (it leads to ${target})`;
  throw new FileRefusedError(plan.path, `${plan.label} is ${what}${via}, not a regular file: choose the ${plan.noun} itself.`);
}

function linkTarget(path: string): string | undefined {
  try {
    const real = fs.realpathSync(path);
    return real === path ? undefined : real;
  } catch {
    return undefined;
  }
}

function readRangeSync(fd: number, position: number, length: number): Uint8Array {
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const read = fs.readSync(fd, buffer, filled, length - filled, position + filled);
    // A file that shrank since its size was taken: the parser will find it short.
    if (read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** How many bytes of a plain (not gzip) file to read: all of it, or what its header declares. */
function plainLength(size: number, readHead: (length: number) => Uint8Array, plan: Plan): number {
  if (plan.header === undefined) return size;
  let head = readHead(Math.min(size, 16));
  for (let step = 0; step < 4; step++) {
    const answer = plan.header(head);
    if (answer === undefined) return size;
    if ('total' in answer) return checkDeclared(answer.total, size, plan);
    // The file ends inside its header: the parser says so, reading at most that little.
    if (answer.need > size) return size;
    checkHeaderLength(answer.need, plan);
    head = readHead(answer.need);
  }
  return size;
}

async function declaredLengthAsync(
  plan: Plan,
  size: number,
  readAt: (position: number, length: number) => Promise<Uint8Array>,
): Promise<number | undefined> {
  let head = await readAt(0, Math.min(size, 16));
  for (let step = 0; step < 4 && plan.header !== undefined; step++) {
    const answer = plan.header(head);
    if (answer === undefined) return undefined;
    if ('total' in answer) return answer.total;
    if (answer.need > size) return undefined;
    checkHeaderLength(answer.need, plan);
    head = await readAt(0, answer.need);
  }
  return undefined;
}

function checkHeaderLength(need: number, plan: Plan): void {
  if (need <= plan.maxHeaderBytes) return;
  throw new FileRefusedError(
    plan.path,
    `${plan.label} declares a ${describeBytes(need)} header, more than the ${describeBytes(plan.maxHeaderBytes)} a ${plan.noun}'s header may take; it is damaged or not a ${plan.noun}.`,
  );
}

/**
 * The bytes to read for a declared length: refused when the header declares more than the limit,
 * or when the file holds more than declared (its tail is never read). A file shorter than declared
 * is read whole, so the parser can say how much is missing.
 */
function checkDeclared(declared: number, size: number, plan: Plan): number {
  if (declared > plan.limit) throw declaredTooLarge(plan, declared);
  if (size > declared) {
    throw new FileRefusedError(
      plan.path,
      `${plan.label} has ${size - declared} bytes more than its header describes (${size} bytes, the header says ${declared}); ` +
        'something was appended to it, or its header is wrong.',
    );
  }
  return size;
}

const headOptions: zlib.ZlibOptions = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 8 * MiB };

/** Inflates just the start of a gzip stream, enough to hold any header. */
function gunzipHeadSync(compressed: Uint8Array, plan: Plan): Uint8Array {
  try {
    return plainArray(zlib.gunzipSync(compressed.subarray(0, GZIP_HEAD_INPUT_BYTES), headOptions));
  } catch (error) {
    throw gzipRefusal(plan, error);
  }
}

function gunzipSync(compressed: Uint8Array, cap: number, plan: Plan): Uint8Array {
  try {
    return plainArray(zlib.gunzipSync(compressed, { maxOutputLength: cap }));
  } catch (error) {
    throw isTooLarge(error) ? inflatedTooLarge(plan, cap) : gzipRefusal(plan, error);
  }
}

const gunzipAsync = promisify(zlib.gunzip) as (buffer: Uint8Array, options: zlib.ZlibOptions) => Promise<Buffer>;

/** The most inflated bytes to accept: the header's declared length plus a margin, never above the limit. */
function outputCap(head: Uint8Array, plan: Plan): number {
  let declared: number | undefined;
  for (let step = 0; step < 4 && plan.header !== undefined; step++) {
    const answer = plan.header(head);
    if (answer === undefined) break;
    if ('total' in answer) {
      declared = answer.total;
      break;
    }
    // The header reaches past the inflated start: only a header this large could, so cap at it.
    if (answer.need > head.length) {
      checkHeaderLength(answer.need, plan);
      return answer.need;
    }
  }
  if (declared === undefined) return plan.limit;
  if (declared > plan.limit) throw declaredTooLarge(plan, declared);
  return Math.min(declared + GZIP_MARGIN_BYTES, plan.limit + 1);
}

function isGzip(start: Uint8Array): boolean {
  return start.length >= 2 && start[0] === 0x1f && start[1] === 0x8b;
}

function isTooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}

/** A plain Uint8Array, not a Buffer: Buffer's slice() shares memory where Uint8Array's copies. */
function plainArray(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
