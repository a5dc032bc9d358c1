/**
 * How the bounded reader says it refused a file: one line naming the file and what to do, carried
 * by a FileRefusedError that callers tell apart from other failures.
 */
import { describeBytes } from './byte-count';

/** A file refused before (or while) reading it: not a regular file, too large, or longer than its header. */
export class FileRefusedError extends Error {
  readonly path: string;
  /** The file system's error code when the file could not be opened at all (ENOENT, EACCES, …). */
  readonly code: string | undefined;

  constructor(path: string, message: string, code?: string) {
    super(message);
    this.name = 'FileRefusedError';
    this.path = path;
    this.code = code;
  }
}

/** What a refusal names: the file, how the user knows it, what kind it is and the kind's limit. */
export interface RefusedFile {
  path: string;
  label: string;
  noun: string;
  limit: number;
}

export function declaredTooLarge(file: RefusedFile, declared: number): FileRefusedError {
  return new FileRefusedError(
    file.path,
    `${file.label} declares ${describeBytes(declared)} of content in its header, more than the ${describeBytes(file.limit)} a ${file.noun} may hold; it was not read.`,
  );
}

export function inflatedTooLarge(file: RefusedFile, cap: number): FileRefusedError {
  return new FileRefusedError(
    file.path,
    `${file.label} is gzip data that inflates to more than ${describeBytes(cap)}, more than its header describes; decompression was stopped there.`,
  );
}

export function gzipRefusal(file: RefusedFile, error: unknown): FileRefusedError {
  return new FileRefusedError(
    file.path,
    `${file.label} is gzip-compressed but cannot be decompressed (${messageOf(error)}). The download may be incomplete or damaged; download it again.`,
  );
}

export function unreadable(file: RefusedFile, error: unknown): FileRefusedError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const why =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ELOOP'
          ? 'its links go round in a loop'
          : messageOf(error);
  return new FileRefusedError(file.path, `${file.label} cannot be read: ${why}.`, code);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
