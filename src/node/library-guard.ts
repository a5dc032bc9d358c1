/**
 * Exports go where the user chooses, but never into the app's own library folders: a file written
 * there could replace a saved model or study. The check is on real paths, links resolved, so a
 * chosen folder that is a symlink into the library (or sits under one) is caught too.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';

/**
 * The protected folder that `path` would be written into, after resolving links in both; undefined
 * when it is outside all of them. A path whose folders do not exist yet is resolved through its
 * nearest existing ancestor.
 */
export function protectedFolderOf(path: string, protectedDirs: readonly string[]): string | undefined {
  const target = realFolderPath(dirname(resolve(path)));
  for (const dir of protectedDirs) {
    const real = realFolderPath(resolve(dir));
    const rel = relative(real, target);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return dir;
  }
  return undefined;
}

/** The real path of a folder, resolving links through its nearest existing ancestor. */
function realFolderPath(folder: string): string {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return folder;
      missing.push(basename(current));
      current = parent;
    }
  }
}
