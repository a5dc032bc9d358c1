/**
 * The app's page wired as the Experiments screen tests need it: the real study service on a
 * temporary folder, each study run forking the real built worker, the datasets service, and exports
 * written where a save dialog would have put them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createDatasetsService } from '../../src/main/datasets';
import { createEngineSupervisor, type WorkerHandle } from '../../src/node/engine-supervisor';
import { createLabHandlers } from '../../src/main/handlers/ipc-handlers';
import { createSupervisedRunStarter } from '../../src/node/study-run-starter';
import { createStudyService, type StudyService } from '../../src/main/study-service';
import { createStudyStore } from '../../src/main/study-store';
import { writeFileAtomic } from '../../src/node/atomic-write';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import { openAppPage, type AppPage } from './app-page';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { WORKER_PATH } from './e2e-env';

export interface ExperimentsApp {
  app: AppPage;
  page: Page;
  bridge: LabBridge;
  studies: StudyService;
  /** Where the studies are saved. */
  studyFolder: string;
  /** Where exports are written, and the paths written so far. */
  scratch: string;
  exported: string[];
  /** Every worker a study run forked. */
  studyWorkers: WorkerHandle[];
  /** The id of the readable saved study of that name ('' when there is none). */
  savedIdOf(name: string): Promise<string>;
  /** The status of each row of the results table. */
  rowStatuses(): Promise<(string | null)[]>;
  close(): Promise<void>;
}

/** Opens the app's page (not yet on the Experiments tab), with studies saved under a fresh `prefix` folder. */
export async function openExperimentsApp(prefix: string): Promise<ExperimentsApp> {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const studyFolder = join(scratch, 'studies');
  const exported: string[] = [];
  const studyWorkers: WorkerHandle[] = [];
  const app = await openAppPage();
  const page = app.page;
  let bridge: LabBridge | null = null;
  const engine = createEngineSupervisor({ fork: () => forkNodeWorker(WORKER_PATH), emit: (event) => bridge?.deliver(event) });
  const studies = createStudyService({
    store: createStudyStore(studyFolder),
    emit: (event) => bridge?.deliverStudy(event),
    parallel: availableParallelism(),
  });
  const datasets = createDatasetsService({ builtInDir: defaultMnistDir(), load: loadDatasetFolder, chooseFolder: async () => null });
  const handlers = createLabHandlers({
    appPageUrl: app.url,
    datasets,
    engine,
    studies: {
      studies,
      runStarter: (dataset) =>
        createSupervisedRunStarter({
          fork: () => {
            const worker = forkNodeWorker(WORKER_PATH);
            studyWorkers.push(worker);
            return worker;
          },
          dataset,
        }),
      // Where a save dialog would have put the file.
      saveExport: async (request) => {
        const path = join(scratch, request.suggestedName);
        writeFileAtomic(path, typeof request.content === 'string' ? new TextEncoder().encode(request.content) : request.content);
        exported.push(path);
        return { ok: true, path };
      },
    },
  });
  const installed = await installLabBridge(page, handlers, (message) => app.problems.push(message));
  bridge = installed;
  await page.goto(app.url);
  return {
    app,
    page,
    bridge: installed,
    studies,
    studyFolder,
    scratch,
    exported,
    studyWorkers,
    savedIdOf: async (name) => (await studies.list()).find((s) => s.status === 'ok' && s.name === name)?.id ?? '',
    rowStatuses: () => page.locator('[data-testid="study-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))),
    async close() {
      studies.dispose();
      engine.dispose();
      await app.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
