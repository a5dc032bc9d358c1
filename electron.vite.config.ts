import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { sourceAliases } from './scripts/source-aliases';

const root = import.meta.dirname;

/**
 * Vite's dev server injects component styles as `<style>` elements, which the page's strict CSP
 * refuses. Only while serving (`npm run dev`) the CSP also allows inline styles; built pages keep
 * the strict policy from index.html unchanged.
 */
function relaxStyleCspWhileServing(): Plugin {
  return {
    name: 'mlp-lab:relax-style-csp-while-serving',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace("default-src 'self';", "default-src 'self'; style-src 'self' 'unsafe-inline';");
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // The worker also runs under plain Node (tests, CLI), whose oldest supported version is 20.
      target: 'node20',
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          worker: resolve(root, 'src/worker/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        // A sandboxed preload runs as one classic script whose `require` knows only `electron` and a
        // few built-ins, so it must be a single CommonJS file with everything else bundled in.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    resolve: { alias: sourceAliases(root) },
    plugins: [svelte(), relaxStyleCspWhileServing()],
    build: {
      rolldownOptions: {
        input: { index: resolve(root, 'src/renderer/index.html') },
      },
    },
  },
});
