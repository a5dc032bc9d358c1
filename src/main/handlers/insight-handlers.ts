/**
 * The commands of the Weights, Data, Evaluate and Models screens, as plain functions over injected
 * services like every other handler: the arguments are untrusted (the sender is checked before).
 * Images come from the dataset main already validated; questions about the model go to the engine;
 * the model library validates ids and names itself.
 */
import type { Dataset, ImageSet } from '../../engine/training/dataset';
import { isImagePixels } from '../../shared/engine-requests';
import { MAX_IMAGES_PER_REQUEST, type ImagesResult, type InsightApi, type Split } from '../../shared/insight-api';
import { validateRunConfig, describeProblems } from '../../engine/training/run-config';
import type { DatasetsService, KnownDataset } from '../datasets';
import type { EngineSupervisor } from '../../node/engine-supervisor';
import type { CommandHandlers } from './handler-types';
import { shapeMismatch } from './shape-mismatch';
import type { ModelStore } from '../model-store';

export interface ModelDialogs {
  /** Asks where to export a model; null when the user cancels. */
  chooseExportPath(suggestedName: string): Promise<string | null>;
  /** Asks where to export a model as ONNX; null when the user cancels. */
  chooseOnnxExportPath(suggestedName: string): Promise<string | null>;
  /** Asks for a model file (ours or ONNX) to import; null when the user cancels. */
  chooseImportPath(): Promise<string | null>;
}

export interface InsightHandlerDeps {
  engine: Pick<EngineSupervisor, 'start' | 'request'>;
  /** The validated dataset's images by id. */
  images: (id: string) => Promise<Dataset | undefined>;
  models: ModelStore;
  dialogs: ModelDialogs;
}

/** The recent runs' commands are InsightApi's too, but have their own handlers (recent-run-handlers.ts). */
type InsightCommand = Exclude<keyof InsightApi, 'keepRecentRun' | 'listRecentRuns' | 'saveRecentRun' | 'dropRecentRun'>;
type InsightHandlers = Pick<CommandHandlers, InsightCommand>;

export function createInsightHandlers(
  deps: InsightHandlerDeps | undefined,
  datasets: DatasetsService,
): InsightHandlers {
  const unavailable = 'This part of the lab is not available in this window.';
  const need = (): InsightHandlerDeps => {
    if (deps === undefined) throw new Error(unavailable);
    return deps;
  };
  const findDataset = async (id: unknown): Promise<KnownDataset> => {
    // Dataset ids are short ("mnist", "folder-3"): a long one is refused before any lookup.
    if (typeof id !== 'string' || id === '' || id.length > 200) throw new Error('Choose a dataset.');
    const known = await datasets.find(id);
    if (!known) throw new Error(`There is no dataset "${id.slice(0, 80)}"; open its folder again.`);
    return known;
  };
  const imagesOf = async (d: InsightHandlerDeps, id: unknown, split: unknown): Promise<ImageSet> => {
    if (split !== 'train' && split !== 'test') throw new Error('A split is "train" or "test".');
    await findDataset(id);
    const data = await d.images(id as string);
    if (!data) throw new Error(`The images of "${String(id).slice(0, 80)}" are not loaded; open its folder again.`);
    return data[split as Split];
  };

  return {
    async getImages(request) {
      const d = need();
      return answerImages(async () => {
        if (!isRecord(request)) throw new Error('getImages needs a request object.');
        const { datasetId, split, offset, count, label } = request;
        if (!isWhole(offset)) throw new Error('offset must be a whole number ≥ 0.');
        if (!isWhole(count) || count > MAX_IMAGES_PER_REQUEST) throw new Error(`count must be a whole number from 0 to ${MAX_IMAGES_PER_REQUEST}.`);
        if (label !== undefined && (!isWhole(label) || label > 255)) throw new Error('label must be a class number.');
        const set = await imagesOf(d, datasetId, split);
        const matching: number[] = [];
        for (let i = 0; i < set.count; i++) if (label === undefined || set.labels[i] === label) matching.push(i);
        return pick(set, matching.slice(offset, offset + count), matching.length);
      });
    },

    async getImagesAt(request) {
      const d = need();
      return answerImages(async () => {
        if (!isRecord(request)) throw new Error('getImagesAt needs a request object.');
        const { datasetId, split, indices } = request;
        if (!Array.isArray(indices) || indices.length > MAX_IMAGES_PER_REQUEST) throw new Error(`indices must be a list of at most ${MAX_IMAGES_PER_REQUEST} image numbers.`);
        const set = await imagesOf(d, datasetId, split);
        if (!indices.every((i) => isWhole(i) && i < set.count)) throw new Error(`Every index must be a whole number below ${set.count}.`);
        return pick(set, indices as number[], indices.length);
      });
    },

    async getClassCounts(datasetId) {
      const d = need();
      try {
        const known = await findDataset(datasetId);
        const count = async (split: Split): Promise<number[]> => {
          const set = await imagesOf(d, datasetId, split);
          const counts = new Array<number>(known.info.classes).fill(0);
          for (let i = 0; i < set.count; i++) counts[set.labels[i]]++;
          return counts;
        };
        return { ok: true, train: await count('train'), test: await count('test') };
      } catch (error) {
        return refuse(error);
      }
    },

    async getCurrentModel() {
      const d = need();
      try {
        const { model } = await d.engine.request({ kind: 'current-model' });
        if (model === null) return { ok: false, message: 'There is no model yet: train one on the Train screen or load one on the Models screen.' };
        return { ok: true, ...model };
      } catch (error) {
        return refuse(error);
      }
    },

    async getActivationStats(datasetId) {
      const d = need();
      try {
        const { ref } = await findDataset(datasetId);
        const { batch, layers } = await d.engine.request({ kind: 'activations', dataset: ref });
        return { ok: true, batch, layers };
      } catch (error) {
        return refuse(error);
      }
    },

    async evaluateModel(datasetId) {
      const d = need();
      try {
        const { ref } = await findDataset(datasetId);
        const { report } = await d.engine.request({ kind: 'evaluate', dataset: ref });
        return { ok: true, report };
      } catch (error) {
        return refuse(error);
      }
    },

    async predict(pixels) {
      const d = need();
      if (!isImagePixels(pixels)) return { ok: false, message: 'A prediction needs the image as grey levels from 0 to 1.' };
      try {
        const { probabilities } = await d.engine.request({ kind: 'predict', pixels });
        return { ok: true, probabilities };
      } catch (error) {
        return refuse(error);
      }
    },

    async getHiddenOutputs(pixels) {
      const d = need();
      if (!isImagePixels(pixels)) return { ok: false, message: "A unit's activation needs the image as grey levels from 0 to 1." };
      try {
        const { layers, probabilities } = await d.engine.request({ kind: 'hidden-outputs', pixels });
        return { ok: true, layers, probabilities };
      } catch (error) {
        return refuse(error);
      }
    },

    async continueTraining(config, datasetId) {
      const d = need();
      const check = validateRunConfig(config);
      if (!check.ok) return { ok: false, message: `This run configuration cannot be trained:\n${describeProblems(check.problems)}` };
      try {
        const known = await findDataset(datasetId);
        const mismatch = shapeMismatch(check.config, known.info);
        if (mismatch) return { ok: false, message: mismatch };
        return d.engine.start(check.config, known.ref, { fromCurrentModel: true });
      } catch (error) {
        return refuse(error);
      }
    },

    async listModels() {
      return need().models.list();
    },

    async saveModel(name) {
      const d = need();
      try {
        const { model } = await d.engine.request({ kind: 'current-model' });
        if (model === null) return { ok: false, message: 'There is no model to save yet: train one first.' };
        const last = model.history.at(-1);
        const testAccuracy = last !== undefined && Number.isFinite(last.testAccuracy) ? last.testAccuracy : undefined;
        const id = await d.models.save(name, { config: model.config, dataset: model.dataset, history: model.history, ...(testAccuracy !== undefined ? { testAccuracy } : {}) }, model.weights);
        return { ok: true, id };
      } catch (error) {
        return refuse(error);
      }
    },

    async getModelDetails(id) {
      const d = need();
      try {
        return { ok: true, header: (await d.models.load(id)).header };
      } catch (error) {
        return refuse(error);
      }
    },

    async loadModel(id) {
      const d = need();
      try {
        const { header, weights } = await d.models.load(id);
        const model = { source: 'library' as const, name: header.name ?? null, config: header.config, weights, history: header.history, dataset: header.dataset };
        await d.engine.request({ kind: 'load-model', model });
        return { ok: true };
      } catch (error) {
        return refuse(error);
      }
    },

    async renameModel(id, name) {
      const d = need();
      return attempt(() => d.models.rename(id, name));
    },

    async duplicateModel(id, name) {
      const d = need();
      try {
        return { ok: true, id: await d.models.duplicate(id, name) };
      } catch (error) {
        return refuse(error);
      }
    },

    async deleteModel(id) {
      const d = need();
      return attempt(() => d.models.delete(id));
    },

    async exportModel(id) {
      const d = need();
      try {
        const { header } = await d.models.load(id);
        const path = await d.dialogs.chooseExportPath(header.name ?? 'model');
        if (path === null) return { ok: false, canceled: true };
        await d.models.exportTo(id, path);
        return { ok: true, path };
      } catch (error) {
        return { ok: false, canceled: false, message: messageOf(error) };
      }
    },

    async exportModelOnnx(id) {
      const d = need();
      try {
        const { header } = await d.models.load(id);
        const path = await d.dialogs.chooseOnnxExportPath(header.name ?? 'model');
        if (path === null) return { ok: false, canceled: true };
        await d.models.exportOnnxTo(id, path);
        return { ok: true, path };
      } catch (error) {
        return { ok: false, canceled: false, message: messageOf(error) };
      }
    },

    async importModel() {
      const d = need();
      try {
        const path = await d.dialogs.chooseImportPath();
        if (path === null) return { ok: false, canceled: true };
        return { ok: true, id: await d.models.importFrom(path) };
      } catch (error) {
        return { ok: false, canceled: false, message: messageOf(error) };
      }
    },
  };
}

/** The chosen images of a set, copied out (never a view into the dataset). */
function pick(set: ImageSet, indices: number[], total: number): ImagesResult {
  const size = set.rows * set.cols;
  const pixels = new Uint8Array(indices.length * size);
  indices.forEach((index, k) => pixels.set(set.images.subarray(index * size, (index + 1) * size), k * size));
  return { ok: true, total, rows: set.rows, cols: set.cols, indices, labels: indices.map((i) => set.labels[i]), pixels };
}

async function answerImages(work: () => Promise<ImagesResult>): Promise<ImagesResult> {
  try {
    return await work();
  } catch (error) {
    return refuse(error);
  }
}

async function attempt(work: () => void | Promise<void>): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await work();
    return { ok: true };
  } catch (error) {
    return refuse(error);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWhole(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function refuse(error: unknown): { ok: false; message: string } {
  return { ok: false, message: messageOf(error) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
