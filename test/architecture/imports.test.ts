// The layers of src/ and the directions their imports may take (ARCHITECTURE.md), read from the
// code itself: every import, export-from and dynamic import of every file. A wrong direction or an
// import circle fails with the file and line that make it.
import { describe, expect, it } from 'vitest';
import { aliasOf, findCircles, isLocal, layerOf, readImports, type SourceImport } from './source-imports';

/** Which layers each layer may import from (itself always allowed). */
const ALLOWED: Record<string, readonly string[]> = {
  'engine/kernels': [],
  'engine/nn': ['engine/kernels'],
  'engine/training': ['engine/nn', 'engine/kernels'],
  'engine/files': ['engine/training', 'engine/nn', 'engine/kernels'],
  'engine/teaching': ['engine/training', 'engine/nn', 'engine/kernels'],
  shared: ['engine'],
  node: ['shared', 'engine'],
  worker: ['node', 'shared', 'engine'],
  main: ['node', 'shared', 'engine'],
  cli: ['node', 'shared', 'engine'],
  preload: ['shared'],
  'renderer/ui': ['shared', 'engine'],
  'renderer/features': ['renderer/ui', 'shared', 'engine'],
  'renderer/app': ['renderer/features', 'renderer/ui', 'shared', 'engine'],
  wasm: [],
};

/** Packages (and Node built-ins) each layer may use; anything else is a wrong direction too. */
const PACKAGES: Record<string, RegExp> = {
  engine: /^$/,
  wasm: /^$/,
  shared: /^$/,
  // The file formats that need a parser from npm: ONNX's protobuf, PNG and JPEG pictures.
  node: /^(node:|protobufjs$|pngjs$|jpeg-js$)/,
  worker: /^node:/,
  cli: /^node:/,
  main: /^(electron|node:)/,
  preload: /^electron$/,
  renderer: /^(svelte|chart\.js)(\/|$)/,
};

function allows(from: string, to: string): boolean {
  if (from === to) return true;
  return ALLOWED[from].some((layer) => to === layer || to.startsWith(`${layer}/`));
}

const imports: SourceImport[] = readImports('src');
const where = (i: SourceImport): string => `${i.file}:${i.line} imports '${i.specifier}'`;

describe('the layers of src/', () => {
  it('finds the imports it checks', () => {
    // A reader that found nothing would pass every check below.
    expect(imports.length).toBeGreaterThan(500);
    expect(new Set(imports.map((i) => layerOf(i.file))).size).toBe(Object.keys(ALLOWED).length);
    // The renderer's aliased imports are read as imports of files too, or their directions would go unchecked.
    expect(imports.filter((i) => aliasOf(i.specifier) !== null).length).toBeGreaterThan(100);
  });

  it('imports only in the directions ARCHITECTURE.md gives', () => {
    const wrong = imports
      .filter((i) => i.target?.startsWith('src/') && !allows(layerOf(i.file), layerOf(i.target)))
      .map((i) => `${where(i)}: ${layerOf(i.file)} may not import ${layerOf(i.target!)}`);
    expect(wrong).toEqual([]);
  });

  it('uses only the packages each layer may use', () => {
    const wrong = imports
      .filter((i) => i.target === null && !isLocal(i.specifier) && !PACKAGES[layerOf(i.file).split('/')[0]].test(i.specifier))
      .map((i) => `${where(i)}: ${layerOf(i.file)} may not use this package`);
    expect(wrong).toEqual([]);
  });

  it('resolves every relative and aliased import to a file', () => {
    const unresolved = imports.filter((i) => isLocal(i.specifier) && i.target === null).map(where);
    expect(unresolved).toEqual([]);
  });

  it('uses the path aliases only in the renderer, whose build alone resolves them', () => {
    const outside = imports.filter((i) => aliasOf(i.specifier) !== null && !i.file.startsWith('src/renderer/')).map(where);
    expect(outside).toEqual([]);
  });

  it('reads no file outside src/ but package.json, for the app version', () => {
    const outside = imports.filter((i) => i.target !== null && !i.target.startsWith('src/'));
    expect(outside.map(where)).toEqual(["src/shared/app-version.ts:1 imports '../../package.json'"]);
  });

  it('lets the worker speak the engine protocol only, never the renderer\'s API', () => {
    const protocol = ['src/shared/engine-protocol.ts', 'src/shared/engine-requests.ts'];
    const wrong = imports
      .filter((i) => layerOf(i.file) === 'worker' && i.target?.startsWith('src/shared/') && !protocol.includes(i.target))
      .map(where);
    expect(wrong).toEqual([]);
  });

  it('has no import circles', () => {
    expect(findCircles(imports).map((circle) => circle.join(' -> '))).toEqual([]);
  });
});
