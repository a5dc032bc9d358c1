/**
 * A seeded fuzzer over lesson files, as the format fuzzer does for models, studies and datasets:
 * hundreds of mutations (truncations, flipped bytes, appended bytes, hostile JSON values put
 * anywhere in the document) read through the real reader. Each must end in a valid lesson or a
 * one-line `LessonFileError` / `FileRefusedError`, within a time bound, and the run within a memory bound.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/nn/rng';
import { FileRefusedError } from '../../src/node/bounded-file';
import { readLessonFileSync } from '../../src/node/lesson-file-io';
import { LessonFileError, serializeLesson } from '../../src/shared/lesson/lesson-file';
import { withinBounds } from '../helpers/bounds';
import { fullLesson } from '../helpers/lesson-fixture';

const root = fs.mkdtempSync(join(tmpdir(), 'mlp-lab-lesson-fuzz-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const CASES = 400;
const CASE_MS = 500;
const RUN_BOUNDS = { ms: 60_000, peakRiseMiB: 192 };

const HOSTILE: unknown[] = [null, -1, 0, 1e308, 2 ** 53 + 1, 0.5, '', 'x'.repeat(10_000), '\u202E', 'a\u0000b', [], {}, [[[[]]]], true, 'hidden', 'train', 'blog', { preset: 'blog' }];

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[rng.int(values.length)];
}

/** Sets a random place at any depth of the document to a hostile value, deletes it, or adds a key. */
function editJson(rng: Rng, document: unknown): void {
  let target = document as Record<string, unknown>;
  for (let depth = 0; depth < 8; depth++) {
    const keys = Object.keys(target);
    if (keys.length === 0) break;
    const key = pick(rng, keys);
    const next = target[key];
    if (typeof next === 'object' && next !== null && rng.int(4) !== 0) {
      target = next as Record<string, unknown>;
      continue;
    }
    if (rng.int(5) === 0) delete target[key];
    else target[key] = structuredClone(pick(rng, HOSTILE));
    return;
  }
  target[pick(rng, ['__proto__', 'constructor', 'extra', 'train.seed'])] = pick(rng, HOSTILE);
}

function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  switch (rng.int(3)) {
    case 0:
      return copy.subarray(0, rng.int(copy.length));
    case 1:
      for (let n = 1 + rng.int(8); n > 0; n--) copy[rng.int(copy.length)] ^= 1 << rng.int(8);
      return copy;
    default: {
      const extra = new Uint8Array(1 + rng.int(64)).map(() => rng.int(256));
      const out = new Uint8Array(copy.length + extra.length);
      out.set(copy);
      out.set(extra, copy.length);
      return out;
    }
  }
}

describe('seeded fuzzing of lesson files', () => {
  it(`${CASES} mutations through the reader, each a valid lesson or a one-line refusal`, async () => {
    const text = serializeLesson(fullLesson());
    const valid = new TextEncoder().encode(text);
    const file = join(root, 'fuzzed.mlplesson');
    const rng = new Rng(19);
    let refused = 0;
    let slowestMs = 0;
    const { cost } = await withinBounds(() => {
      for (let i = 0; i < CASES; i++) {
        if (rng.int(2) === 0) {
          const edited = JSON.parse(text) as unknown;
          for (let n = 1 + rng.int(3); n > 0; n--) editJson(rng, edited);
          fs.writeFileSync(file, JSON.stringify(edited));
        } else {
          fs.writeFileSync(file, mutateBytes(rng, valid));
        }
        const started = performance.now();
        try {
          const lesson = readLessonFileSync(file);
          expect(lesson.steps.length).toBeGreaterThan(0);
        } catch (error) {
          if (!(error instanceof LessonFileError || error instanceof FileRefusedError)) throw error;
          expect(error.message, `case ${i}`).not.toContain('\n');
          expect(error.message.startsWith('fuzzed.mlplesson'), error.message).toBe(true);
          refused++;
        }
        const ms = performance.now() - started;
        slowestMs = Math.max(slowestMs, ms);
        expect(ms, `case ${i}`).toBeLessThan(CASE_MS);
      }
    }, RUN_BOUNDS);
    if (process.env.SECURITY_REPORT) console.info(JSON.stringify({ lesson: { cases: CASES, refused, slowestMs: Math.round(slowestMs), ms: Math.round(cost.ms), peakRiseMiB: Math.round(cost.peakRiseMiB) } }));
    expect(refused).toBeGreaterThan(CASES / 2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
