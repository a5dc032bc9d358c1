/**
 * The renderer's path aliases (`$engine/…`, `$shared/…`, `$ui/…`), read from tsconfig.json's
 * `paths`, so TypeScript and svelte-check, Vite, vitest and the architecture test resolve one list.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface TsConfig {
  compilerOptions: { paths: Record<string, string[]> };
}

/** Each alias (`$engine`) and the absolute folder it stands for. */
export function sourceAliases(root: string): Record<string, string> {
  const config = JSON.parse(readFileSync(resolve(root, 'tsconfig.json'), 'utf8')) as TsConfig;
  const star = /\/\*$/;
  return Object.fromEntries(
    Object.entries(config.compilerOptions.paths).map(([alias, [folder]]) => [alias.replace(star, ''), resolve(root, folder.replace(star, ''))]),
  );
}
