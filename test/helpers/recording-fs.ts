/** Node's file system as a store sees it, with every call recorded, and the ids a store must refuse. */
import * as fs from 'node:fs';
import type { AtomicWriteFs } from '../../src/node/atomic-write';

/** A file-system call a store made: its name and arguments. */
export type Call = [name: string, ...args: unknown[]];

/** The calls `writeFileAtomic` makes; every store's file system has them. */
export const ATOMIC_WRITE_CALLS = ['openSync', 'writeSync', 'fsyncSync', 'closeSync', 'renameSync', 'unlinkSync'] as const satisfies readonly (keyof AtomicWriteFs)[];

/** Node's own functions of those `names`, `override` replacing some, each call recorded in `calls` before it runs. */
export function recordingFs<T extends object>(names: readonly (keyof T & string)[], calls: Call[], override: Partial<T> = {}): T {
  const real = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const replaced = override as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  return Object.fromEntries(
    names.map((name) => [
      name,
      (...args: unknown[]) => {
        calls.push([name, ...args]);
        return (replaced[name] ?? real[name])(...args);
      },
    ]),
  ) as T;
}

/**
 * Values that are not a saved model's or study's id: path traversal in both path styles, a name with
 * its extension (`extension`), wrong case or length, a NUL, and things that are not strings at all.
 */
export function badIds(extension: string): unknown[] {
  return [
    '../x',
    '/etc/passwd',
    'a/b',
    '..',
    '',
    'f'.repeat(1000),
    `../${'0'.repeat(32)}`,
    `${'0'.repeat(31)}/`,
    '..\\windows\\win.ini',
    'C:\\models\\x',
    `${'0'.repeat(31)}\0`,
    'A'.repeat(32),
    '0'.repeat(31),
    `${'0'.repeat(32)}${extension}`,
    null,
    undefined,
    42,
    { toString: () => '0'.repeat(32) },
  ];
}
