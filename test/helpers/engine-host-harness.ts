import type { Dataset } from '../../src/engine/training/dataset';
import type { WorkerEvent } from '../../src/shared/engine-protocol';
import type { EngineReply } from '../../src/shared/engine-requests';
import { EngineHost, type EngineHostDeps } from '../../src/worker/engine-host';

/**
 * An engine host in process, on the given data and kernels, with what a test needs to drive it:
 * every event sent, `next` (the first event, past or coming, that passes a test) and `ask` (sends a
 * request and resolves with its reply).
 */
export function engineHostHarness(data: Dataset, getKernels: EngineHostDeps['getKernels'], more: Pick<EngineHostDeps, 'helperProblem'> = {}) {
  const events: WorkerEvent[] = [];
  const waiters: { test: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  const engine = new EngineHost({
    send: (e) => {
      events.push(e);
      for (const w of [...waiters]) if (w.test(e)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(e));
    },
    loadDataset: () => data,
    getKernels,
    ...more,
  });
  const next = (test: (e: WorkerEvent) => boolean): Promise<WorkerEvent> => {
    const seen = events.find(test);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ test, resolve }));
  };
  let id = 100;
  const ask = async (request: unknown): Promise<EngineReply> => {
    const requestId = id++;
    engine.receive({ type: 'request', requestId, request });
    return (await next((e) => e.type === 'reply' && e.requestId === requestId)) as EngineReply;
  };
  return { engine, events, next, ask };
}
