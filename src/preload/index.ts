/**
 * The renderer's only door to the rest of the app: `window.lab`, one named method per message.
 * Neither `ipcRenderer` nor a channel name leaves this file; the renderer cannot send anything else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_CHANNELS, FULL_SCREEN_EVENT_CHANNEL, RUN_EVENT_CHANNEL, STUDY_EVENT_CHANNEL, type LabCommand } from '../shared/ipc-channels';
import type { LabApi, RunEvent } from '../shared/lab-api';
import type { StudyEvent } from '../shared/study-api';

/**
 * One method per command, made from the channel table: adding a command to COMMAND_CHANNELS (and
 * its type to LabApi, and its handler in main) is all it takes; the types keep the three in step.
 */
function commandMethods(): Pick<LabApi, LabCommand> {
  const methods: Partial<Record<LabCommand, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const command of Object.keys(COMMAND_CHANNELS) as LabCommand[]) {
    const channel = COMMAND_CHANNELS[command];
    methods[command] = (...args) => ipcRenderer.invoke(channel, ...args);
  }
  return methods as Pick<LabApi, LabCommand>;
}

const lab: LabApi = {
  ...commandMethods(),
  onRunEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onRunEvent needs a function to call with each run event.');
    // The renderer gets the event only, never Electron's IpcRendererEvent (it carries `sender`).
    const relay = (_event: IpcRendererEvent, runEvent: RunEvent): void => listener(runEvent);
    ipcRenderer.on(RUN_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(RUN_EVENT_CHANNEL, relay);
    };
  },
  onStudyEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onStudyEvent needs a function to call with each study event.');
    const relay = (_event: IpcRendererEvent, studyEvent: StudyEvent): void => listener(studyEvent);
    ipcRenderer.on(STUDY_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(STUDY_EVENT_CHANNEL, relay);
    };
  },
  onFullScreenChange(listener) {
    if (typeof listener !== 'function') throw new TypeError('onFullScreenChange needs a function to call with each change.');
    const relay = (_event: IpcRendererEvent, fullScreen: unknown): void => listener(fullScreen === true);
    ipcRenderer.on(FULL_SCREEN_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(FULL_SCREEN_EVENT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('lab', lab);
