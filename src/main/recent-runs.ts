/**
 * Recent runs: the last few finished runs, kept by themselves so that training again never throws
 * the last model away. They live in their own folder (userData/recent-runs in the app) as model
 * files of the library's format, written by the same atomic store, and are not saved models: at
 * most `limit` are kept, the oldest dropped first, until the student saves one into the model
 * library under a name of their own, or drops it. A model whose weights are not all finite numbers
 * (a run that diverged) is never kept.
 */
import { weightsAreFinite, type NetworkWeights } from '../engine/nn/weights';
import type { ModelListEntry } from '../shared/model-library';
import { ModelStoreError, type LoadedModel, type ModelSaveInput, type ModelStore } from './model-store';

/** How many recent runs are kept when the caller does not say. */
export const RECENT_RUNS_KEPT = 5;

export interface RecentRunsDeps {
  /** Where the recent runs are kept: a model store of its own folder. */
  store: ModelStore;
  /** The model library a recent run is saved into. */
  models: ModelStore;
  /** At most this many recent runs are kept (at least 1). */
  limit?: number;
}

export interface RecentRuns {
  /**
   * Keeps a finished run's model as the newest recent run and drops the oldest beyond the limit
   * (and any file of the folder that cannot be read); returns its id. Refuses non-finite weights.
   */
  keep(model: ModelSaveInput, weights: NetworkWeights): Promise<string>;
  /** The recent runs, newest first, then any file that cannot be read. */
  list(): Promise<ModelListEntry[]>;
  /** Saves a recent run into the model library under `name` and stops keeping it; returns the saved model's id. */
  saveAs(id: unknown, name: unknown): Promise<string>;
  /** Stops keeping a recent run. */
  drop(id: unknown): void;
}

export function createRecentRuns({ store, models, limit = RECENT_RUNS_KEPT }: RecentRunsDeps): RecentRuns {
  const kept = Math.max(1, Math.floor(limit));
  // One change at a time: two runs ending together must not each prune what the other just wrote.
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  async function prune(): Promise<void> {
    const entries = await store.list();
    const readable = entries.filter((entry) => entry.status === 'ok');
    const unreadable = entries.filter((entry) => entry.status === 'error');
    // The store lists the readable newest first: what lies beyond the limit is the oldest.
    for (const entry of [...readable.slice(kept), ...unreadable]) {
      if (entry.id !== null) store.delete(entry.id);
    }
  }

  return {
    keep(model, weights) {
      if (!weightsAreFinite(weights)) {
        return Promise.reject(new ModelStoreError('This run is not kept: some of its weights are not finite numbers (the run diverged).'));
      }
      return inTurn(async () => {
        const id = await store.save(recentRunName(model), model, weights);
        await prune();
        return id;
      });
    },

    list() {
      return store.list();
    },

    saveAs(id, name) {
      return inTurn(async () => {
        const { header, weights }: LoadedModel = await store.load(id);
        const savedId = await models.save(name, saveInputOf(header), weights);
        // Saved first, dropped after: if the drop fails, the run is in both lists, never in neither.
        store.delete(id);
        return savedId;
      });
    },

    drop(id) {
      store.delete(id);
    },
  };
}

/** A recent run's name until the student gives it one: its layers and how long it trained. */
export function recentRunName(model: Pick<ModelSaveInput, 'config' | 'history'>): string {
  const epochs = model.history.length;
  return `Run ${model.config.layers.join('-')}, ${epochs} epoch${epochs === 1 ? '' : 's'}`;
}

/** What a kept model's header says about its training, to save it again under a new name. */
function saveInputOf(header: LoadedModel['header']): ModelSaveInput {
  return {
    config: header.config,
    dataset: header.dataset,
    history: header.history,
    ...(header.testAccuracy !== undefined ? { testAccuracy: header.testAccuracy } : {}),
  };
}
