/**
 * The renderer's only door to the rest of the app: `window.lab`, one named method per message.
 * Neither `ipcRenderer` nor a channel name leaves this file; the renderer cannot send anything else.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { COMMAND_CHANNELS, FULL_SCREEN_EVENT_CHANNEL, RUN_EVENT_CHANNEL, STUDY_EVENT_CHANNEL, type LabCommand } from '../shared/ipc-channels';
import type { LabApi, RunEvent } from '../shared/lab-api';
import type { DroppedLessonResult } from '../shared/lesson/lesson-api';
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

/**
 * Electron's docs (api/web-utils): `webUtils.getPathForFile(file)` returns the path a File points
 * to, throws when given something that is not a File, and returns '' for a File built in JS; it
 * replaced `File.path` (gone since Electron 32), and the docs' own example has the page hand the
 * File to a preload function over the contextBridge, which calls it there and sends the path over
 * IPC, keeping the full path from the web content. So the path goes to main, never to the page.
 * (webUtils is among the modules a sandboxed preload may require: docs, tutorial/sandbox.)
 */
function openDroppedLesson(file: File): Promise<DroppedLessonResult> {
  let path = '';
  try {
    path = webUtils.getPathForFile(file);
  } catch {
    // Not a File: nothing on disk to open.
  }
  if (path === '') return Promise.resolve({ ok: false, canceled: false, notOnDisk: true, message: 'The dropped file is not a file on disk.' });
  return ipcRenderer.invoke(COMMAND_CHANNELS.openDroppedLesson, path) as Promise<DroppedLessonResult>;
}

const lab: LabApi = {
  ...commandMethods(),
  openDroppedLesson,
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
