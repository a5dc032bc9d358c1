/**
 * The whole app's page for the classroom tests of issue 13: every handler real (datasets, engine,
 * model store, studies), the built-in dataset a small MNIST written to disk (small-mnist-folder.ts)
 * so that a run, an evaluation and a nine-run study end in seconds on a crowded machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createDatasetsService } from '../../src/main/datasets';
import { createLabHandlers } from '../../src/main/handlers/ipc-handlers';
import { createModelStore } from '../../src/main/model-store';
import { createStudyService } from '../../src/main/study-service';
import { createStudyStore } from '../../src/main/study-store';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { loadDatasetFolder } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import { createSupervisedRunStarter } from '../../src/node/study-run-starter';
import { openAppPage, type AppPage } from './app-page';
import { WORKER_PATH } from './e2e-env';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { writeSmallMnist } from './small-mnist-folder';

export interface ClassroomApp {
  app: AppPage;
  page: Page;
  bridge: LabBridge;
  engine: EngineSupervisor;
  close(): Promise<void>;
}

/** Opens the app on a MNIST of the first `train` / `test` images (not on any tab yet). */
export async function openClassroomApp(train: number, test: number): Promise<ClassroomApp> {
  const mnistDir = writeSmallMnist(train, test);
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-classroom-'));
  const app = await openAppPage();
  let bridge: LabBridge | null = null;
  const engine = createEngineSupervisor({ fork: () => forkNodeWorker(WORKER_PATH), emit: (event) => bridge?.deliver(event) });
  const datasets = createDatasetsService({ builtInDir: mnistDir, load: loadDatasetFolder, chooseFolder: async () => null });
  const studies = createStudyService({ store: createStudyStore(join(scratch, 'studies')), emit: (event) => bridge?.deliverStudy(event), parallel: availableParallelism() });
  const handlers = createLabHandlers({
    appPageUrl: app.url,
    datasets,
    engine,
    insight: {
      engine,
      images: (id) => datasets.images(id),
      models: createModelStore({ dir: join(scratch, 'models') }),
      dialogs: { chooseExportPath: async () => null, chooseOnnxExportPath: async () => null, chooseImportPath: async () => null },
    },
    studies: {
      studies,
      runStarter: (dataset) => createSupervisedRunStarter({ fork: () => forkNodeWorker(WORKER_PATH), dataset }),
      saveExport: async () => ({ ok: false, canceled: true }),
    },
  });
  const installed = await installLabBridge(app.page, handlers, (message) => app.problems.push(message));
  bridge = installed;
  await app.page.goto(app.url);
  return {
    app,
    page: app.page,
    bridge: installed,
    engine,
    async close() {
      studies.dispose();
      engine.dispose();
      await app.close();
      rmSync(scratch, { recursive: true, force: true });
      rmSync(mnistDir, { recursive: true, force: true });
    },
  };
}
