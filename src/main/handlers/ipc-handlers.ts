/**
 * What main does for each `window.lab` command, as plain functions over injected services, so tests
 * call them without Electron. Every handler first checks who is asking, then checks what it was
 * given: the renderer is treated as untrusted input.
 */
import { describeProblems, validateRunConfig } from '../../engine/training/run-config';
import type { CommandResult } from '../../shared/lab-api';
import type { LabCommand } from '../../shared/ipc-channels';
import { isAppUrl } from '../app-page';
import type { DatasetsService, KnownDataset } from '../datasets';
import type { EngineSupervisor } from '../../node/engine-supervisor';
import { createInsightHandlers, type InsightHandlerDeps } from './insight-handlers';
import { createStudyHandlers, type StudyHandlerDeps } from './study-handlers';
import { shapeMismatch } from './shape-mismatch';
import type { LabHandlers, SenderInfo } from './handler-types';

export type { LabHandlers, SenderInfo };

export type RunControl = Pick<EngineSupervisor, 'start' | 'pause' | 'resume' | 'stop'>;

export interface LabHandlerDeps {
  /** The URL of the app page; only frames showing it may send commands. */
  appPageUrl: string;
  datasets: DatasetsService;
  engine: RunControl;
  /** The Weights, Data, Evaluate and Models screens' services; without them their commands are refused. */
  insight?: InsightHandlerDeps;
  /** The Experiments screen's services; without them its commands are refused. */
  studies?: StudyHandlerDeps;
}

export function createLabHandlers({ appPageUrl, datasets, engine, insight, studies }: LabHandlerDeps): LabHandlers {
  function checkSender(command: LabCommand, sender: SenderInfo): void {
    if (!sender.fromAppMainFrame || !isAppUrl(sender.url, appPageUrl)) {
      throw new Error(`Refused ${command}: it did not come from the MLP Lab window (sender: ${sender.url || 'unknown'}).`);
    }
  }

  return {
    async listDatasets(sender) {
      checkSender('listDatasets', sender);
      return datasets.list();
    },

    async openDatasetFolder(sender) {
      checkSender('openDatasetFolder', sender);
      return datasets.openFolder();
    },

    async startRun(sender, config, datasetId) {
      checkSender('startRun', sender);
      const check = validateRunConfig(config);
      if (!check.ok) return refuse(`This run configuration cannot be trained:\n${describeProblems(check.problems)}`);
      if (typeof datasetId !== 'string' || datasetId === '') return refuse('Choose a dataset to train on.');
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

    async pause(sender) {
      checkSender('pause', sender);
      return engine.pause();
    },

    async resume(sender) {
      checkSender('resume', sender);
      return engine.resume();
    },

    async stop(sender) {
      checkSender('stop', sender);
      return engine.stop();
    },

    ...createInsightHandlers(insight, datasets, checkSender),

    ...createStudyHandlers(studies, datasets, checkSender),
  };
}

function refuse(message: string): CommandResult {
  return { ok: false, message };
}
