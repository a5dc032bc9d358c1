/**
 * The Weights, Data, Evaluate and Models commands as main handles them: the sender is checked
 * first, every payload is validated, images come from the validated dataset, and the model library
 * (a real store in a temporary folder) refuses ids that are not ids.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../../src/engine/training/dataset';
import type { EngineReplyValue, EngineRequest } from '../../src/shared/engine-requests';
import type { CurrentModel } from '../../src/shared/insight-api';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import type { DatasetsService, KnownDataset } from '../../src/main/datasets';
import { createModelStore } from '../../src/main/model-store';
import type { SenderInfo } from '../../src/main/handlers/ipc-handlers';

vi.mock('electron', () => ({}));
const { createLabHandlers } = await import('../../src/main/handlers/ipc-handlers');

const APP_URL = 'app://mlp-lab/index.html';
const APP: SenderInfo = { fromAppMainFrame: true, url: APP_URL };
const SUBFRAME: SenderInfo = { fromAppMainFrame: false, url: APP_URL };

/** 12 training images of 2×2 pixels with labels 0,1,2,0,1,2,…; image i is filled with i. */
function tinyDataset(): Dataset {
  const set = (count: number) => ({
    images: Uint8Array.from({ length: count * 4 }, (_, p) => Math.floor(p / 4)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 3),
    count,
    rows: 2,
    cols: 2,
  });
  return { name: 'tiny', train: set(12), test: set(6), classes: 3 };
}

const TINY: KnownDataset = {
  info: { id: 'tiny', name: 'tiny', source: '/data/tiny', trainCount: 12, testCount: 6, rows: 2, cols: 2, classes: 3 },
  ref: { id: 'tiny', name: 'tiny', dir: '/data/tiny' },
};

const config: RunConfig = { ...PRESETS.default, layers: [4, 3], epochs: 1 };
const trained: CurrentModel = {
  source: 'training',
  name: null,
  config,
  weights: [{ inputs: 4, outputs: 3, weights: new Float32Array(12).fill(0.5), biases: new Float32Array(3) }],
  history: [{ epoch: 1, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1.1, testAccuracy: 0.6, seconds: 1, samplesPerSecond: 10 }],
  dataset: { name: 'tiny', rows: 2, cols: 2, classes: 3, trainCount: 12, testCount: 6 },
};

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-models-'));
  folders.push(dir);
  const requests: EngineRequest[] = [];
  const engine = {
    start: vi.fn(() => ({ ok: true as const })),
    pause: vi.fn(() => ({ ok: true as const })),
    resume: vi.fn(() => ({ ok: true as const })),
    stop: vi.fn(() => ({ ok: true as const })),
    setPace: vi.fn(() => ({ ok: true as const })),
    step: vi.fn(() => ({ ok: true as const })),
    request: vi.fn(async (request: EngineRequest): Promise<EngineReplyValue> => {
      requests.push(request);
      if (request.kind === 'current-model') return { kind: 'current-model', model: trained };
      if (request.kind === 'load-model') return { kind: 'load-model' };
      if (request.kind === 'predict') return { kind: 'predict', probabilities: [0.2, 0.3, 0.5] };
      if (request.kind === 'hidden-outputs') return { kind: 'hidden-outputs', layers: [new Float32Array([0, 1.5, 2])], probabilities: [0.2, 0.3, 0.5] };
      throw new Error('not in this test');
    }),
  };
  const datasets: DatasetsService = {
    list: async () => [TINY.info],
    openFolder: async () => ({ ok: false, canceled: true }),
    openFolderAt: async () => ({ ok: false, canceled: true }),
    find: async (id: string) => (id === 'tiny' ? TINY : undefined),
  };
  const data = tinyDataset();
  const dialogs = {
    chooseExportPath: vi.fn(async (): Promise<string | null> => null),
    chooseOnnxExportPath: vi.fn(async (): Promise<string | null> => null),
    chooseImportPath: vi.fn(async (): Promise<string | null> => null),
  };
  const models = createModelStore({ dir });
  const handlers = createLabHandlers({
    appPageUrl: APP_URL,
    datasets,
    engine,
    insight: { engine: engine as never, images: async (id) => (id === 'tiny' ? data : undefined), models, dialogs },
  });
  return { handlers, engine, requests, dir, dialogs };
}

describe('sender checks', () => {
  it('refuses every new command from a subframe, before looking at its arguments', async () => {
    const { handlers, engine } = setup();
    const commands = ['getImages', 'getImagesAt', 'getClassCounts', 'getCurrentModel', 'getActivationStats', 'evaluateModel', 'predict', 'getHiddenOutputs', 'continueTraining', 'listModels', 'saveModel', 'getModelDetails', 'loadModel', 'renameModel', 'duplicateModel', 'deleteModel', 'exportModel', 'exportModelOnnx', 'importModel'] as const;
    for (const command of commands) {
      await expect((handlers[command] as (s: SenderInfo, ...a: unknown[]) => Promise<unknown>)(SUBFRAME, 'x')).rejects.toThrow(/did not come from the MLP Lab window/);
    }
    expect(engine.request).not.toHaveBeenCalled();
  });

  it('refuses the new commands when the window has no insight services', async () => {
    const handlers = createLabHandlers({ appPageUrl: APP_URL, datasets: {} as DatasetsService, engine: {} as never });
    await expect(handlers.listModels(APP)).rejects.toThrow(/not available/);
  });
});

describe('images', () => {
  it('pages through a split, filtered by class, with dataset indices, labels and copied pixels', async () => {
    const { handlers } = setup();
    const all = await handlers.getImages(APP, { datasetId: 'tiny', split: 'train', offset: 2, count: 3 });
    expect(all).toMatchObject({ ok: true, total: 12, rows: 2, cols: 2, indices: [2, 3, 4], labels: [2, 0, 1] });
    expect(all.ok && Array.from(all.pixels)).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
    const ones = await handlers.getImages(APP, { datasetId: 'tiny', split: 'test', offset: 0, count: 10, label: 1 });
    expect(ones).toMatchObject({ ok: true, total: 2, indices: [1, 4], labels: [1, 1] });
    const at = await handlers.getImagesAt(APP, { datasetId: 'tiny', split: 'test', indices: [5, 0] });
    expect(at).toMatchObject({ ok: true, total: 2, indices: [5, 0], labels: [2, 0] });
    expect(await handlers.getClassCounts(APP, 'tiny')).toEqual({ ok: true, train: [4, 4, 4], test: [2, 2, 2] });
  });

  it.each([
    [null, /request object/],
    [{ datasetId: 'tiny', split: 'valid', offset: 0, count: 1 }, /"train" or "test"/],
    [{ datasetId: 'tiny', split: 'train', offset: -1, count: 1 }, /offset/],
    [{ datasetId: 'tiny', split: 'train', offset: 0, count: 1001 }, /count must be a whole number from 0 to 1000/],
    [{ datasetId: 'tiny', split: 'train', offset: 0, count: 1.5 }, /count/],
    [{ datasetId: 'tiny', split: 'train', offset: 0, count: 1, label: 'one' }, /label/],
    [{ datasetId: '../etc', split: 'train', offset: 0, count: 1 }, /no dataset/],
  ])('refuses a bad getImages request %#', async (request, message) => {
    const { handlers } = setup();
    const result = await handlers.getImages(APP, request);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('refuses indices out of range or too many', async () => {
    const { handlers } = setup();
    expect(await handlers.getImagesAt(APP, { datasetId: 'tiny', split: 'test', indices: [6] })).toMatchObject({ ok: false, message: /below 6/ });
    expect(await handlers.getImagesAt(APP, { datasetId: 'tiny', split: 'test', indices: new Array(1001).fill(0) })).toMatchObject({ ok: false, message: /at most 1000/ });
  });
});

describe('the current model', () => {
  it('returns the engine\'s model, and checks a drawing before asking for a prediction', async () => {
    const { handlers, requests } = setup();
    expect(await handlers.getCurrentModel(APP)).toMatchObject({ ok: true, source: 'training', config });
    expect(await handlers.predict(APP, [0.5, 0.5])).toMatchObject({ ok: false });
    expect(await handlers.predict(APP, new Float32Array([0, 3]))).toMatchObject({ ok: false });
    expect(await handlers.predict(APP, new Float32Array([0, 1, 0.5, 0]))).toEqual({ ok: true, probabilities: [0.2, 0.3, 0.5] });
    expect(requests.map((r) => r.kind)).toEqual(['current-model', 'predict']);
  });

  it("checks an image before asking for its hidden units' outputs", async () => {
    const { handlers, requests } = setup();
    expect(await handlers.getHiddenOutputs(APP, [0.5, 0.5])).toMatchObject({ ok: false, message: /grey levels from 0 to 1/ });
    expect(await handlers.getHiddenOutputs(APP, new Float32Array([0, -1]))).toMatchObject({ ok: false });
    expect(await handlers.getHiddenOutputs(APP, new Float32Array([0, 1, 0.5, 0]))).toEqual({ ok: true, layers: [new Float32Array([0, 1.5, 2])], probabilities: [0.2, 0.3, 0.5] });
    expect(requests.map((r) => r.kind)).toEqual(['hidden-outputs']);
  });

  it('continues training only with a valid config that fits the dataset', async () => {
    const { handlers, engine } = setup();
    expect(await handlers.continueTraining(APP, { ...config, learningRate: -1 }, 'tiny')).toMatchObject({ ok: false });
    expect(await handlers.continueTraining(APP, { ...config, layers: [784, 10] }, 'tiny')).toMatchObject({ ok: false, message: /input layer/ });
    expect(await handlers.continueTraining(APP, config, 'tiny')).toEqual({ ok: true });
    expect(engine.start).toHaveBeenCalledWith(config, TINY.ref, { fromCurrentModel: true });
  });
});

describe('model library', () => {
  it('save → list → rename → details → load → duplicate → delete', async () => {
    const { handlers, requests } = setup();
    const saved = await handlers.saveModel(APP, '  First  ');
    if (!saved.ok) throw new Error(saved.message);
    const list = await handlers.listModels(APP);
    expect(list).toMatchObject([{ status: 'ok', id: saved.id, name: 'First', layers: [4, 3], testAccuracy: 0.6, epochs: 1, datasetName: 'tiny' }]);
    expect(await handlers.renameModel(APP, saved.id, 'Renamed')).toEqual({ ok: true });
    expect(await handlers.getModelDetails(APP, saved.id)).toMatchObject({ ok: true, header: { name: 'Renamed', config, history: trained.history } });
    expect(await handlers.loadModel(APP, saved.id)).toEqual({ ok: true });
    const load = requests.find((r) => r.kind === 'load-model');
    expect(load).toMatchObject({ model: { source: 'library', name: 'Renamed', config } });
    expect(load?.kind === 'load-model' && Array.from(load.model.weights[0].weights)).toEqual(new Array(12).fill(0.5));
    const copy = await handlers.duplicateModel(APP, saved.id);
    expect(copy.ok).toBe(true);
    expect((await handlers.listModels(APP)).map((e) => e.status === 'ok' && e.name).sort()).toEqual(['Renamed', 'Renamed (copy)']);
    expect(await handlers.deleteModel(APP, saved.id)).toEqual({ ok: true });
    expect(await handlers.listModels(APP)).toHaveLength(1);
  });

  it.each(['../../etc/passwd', '..', 'A'.repeat(32), `${'0'.repeat(31)}/`, 42, null])('refuses the id %j without touching the disk', async (id) => {
    const { handlers, dir } = setup();
    for (const result of [
      await handlers.loadModel(APP, id),
      await handlers.renameModel(APP, id, 'x'),
      await handlers.deleteModel(APP, id),
      await handlers.getModelDetails(APP, id),
      await handlers.duplicateModel(APP, id),
    ]) {
      expect(result).toMatchObject({ ok: false, message: /not a model id/ });
    }
    expect(await handlers.exportModel(APP, id)).toMatchObject({ ok: false, canceled: false, message: /not a model id/ });
    expect(await handlers.exportModelOnnx(APP, id)).toMatchObject({ ok: false, canceled: false, message: /not a model id/ });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses bad names, and lists a corrupted file with its error', async () => {
    const { handlers, dir } = setup();
    expect(await handlers.saveModel(APP, 'bad\nname')).toMatchObject({ ok: false, message: /control characters/ });
    expect(await handlers.saveModel(APP, '')).toMatchObject({ ok: false, message: /Give the model a name/ });
    writeFileSync(join(dir, `${'a'.repeat(32)}.mlpmodel`), 'not a model');
    expect(await handlers.listModels(APP)).toMatchObject([{ status: 'error', id: 'a'.repeat(32), message: /not an MLP Lab model file/ }]);
  });

  it('export and import go through main\'s dialogs; cancelling writes nothing', async () => {
    const { handlers, dialogs, dir } = setup();
    const saved = await handlers.saveModel(APP, 'Out');
    if (!saved.ok) throw new Error(saved.message);
    expect(await handlers.exportModel(APP, saved.id)).toEqual({ ok: false, canceled: true });
    const outside = mkdtempSync(join(tmpdir(), 'mlp-lab-export-'));
    folders.push(outside);
    const target = join(outside, 'out.mlpmodel');
    dialogs.chooseExportPath.mockResolvedValueOnce(target);
    expect(await handlers.exportModel(APP, saved.id)).toEqual({ ok: true, path: target });
    expect(dialogs.chooseExportPath).toHaveBeenLastCalledWith('Out');
    expect(await handlers.importModel(APP)).toEqual({ ok: false, canceled: true });
    dialogs.chooseImportPath.mockResolvedValueOnce(target);
    const imported = await handlers.importModel(APP);
    expect(imported.ok).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.mlpmodel'))).toHaveLength(2);
    writeFileSync(join(outside, 'junk.mlpmodel'), 'junk');
    dialogs.chooseImportPath.mockResolvedValueOnce(join(outside, 'junk.mlpmodel'));
    expect(await handlers.importModel(APP)).toMatchObject({ ok: false, canceled: false, message: /not an MLP Lab model file/ });
  });

  it('exports as ONNX through its own dialog, and imports an .onnx file back as a model with the same weights', async () => {
    const { handlers, dialogs, dir } = setup();
    const saved = await handlers.saveModel(APP, 'Out');
    if (!saved.ok) throw new Error(saved.message);
    expect(await handlers.exportModelOnnx(APP, saved.id)).toEqual({ ok: false, canceled: true });
    const outside = mkdtempSync(join(tmpdir(), 'mlp-lab-onnx-'));
    folders.push(outside);
    const target = join(outside, 'out.onnx');
    dialogs.chooseOnnxExportPath.mockResolvedValueOnce(target);
    expect(await handlers.exportModelOnnx(APP, saved.id)).toEqual({ ok: true, path: target });
    expect(dialogs.chooseOnnxExportPath).toHaveBeenLastCalledWith('Out');
    // A standard protobuf ModelProto: field 1 (ir_version, varint) comes first.
    expect(readFileSync(target)[0]).toBe(0x08);

    dialogs.chooseImportPath.mockResolvedValueOnce(target);
    const imported = await handlers.importModel(APP);
    if (!imported.ok) throw new Error(JSON.stringify(imported));
    const original = await handlers.getModelDetails(APP, saved.id);
    const back = await handlers.getModelDetails(APP, imported.id);
    if (!original.ok || !back.ok) throw new Error('details');
    expect(back.header.name).toBe('out');
    expect(back.header.config.layers).toEqual(original.header.config.layers);
    expect(back.header.dataset.name).toMatch(/^imported from ONNX \(MLP Lab, trained on /);
    expect(readdirSync(dir).filter((f) => f.endsWith('.mlpmodel'))).toHaveLength(2);

    writeFileSync(join(outside, 'junk.onnx'), 'junk');
    dialogs.chooseImportPath.mockResolvedValueOnce(join(outside, 'junk.onnx'));
    expect(await handlers.importModel(APP)).toMatchObject({ ok: false, canceled: false, message: /junk\.onnx is not an ONNX model/ });
    expect(readdirSync(dir).filter((f) => f.endsWith('.mlpmodel'))).toHaveLength(2);
  });
});
