// Reads the imports of every source file under a folder, resolving relative and aliased ones to
// files, for the architecture test. Plain text matching is enough: the code base writes imports one way.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { sourceAliases } from '../../scripts/source-aliases';

export interface SourceImport {
  /** The importing file, relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line of the import. */
  line: number;
  specifier: string;
  /** The imported file (relative to the root), or null for a package or an unresolved path or alias. */
  target: string | null;
}

const SOURCE = /\.(ts|svelte|mjs)$/;
const IMPORT = /(?:^|[\s;])(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const EXTENSIONS = ['', '.ts', '.svelte.ts', '.svelte', '.mjs', '/index.ts'];
const root = process.cwd();
/** The path aliases the renderer resolves (`$engine` → src/engine…), as its build and tsconfig.json do. */
const aliases = Object.entries(sourceAliases(root));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

const posix = (path: string): string => path.split(sep).join('/');

/** The alias a specifier starts with (`$ui` for `$ui/format`), or null. */
export function aliasOf(specifier: string): string | null {
  return aliases.find(([alias]) => specifier.startsWith(`${alias}/`))?.[0] ?? null;
}

/** A relative or aliased import, which must name a file of the repository. */
export function isLocal(specifier: string): boolean {
  return specifier.startsWith('.') || aliasOf(specifier) !== null;
}

function resolveLocal(file: string, specifier: string): string | null {
  const alias = aliases.find(([name]) => specifier.startsWith(`${name}/`));
  const base = alias ? join(alias[1], specifier.slice(alias[0].length + 1)) : join(dirname(file), specifier);
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    if (existsSync(candidate) && statSync(candidate).isFile()) return posix(relative(root, candidate));
  }
  return null;
}

export function readImports(folder: string): SourceImport[] {
  const found: SourceImport[] = [];
  for (const path of sourceFiles(join(root, folder))) {
    const text = readFileSync(path, 'utf8');
    const file = posix(relative(root, path));
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      const line = text.slice(0, match.index + match[0].length).split('\n').length;
      const target = isLocal(specifier) ? resolveLocal(path, specifier) : null;
      found.push({ file, line, specifier, target });
    }
  }
  return found;
}

/**
 * The layer a file belongs to: `engine/<part>`, `renderer/<app|ui|features>`, or the folder under
 * src/ (shared, node, worker, main, cli, preload, wasm).
 */
export function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') throw new Error(`${file} is not under src/`);
  if (parts[1] === 'engine') return `engine/${parts[2]}`;
  if (parts[1] === 'renderer') {
    // The entry point and the bridge's type declaration start the app.
    return parts[3] === 'ui' || parts[3] === 'features' ? `renderer/${parts[3]}` : 'renderer/app';
  }
  return parts[1];
}

/** Every import circle among the files, each as the files around it (the first repeated at the end). */
export function findCircles(imports: readonly SourceImport[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const { file, target } of imports) {
    if (target === null) continue;
    if (!edges.has(file)) edges.set(file, new Set());
    edges.get(file)!.add(target);
  }
  // Tarjan's strongly connected components; every component of two or more files is a circle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) circles.push([...component.reverse(), component[0]]);
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return circles;
}
