/**
 * The IPC channel names behind `window.lab`. Only the preload and main use them; the renderer sees
 * named methods, never a channel.
 */
import type { LabApi } from './lab-api';

/** The `window.lab` methods that are a request with an answer (everything but the event feed). */
export type LabCommand = Exclude<keyof LabApi, 'onRunEvent'>;

export const COMMAND_CHANNELS: Readonly<Record<LabCommand, string>> = {
  listDatasets: 'lab:list-datasets',
  openDatasetFolder: 'lab:open-dataset-folder',
  startRun: 'lab:start-run',
  pause: 'lab:pause',
  resume: 'lab:resume',
  stop: 'lab:stop',
};

/** Main → renderer: one `RunEvent` per message. */
export const RUN_EVENT_CHANNEL = 'lab:run-event';
