/**
 * Main's side of an end-to-end page, built as main builds it: the engine supervisor forking the
 * built worker, the datasets, a model store in the test's scratch folder and the insight handlers,
 * with native dialogs that answer Cancel unless a test says otherwise; then the bridge, so the
 * page's `window.lab` reaches them. A test passes only what it changes: another built-in dataset,
 * dialogs, the engine's threads, a look at each run event, or handler groups beyond these (studies,
 * lessons, recent runs, the window). The page is not opened at the app yet: each test does that.
 */
import { join } from 'node:path';
import { createDatasetsService } from '../../src/main/datasets';
import { createLabHandlers, type LabHandlerDeps, type LabHandlers } from '../../src/main/handlers/ipc-handlers';
import type { ModelDialogs } from '../../src/main/handlers/insight-handlers';
import { createModelStore, type ModelStore } from '../../src/main/model-store';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { forkNodeWorker } from '../../src/node/fork-node';
import type { RunEvent } from '../../src/shared/lab-api';
import type { AppPage } from './app-page';
import { WORKER_PATH } from './e2e-env';
import { installLabBridge, type LabBridge } from './lab-bridge';

/** What the core services are, for the handler groups a test adds. */
export interface CoreServices {
  engine: EngineSupervisor;
  datasets: ReturnType<typeof createDatasetsService>;
  models: ModelStore;
}

export interface LabServicesOptions {
  /** The folder the model store lives in (models/ inside it). */
  scratch: string;
  /** The built-in dataset's folder; the real MNIST unless given. */
  builtInDir?: string;
  /** The "choose a dataset folder" dialog; Cancel unless given. */
  chooseFolder?: () => Promise<string | null>;
  /** The model dialogs a test answers itself; the others answer Cancel. */
  dialogs?: Partial<ModelDialogs>;
  /** Threads the engine trains on (the supervisor's default unless given). */
  threads?: 1 | 2;
  /** Sees each run event before the page does. */
  onEvent?: (event: RunEvent) => void;
  /** Handler groups beyond the core ones, made from them. */
  more?: (core: CoreServices, bridge: () => LabBridge) => Omit<LabHandlerDeps, 'appPageUrl' | 'datasets' | 'engine' | 'insight'>;
}

export interface LabServices extends CoreServices {
  handlers: LabHandlers;
  bridge: LabBridge;
}

const CANCEL: ModelDialogs = { chooseExportPath: async () => null, chooseOnnxExportPath: async () => null, chooseImportPath: async () => null };

/** Builds main's services for `app`'s page and bridges the page to them; problems go to `app.problems`. */
export async function bridgeLabServices(app: AppPage, options: LabServicesOptions): Promise<LabServices> {
  let bridge: LabBridge | null = null;
  const engine = createEngineSupervisor({
    fork: () => forkNodeWorker(WORKER_PATH),
    emit: (event) => {
      options.onEvent?.(event);
      bridge?.deliver(event);
    },
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  });
  const datasets = createDatasetsService({
    builtInDir: options.builtInDir ?? defaultMnistDir(),
    load: loadDatasetFolder,
    chooseFolder: options.chooseFolder ?? (async () => null),
  });
  const models = createModelStore({ dir: join(options.scratch, 'models') });
  const core = { engine, datasets, models };
  const bridged = (): LabBridge => {
    if (bridge === null) throw new Error('The bridge is not installed yet.');
    return bridge;
  };
  const handlers = createLabHandlers({
    appPageUrl: app.url,
    datasets,
    engine,
    insight: { engine, images: (id) => datasets.images(id), models, dialogs: { ...CANCEL, ...options.dialogs } },
    ...options.more?.(core, bridged),
  });
  bridge = await installLabBridge(app.page, handlers, (message) => app.problems.push(message));
  return { ...core, handlers, bridge };
}
