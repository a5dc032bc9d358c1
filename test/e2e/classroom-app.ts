/**
 * The whole app's page for the classroom tests of issue 13: every handler real (datasets, engine,
 * model store, studies), the built-in dataset a small MNIST written to disk (small-mnist-folder.ts)
 * so that a run, an evaluation and a nine-run study end in seconds on a crowded machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createStudyService, type StudyService } from '../../src/main/study-service';
import { createStudyStore } from '../../src/main/study-store';
import type { EngineSupervisor } from '../../src/node/engine-supervisor';
import { forkNodeWorker } from '../../src/node/fork-node';
import { createSupervisedRunStarter } from '../../src/node/study-run-starter';
import { openAppPage, type AppPage } from './app-page';
import { bridgeLabServices } from './lab-services';
import { WORKER_PATH } from './e2e-env';
import type { LabBridge } from './lab-bridge';
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
  let studies: StudyService | null = null;
  const { engine, bridge } = await bridgeLabServices(app, {
    scratch,
    builtInDir: mnistDir,
    more: (_core, bridged) => {
      studies = createStudyService({ store: createStudyStore(join(scratch, 'studies')), emit: (event) => bridged().deliverStudy(event), parallel: availableParallelism() });
      return {
        studies: {
          studies,
          runStarter: (dataset) => createSupervisedRunStarter({ fork: () => forkNodeWorker(WORKER_PATH), dataset }),
          saveExport: async () => ({ ok: false, canceled: true }),
        },
      };
    },
  });
  await app.page.goto(app.url);
  return {
    app,
    page: app.page,
    bridge,
    engine,
    async close() {
      studies?.dispose();
      engine.dispose();
      await app.close();
      rmSync(scratch, { recursive: true, force: true });
      rmSync(mnistDir, { recursive: true, force: true });
    },
  };
}
