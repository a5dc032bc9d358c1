/**
 * Recent runs: the last few finished runs kept by themselves, in their own folder, with the model
 * library's atomic store. At most the limit are kept, the oldest dropped first; a diverged run's
 * non-finite weights are never kept; "Save" moves one into the model library under a name, "Drop"
 * lets it go. The handlers take the model from the engine and refuse with a message.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { weightsAreFinite, type NetworkWeights } from '../../src/engine/nn/weights';
import type { CurrentModel } from '../../src/shared/insight-api';
import type { EngineReplyValue, EngineRequest } from '../../src/shared/engine-requests';
import { createModelStore, type ModelSaveInput } from '../../src/main/model-store';
import { createRecentRuns, recentRunName } from '../../src/main/recent-runs';
import { createRecentRunHandlers } from '../../src/main/handlers/recent-run-handlers';

const config: RunConfig = { ...PRESETS.default, layers: [4, 3], epochs: 1 };
const dataset = { name: 'tiny', rows: 2, cols: 2, classes: 3, trainCount: 12, testCount: 6 };

function weightsFilled(value: number): NetworkWeights {
  return [{ inputs: 4, outputs: 3, weights: new Float32Array(12).fill(value), biases: new Float32Array(3) }];
}

function input(epochs: number, testAccuracy = 0.6): ModelSaveInput {
  const history = Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1.1, testAccuracy, seconds: 1, samplesPerSecond: 10 }));
  return { config, dataset, history, testAccuracy };
}

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A recent-run keeper over two real stores in a temporary folder, with a clock a test moves on. */
function setup(limit?: number) {
  const root = mkdtempSync(join(tmpdir(), 'mlp-lab-recent-'));
  folders.push(root);
  let clock = Date.parse('2026-12-06T04:00:00Z');
  const now = () => new Date((clock += 60_000));
  const recentDir = join(root, 'recent-runs');
  const modelsDir = join(root, 'models');
  const store = createModelStore({ dir: recentDir, now });
  const models = createModelStore({ dir: modelsDir, now });
  const recent = createRecentRuns({ store, models, ...(limit !== undefined ? { limit } : {}) });
  const files = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  return { recent, store, models, recentDir, modelsDir, files };
}

describe('recent runs', () => {
  it('keeps each finished run, newest first, and drops the oldest beyond five', async () => {
    const { recent, recentDir, files } = setup();
    const ids: string[] = [];
    for (let run = 1; run <= 7; run++) ids.push(await recent.keep(input(run), weightsFilled(run / 10)));
    const listed = await recent.list();
    expect(listed.map((e) => e.id)).toEqual(ids.slice(2).reverse());
    expect(listed.map((e) => (e.status === 'ok' ? e.epochs : -1))).toEqual([7, 6, 5, 4, 3]);
    expect(files(recentDir).sort()).toEqual(ids.slice(2).map((id) => `${id}.mlpmodel`).sort());
  });

  it('keeps as many as it is told, and at least one', async () => {
    const three = setup(3);
    for (let run = 1; run <= 4; run++) await three.recent.keep(input(run), weightsFilled(0.1));
    expect((await three.recent.list()).length).toBe(3);
    const one = setup(0);
    await one.recent.keep(input(1), weightsFilled(0.1));
    const last = await one.recent.keep(input(2), weightsFilled(0.1));
    expect((await one.recent.list()).map((e) => e.id)).toEqual([last]);
  });

  it('never keeps a run whose weights are NaN or infinite, and writes nothing for it', async () => {
    const { recent, recentDir, files } = setup();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const weights = weightsFilled(0.5);
      weights[0]!.biases[1] = bad;
      expect(weightsAreFinite(weights)).toBe(false);
      await expect(recent.keep(input(1), weights)).rejects.toThrow(/not finite numbers \(the run diverged\)/);
    }
    expect(files(recentDir)).toEqual([]);
    expect(weightsAreFinite(weightsFilled(0.5))).toBe(true);
  });

  it('names a kept run by its layers and epochs', () => {
    expect(recentRunName(input(1))).toBe('Run 4-3, 1 epoch');
    expect(recentRunName({ config: { ...config, layers: [784, 256, 128, 10] }, history: input(3).history })).toBe('Run 784-256-128-10, 3 epochs');
  });

  it('"Save" puts a recent run in the model library under the name given, weights and history kept, and stops keeping it', async () => {
    const { recent, models, recentDir, files } = setup();
    const older = await recent.keep(input(2, 0.7), weightsFilled(0.25));
    const newer = await recent.keep(input(3, 0.8), weightsFilled(0.5));
    const savedId = await recent.saveAs(older, '  Two epochs  ');
    const saved = await models.load(savedId);
    expect(saved.header.name).toBe('Two epochs');
    expect(saved.header.history.length).toBe(2);
    expect(saved.header.testAccuracy).toBeCloseTo(0.7, 6);
    expect(Array.from(saved.weights[0]!.weights)).toEqual(new Array(12).fill(0.25));
    expect((await recent.list()).map((e) => e.id)).toEqual([newer]);
    expect(files(recentDir)).toEqual([`${newer}.mlpmodel`]);
  });

  it('"Save" with a bad name or id refuses and keeps the recent run; "Drop" lets one go', async () => {
    const { recent, modelsDir, files } = setup();
    const id = await recent.keep(input(1), weightsFilled(0.5));
    await expect(recent.saveAs(id, '   ')).rejects.toThrow('Give the model a name.');
    await expect(recent.saveAs(id, 'x'.repeat(101))).rejects.toThrow(/at most 100 characters/);
    await expect(recent.saveAs('../../etc/passwd', 'A name')).rejects.toThrow(/is not a model id/);
    expect(files(modelsDir)).toEqual([]);
    expect((await recent.list()).map((e) => e.id)).toEqual([id]);
    expect(() => recent.drop('not-an-id')).toThrow(/is not a model id/);
    recent.drop(id);
    expect(await recent.list()).toEqual([]);
    expect(() => recent.drop(id)).toThrow(/There is no saved model/);
  });

  it('drops a damaged file of its folder when it keeps the next run, and leaves other files alone', async () => {
    const { recent, recentDir, files } = setup();
    const damaged = 'ab'.repeat(16);
    mkdirSync(recentDir, { recursive: true });
    writeFileSync(join(recentDir, `${damaged}.mlpmodel`), 'not a model');
    writeFileSync(join(recentDir, 'notes.txt'), 'kept');
    expect((await recent.list()).map((e) => e.status)).toEqual(['error']);
    const id = await recent.keep(input(1), weightsFilled(0.5));
    expect(files(recentDir).sort()).toEqual([`${id}.mlpmodel`, 'notes.txt'].sort());
  });

  it('two runs kept at once are both kept, and the limit still holds', async () => {
    const { recent } = setup(2);
    await Promise.all([1, 2, 3, 4].map((run) => recent.keep(input(run), weightsFilled(0.1))));
    expect((await recent.list()).length).toBe(2);
  });
});

describe('recent-run handlers', () => {
  function handlers(model: CurrentModel | null) {
    const { recent, models } = setup();
    const engine = {
      request: vi.fn(async (request: EngineRequest): Promise<EngineReplyValue> => {
        if (request.kind === 'current-model') return { kind: 'current-model', model };
        throw new Error('not in this test');
      }),
    };
    // A stand-in for the supervisor's generic request: it answers only "current-model".
    return { handle: createRecentRunHandlers({ engine: engine as never, recent }), models };
  }
  const trained = (weights: NetworkWeights, source: CurrentModel['source'] = 'training'): CurrentModel => ({ source, name: null, weights, ...input(2, 0.9) });

  it('keeps the engine\'s trained model, with its test accuracy, and lists it', async () => {
    const { handle } = handlers(trained(weightsFilled(0.5)));
    const kept = await handle.keepRecentRun();
    expect(kept.ok).toBe(true);
    const list = await handle.listRecentRuns();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'ok', name: 'Run 4-3, 2 epochs', epochs: 2, layers: [4, 3] });
    expect(list[0]!.status === 'ok' && list[0]!.testAccuracy).toBeCloseTo(0.9, 6);
  });

  it('refuses with a message when there is no model, it came from the library, or its weights are not finite', async () => {
    expect(await handlers(null).handle.keepRecentRun()).toEqual({ ok: false, message: 'There is no finished run to keep.' });
    expect(await handlers(trained(weightsFilled(0.5), 'library')).handle.keepRecentRun()).toMatchObject({ ok: false, message: expect.stringMatching(/came from the model library/) });
    const diverged = handlers(trained(weightsFilled(Number.NaN)));
    expect(await diverged.handle.keepRecentRun()).toMatchObject({ ok: false, message: expect.stringMatching(/not finite numbers/) });
    expect(await diverged.handle.listRecentRuns()).toEqual([]);
  });

  it('saves and drops by id, refusing what is not an id or a name', async () => {
    const { handle, models } = handlers(trained(weightsFilled(0.5)));
    const first = await handle.keepRecentRun();
    const second = await handle.keepRecentRun();
    if (!first.ok || !second.ok) throw new Error('not kept');
    expect(await handle.saveRecentRun(first.id, 42)).toEqual({ ok: false, message: 'A model name must be text.' });
    const saved = await handle.saveRecentRun(first.id, 'Best so far');
    expect(saved.ok).toBe(true);
    expect((await models.list()).map((e) => e.status === 'ok' && e.name)).toEqual(['Best so far']);
    expect(await handle.dropRecentRun({ id: second.id })).toMatchObject({ ok: false });
    expect(await handle.dropRecentRun(second.id)).toEqual({ ok: true });
    expect(await handle.listRecentRuns()).toEqual([]);
  });

  it('without a recent-run keeper, keeping is refused and the list is empty', async () => {
    const handle = createRecentRunHandlers(undefined);
    expect(await handle.keepRecentRun()).toEqual({ ok: false, message: 'Recent runs are not kept in this window.' });
    expect(await handle.listRecentRuns()).toEqual([]);
    expect(await handle.saveRecentRun('ab'.repeat(16), 'x')).toMatchObject({ ok: false });
  });
});
