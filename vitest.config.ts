import { defineConfig } from 'vitest/config';
import { sourceAliases } from './scripts/source-aliases';

export default defineConfig({
  // test/renderer imports renderer files, which import through the renderer's aliases.
  resolve: { alias: sourceAliases(import.meta.dirname) },
  test: {
    include: ['test/**/*.test.ts'],
    // Learning tests train on real MNIST; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
