/**
 * The renderer's only door to the rest of the app: `window.lab`, one named method per message.
 * Neither `ipcRenderer` nor a channel name leaves this file; the renderer cannot send anything else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_CHANNELS, RUN_EVENT_CHANNEL } from '../shared/ipc-channels';
import type { LabApi, RunEvent } from '../shared/lab-api';

const lab: LabApi = {
  listDatasets: () => ipcRenderer.invoke(COMMAND_CHANNELS.listDatasets),
  openDatasetFolder: () => ipcRenderer.invoke(COMMAND_CHANNELS.openDatasetFolder),
  startRun: (config, datasetId) => ipcRenderer.invoke(COMMAND_CHANNELS.startRun, config, datasetId),
  pause: () => ipcRenderer.invoke(COMMAND_CHANNELS.pause),
  resume: () => ipcRenderer.invoke(COMMAND_CHANNELS.resume),
  stop: () => ipcRenderer.invoke(COMMAND_CHANNELS.stop),
  onRunEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onRunEvent needs a function to call with each run event.');
    // The renderer gets the event only, never Electron's IpcRendererEvent (it carries `sender`).
    const relay = (_event: IpcRendererEvent, runEvent: RunEvent): void => listener(runEvent);
    ipcRenderer.on(RUN_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(RUN_EVENT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('lab', lab);
