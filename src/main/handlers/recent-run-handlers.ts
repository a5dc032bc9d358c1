/**
 * The commands of the Models screen's "Recent runs": keep the run that just finished, list them,
 * save one into the model library, drop one. Plain functions over injected services, like every
 * other handler; ids and names from the renderer are checked by the stores.
 */
import type { InsightApi } from '../../shared/insight-api';
import type { EngineSupervisor } from '../../node/engine-supervisor';
import type { RecentRuns } from '../recent-runs';
import type { CommandHandlers } from './handler-types';

export interface RecentRunHandlerDeps {
  engine: Pick<EngineSupervisor, 'request'>;
  recent: RecentRuns;
}

type RecentRunHandlers = Pick<CommandHandlers, keyof Pick<InsightApi, 'keepRecentRun' | 'listRecentRuns' | 'saveRecentRun' | 'dropRecentRun'>>;

export function createRecentRunHandlers(deps: RecentRunHandlerDeps | undefined): RecentRunHandlers {
  const need = (): RecentRunHandlerDeps => {
    if (deps === undefined) throw new Error('Recent runs are not kept in this window.');
    return deps;
  };
  return {
    async keepRecentRun() {
      try {
        const d = need();
        const { model } = await d.engine.request({ kind: 'current-model' });
        if (model === null) return refuse('There is no finished run to keep.');
        // A model loaded from the library is saved already; only a trained one is a run to keep.
        if (model.source !== 'training') return refuse('The current model came from the model library; it is not a new run.');
        const last = model.history.at(-1);
        const testAccuracy = last !== undefined && Number.isFinite(last.testAccuracy) ? last.testAccuracy : undefined;
        const id = await d.recent.keep({ config: model.config, dataset: model.dataset, history: model.history, ...(testAccuracy !== undefined ? { testAccuracy } : {}) }, model.weights);
        return { ok: true, id };
      } catch (error) {
        return refuse(messageOf(error));
      }
    },

    async listRecentRuns() {
      return deps === undefined ? [] : deps.recent.list();
    },

    async saveRecentRun(id, name) {
      try {
        return { ok: true, id: await need().recent.saveAs(id, name) };
      } catch (error) {
        return refuse(messageOf(error));
      }
    },

    async dropRecentRun(id) {
      try {
        need().recent.drop(id);
        return { ok: true };
      } catch (error) {
        return refuse(messageOf(error));
      }
    },
  };
}

function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
