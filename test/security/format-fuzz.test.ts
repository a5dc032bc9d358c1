/**
 * A seeded fuzzer over the file formats MLP Lab reads: models, ONNX models, studies and IDX datasets.
 * Hundreds of mutations each — truncations, flipped bytes, appended bytes, header edits resealed
 * with a valid checksum, huge, zero and negative sizes, gzip of a mutation — go through the real
 * readers (model import, the study store, the dataset folder loader). Each must end in a clean
 * refusal of a known kind or a valid result, within a time bound, with the library unchanged on
 * refusal, and the whole run within a memory bound.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IdxError } from '../../src/engine/files/idx';
import { DatasetError } from '../../src/engine/files/labelled-images';
import { encodeModel, MODEL_FORMAT, MODEL_FORMAT_VERSION, ModelFileError } from '../../src/engine/files/model-file';
import { modelToOnnx } from '../../src/engine/files/onnx-export';
import { OnnxImportError } from '../../src/engine/files/onnx-import';
import { PRESETS } from '../../src/engine/training/run-config';
import { Rng } from '../../src/engine/nn/rng';
import { createModelStore, ModelStoreError } from '../../src/main/model-store';
import { createStudyStore } from '../../src/main/study-store';
import { FileRefusedError } from '../../src/node/bounded-file';
import { loadDatasetFolder } from '../../src/node/dataset-folder';
import { encodeOnnx, OnnxFileError } from '../../src/node/onnx/onnx-codec';
import { STUDY_FORMAT } from '../../src/shared/study-api';
import { withinBounds } from '../helpers/bounds';
import { idxBytes } from '../helpers/idx-bytes';
import { editJson, pick } from '../helpers/json-fuzz';
import { model, snapshot, weights } from '../helpers/model-store-fixture';
import { finishedStudy, studyIdOf } from '../helpers/study-fixture';

const root = fs.mkdtempSync(join(tmpdir(), 'mlp-lab-fuzz-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const CASES = 300;
/** Longest any one case may take, and what the whole run of a format may add to peak memory. */
const CASE_MS = 500;
const RUN_BOUNDS = { ms: 60_000, peakRiseMiB: 192 };

/** What the last run of each format measured, printed when SECURITY_REPORT is set (README figures). */
const report: Record<string, { cases: number; refused: number; accepted: number; slowestMs: number; ms: number; peakRiseMiB: number }> = {};
afterAll(() => {
  if (process.env.SECURITY_REPORT) console.info(JSON.stringify(report));
});

/** Byte-level mutations shared by every format. */
function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  switch (rng.int(4)) {
    case 0:
      return copy.subarray(0, rng.int(copy.length));
    case 1: {
      for (let n = 1 + rng.int(8); n > 0; n--) copy[rng.int(copy.length)] ^= 1 << rng.int(8);
      return copy;
    }
    case 2: {
      const extra = new Uint8Array(1 + rng.int(64)).map(() => rng.int(256));
      const out = new Uint8Array(copy.length + extra.length);
      out.set(copy);
      out.set(extra, copy.length);
      return out;
    }
    default: {
      // A 4-byte size field somewhere near the start set to something huge, zero or "negative".
      const at = rng.int(Math.min(copy.length - 4, 64));
      new DataView(copy.buffer).setUint32(at, pick(rng, [0, 0xffffffff, 0x80000000, 0x7fffffff, rng.nextUint32()]), rng.int(2) === 0);
      return copy;
    }
  }
}

/** Runs `cases` mutations through `attempt`, which returns 'accepted' or 'refused' or throws an unexpected error. */
async function fuzz(format: string, seed: number, attempt: (rng: Rng, index: number) => 'accepted' | 'refused' | Promise<'accepted' | 'refused'>): Promise<void> {
  const rng = new Rng(seed);
  let refused = 0;
  let slowestMs = 0;
  const { cost } = await withinBounds(async () => {
    for (let i = 0; i < CASES; i++) {
      const started = performance.now();
      const outcome = await attempt(rng, i);
      const ms = performance.now() - started;
      slowestMs = Math.max(slowestMs, ms);
      expect(ms, `${format} case ${i}`).toBeLessThan(CASE_MS);
      if (outcome === 'refused') refused++;
    }
  }, RUN_BOUNDS);
  report[format] = { cases: CASES, refused, accepted: CASES - refused, slowestMs: Math.round(slowestMs), ms: Math.round(cost.ms), peakRiseMiB: Math.round(cost.peakRiseMiB) };
  expect(refused).toBeGreaterThan(CASES / 2);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('seeded fuzzing of the file formats', () => {
  it(`models: ${CASES} mutations through Import, each refused cleanly (or valid), the library unchanged on refusal`, async () => {
    const valid = encodeModel({ ...model, name: 'Fuzzed', createdAt: '2025-01-01T00:00:00.000Z', appVersion: '1.0.0' }, weights);
    const headerLength = new DataView(valid.buffer).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(valid.subarray(12, 12 + headerLength))) as Record<string, unknown>;
    const floats = valid.slice(Math.ceil((12 + headerLength) / 4) * 4, valid.length - 4);
    /** The header edited, re-assembled around the same weights with a correct checksum. */
    const resealed = (rng: Rng): Uint8Array => {
      const edited = structuredClone(header);
      for (let n = 1 + rng.int(3); n > 0; n--) editJson(rng, edited);
      const json = new TextEncoder().encode(JSON.stringify(edited));
      const start = Math.ceil((12 + json.length) / 4) * 4;
      const bytes = new Uint8Array(start + floats.length + 4);
      bytes.set(valid.subarray(0, 8));
      new DataView(bytes.buffer).setUint32(8, json.length, true);
      bytes.set(json, 12);
      bytes.set(floats, start);
      new DataView(bytes.buffer).setUint32(bytes.length - 4, zlibCrc32(bytes.subarray(0, bytes.length - 4)), true);
      return bytes;
    };
    const library = join(root, 'library');
    const store = createModelStore({ dir: library });
    const source = join(root, 'fuzzed.mlpmodel');
    await fuzz('model', 16, async (rng) => {
      fs.writeFileSync(source, rng.int(2) === 0 ? resealed(rng) : mutateBytes(rng, valid));
      const before = snapshot(library);
      try {
        const id = await store.importFrom(source);
        store.delete(id);
        return 'accepted';
      } catch (error) {
        if (!(error instanceof ModelStoreError || error instanceof ModelFileError || error instanceof FileRefusedError)) throw error;
        expect(error.message).not.toContain('\n');
        expect(snapshot(library)).toEqual(before);
        return 'refused';
      }
    });
  });

  it(`ONNX models: ${CASES} mutations through Import, each refused cleanly (or valid), the library unchanged on refusal`, async () => {
    // A 2×2-pixel MLP (4-3-2): small enough that most bytes are the graph's structure, not weights.
    const layers = [4, 3, 2];
    const shapes = layers.slice(1).map((outputs, i) => ({ inputs: layers[i], outputs }));
    const onnxWeights = shapes.map(({ inputs, outputs }, l) => ({
      inputs,
      outputs,
      weights: Float32Array.from({ length: inputs * outputs }, (_, i) => (i - l) / 8),
      biases: Float32Array.from({ length: outputs }, (_, i) => i / 4),
    }));
    const valid = encodeOnnx(
      modelToOnnx(
        {
          format: MODEL_FORMAT,
          formatVersion: MODEL_FORMAT_VERSION,
          name: 'Fuzzed',
          createdAt: '2025-01-01T00:00:00.000Z',
          appVersion: '1.0.0',
          config: { ...PRESETS.default, layers },
          layers: shapes,
          dataset: { name: 'tiny', rows: 2, cols: 2, classes: 2, trainCount: 4, testCount: 2 },
          history: [],
        },
        onnxWeights,
        '1.0.0',
      ),
    );
    const library = join(root, 'onnx-library');
    const store = createModelStore({ dir: library });
    const source = join(root, 'fuzzed.onnx');
    fs.writeFileSync(source, valid);
    store.delete(await store.importFrom(source));
    await fuzz('onnx', 19, async (rng) => {
      fs.writeFileSync(source, mutateBytes(rng, valid));
      const before = snapshot(library);
      try {
        store.delete(await store.importFrom(source));
        return 'accepted';
      } catch (error) {
        const known = [ModelStoreError, ModelFileError, FileRefusedError, OnnxFileError, OnnxImportError];
        if (!known.some((kind) => error instanceof kind)) throw error;
        expect((error as Error).message).not.toContain('\n');
        expect(snapshot(library)).toEqual(before);
        return 'refused';
      }
    });
  });

  it(`studies: ${CASES} mutations through the store (list, open, rename), never an exception`, async () => {
    const dir = join(root, 'studies');
    fs.mkdirSync(dir);
    const store = createStudyStore(dir);
    const id = studyIdOf(1);
    const valid = new TextEncoder().encode(JSON.stringify({ format: STUDY_FORMAT, ...finishedStudy(1, 'Fuzzed') }));
    await fuzz('study', 17, async (rng) => {
      let bytes: Uint8Array;
      if (rng.int(2) === 0) {
        const edited = JSON.parse(new TextDecoder().decode(valid)) as Record<string, unknown>;
        for (let n = 1 + rng.int(3); n > 0; n--) editJson(rng, edited);
        bytes = new TextEncoder().encode(JSON.stringify(edited));
      } else {
        bytes = mutateBytes(rng, valid);
      }
      fs.writeFileSync(join(dir, `${id}.json`), bytes);
      const listed = await store.list();
      expect(listed).toHaveLength(1);
      const opened = await store.open(id);
      if (!opened.ok) {
        expect(listed[0]).toMatchObject({ status: 'error', message: opened.message });
        const before = snapshot(dir);
        expect(await store.rename(id, 'Renamed')).toEqual({ ok: false, message: opened.message });
        expect(snapshot(dir)).toEqual(before);
        return 'refused';
      }
      return 'accepted';
    });
  });

  it(`datasets: ${CASES} mutations of one IDX file (raw or gzip), each refused with a message naming it (or valid)`, async () => {
    const dir = join(root, 'dataset');
    fs.mkdirSync(dir);
    const files: Record<string, Uint8Array> = {
      'train-images-idx3-ubyte': idxBytes([4, 2, 2], Array.from({ length: 16 }, (_, i) => i * 9)),
      'train-labels-idx1-ubyte': idxBytes([4], [0, 1, 2, 1]),
      't10k-images-idx3-ubyte': idxBytes([2, 2, 2], Array.from({ length: 8 }, (_, i) => 200 - i)),
      't10k-labels-idx1-ubyte': idxBytes([2], [2, 0]),
    };
    const names = Object.keys(files);
    await fuzz('dataset', 18, (rng) => {
      for (const entry of fs.readdirSync(dir)) fs.rmSync(join(dir, entry));
      const victim = pick(rng, names);
      for (const name of names) if (name !== victim) fs.writeFileSync(join(dir, name), files[name]);
      const mutated = mutateBytes(rng, files[victim]);
      const gz = rng.int(3) === 0;
      fs.writeFileSync(join(dir, gz ? `${victim}.gz` : victim), gz ? (rng.int(2) === 0 ? gzipSync(mutated) : mutateBytes(rng, gzipSync(files[victim]))) : mutated);
      try {
        loadDatasetFolder(dir);
        return 'accepted';
      } catch (error) {
        if (!(error instanceof DatasetError || error instanceof IdxError)) throw error;
        expect(error.message).toContain(victim);
        return 'refused';
      }
    });
  });
});
