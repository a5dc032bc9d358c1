/**
 * What main does for each `window.lab` command, as plain functions over injected services, so tests
 * call them without Electron. Every command first checks who is asking, in one place
 * (guardCommands), then checks what it was given: the renderer is treated as untrusted input.
 */
import { describeProblems, validateRunConfig } from '../../engine/training/run-config';
import type { CommandResult } from '../../shared/lab-api';
import type { LabCommand } from '../../shared/ipc-channels';
import { isPace, paceProblem } from '../../shared/run-pace';
import { isAppUrl } from '../app-page';
import type { DatasetsService, KnownDataset } from '../datasets';
import type { EngineSupervisor } from '../../node/engine-supervisor';
import { createInsightHandlers, type InsightHandlerDeps } from './insight-handlers';
import { createRecentRunHandlers, type RecentRunHandlerDeps } from './recent-run-handlers';
import { createStudyHandlers, type StudyHandlerDeps } from './study-handlers';
import { createLessonHandlers, type LessonHandlerDeps } from './lesson-handlers';
import { createFullScreenHandlers, type FullScreenWindow } from '../full-screen';
import { shapeMismatch } from './shape-mismatch';
import type { CommandHandlers, LabHandlers, SenderInfo } from './handler-types';
import { guardCommands } from './sender-guard';

export type { LabHandlers, SenderInfo };

export type RunControl = Pick<EngineSupervisor, 'start' | 'pause' | 'resume' | 'stop' | 'setPace' | 'step'>;

export interface LabHandlerDeps {
  /** The URL of the app page; only frames showing it may send commands. */
  appPageUrl: string;
  datasets: DatasetsService;
  engine: RunControl;
  /** The Weights, Data, Evaluate and Models screens' services; without them their commands are refused. */
  insight?: InsightHandlerDeps;
  /** The Models screen's recent runs; without them nothing is kept and the list is empty. */
  recentRuns?: RecentRunHandlerDeps;
  /** The Experiments screen's services; without them its commands are refused. */
  studies?: StudyHandlerDeps;
  /** The lessons' dialogs, inbox and files; without them their commands are refused. */
  lessons?: LessonHandlerDeps;
  /** The app's window, for full screen; without it full screen is refused. */
  window?: () => FullScreenWindow | null;
}

export function createLabHandlers({ appPageUrl, datasets, engine, insight, recentRuns, studies, lessons, window }: LabHandlerDeps): LabHandlers {
  function checkSender(command: LabCommand, sender: SenderInfo): void {
    if (!sender.fromAppMainFrame || !isAppUrl(sender.url, appPageUrl)) {
      throw new Error(`Refused ${command}: it did not come from the MLP Lab window (sender: ${sender.url || 'unknown'}).`);
    }
  }

  const commands: CommandHandlers = {
    async listDatasets() {
      return datasets.list();
    },

    async openDatasetFolder() {
      return datasets.openFolder();
    },

    async startRun(config, datasetId) {
      const check = validateRunConfig(config);
      if (!check.ok) return refuse(`This run configuration cannot be trained:\n${describeProblems(check.problems)}`);
      if (typeof datasetId !== 'string' || datasetId === '' || datasetId.length > 200) return refuse('Choose a dataset to train on.');
      let dataset: KnownDataset | undefined;
      try {
        dataset = await datasets.find(datasetId);
      } catch (error) {
        return refuse(error instanceof Error ? error.message : String(error));
      }
      if (!dataset) return refuse(`There is no dataset "${datasetId.slice(0, 80)}"; open its folder again.`);
      const mismatch = shapeMismatch(check.config, dataset.info);
      if (mismatch) return refuse(mismatch);
      return engine.start(check.config, dataset.ref);
    },

    async pause() {
      return engine.pause();
    },

    async resume() {
      return engine.resume();
    },

    async stop() {
      return engine.stop();
    },

    async setPace(batchesPerSecond) {
      return isPace(batchesPerSecond) ? engine.setPace(batchesPerSecond) : refuse(paceProblem(batchesPerSecond) ?? '');
    },

    async step() {
      return engine.step();
    },

    ...createInsightHandlers(insight, datasets),

    ...createRecentRunHandlers(recentRuns),

    ...createStudyHandlers(studies, datasets),

    ...createLessonHandlers(lessons, datasets),

    ...createFullScreenHandlers(window),
  };
  return guardCommands(commands, checkSender);
}

function refuse(message: string): CommandResult {
  return { ok: false, message };
}
