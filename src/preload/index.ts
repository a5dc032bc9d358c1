/**
 * The renderer's only door to the rest of the app: `window.lab`, one named method per message.
 * Neither `ipcRenderer` nor a channel name leaves this file; the renderer cannot send anything else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_CHANNELS, RUN_EVENT_CHANNEL, STUDY_EVENT_CHANNEL } from '../shared/ipc-channels';
import type { LabApi, RunEvent } from '../shared/lab-api';
import type { StudyEvent } from '../shared/study-api';

const lab: LabApi = {
  listDatasets: () => ipcRenderer.invoke(COMMAND_CHANNELS.listDatasets),
  openDatasetFolder: () => ipcRenderer.invoke(COMMAND_CHANNELS.openDatasetFolder),
  startRun: (config, datasetId) => ipcRenderer.invoke(COMMAND_CHANNELS.startRun, config, datasetId),
  pause: () => ipcRenderer.invoke(COMMAND_CHANNELS.pause),
  resume: () => ipcRenderer.invoke(COMMAND_CHANNELS.resume),
  stop: () => ipcRenderer.invoke(COMMAND_CHANNELS.stop),
  getImages: (request) => ipcRenderer.invoke(COMMAND_CHANNELS.getImages, request),
  getImagesAt: (request) => ipcRenderer.invoke(COMMAND_CHANNELS.getImagesAt, request),
  getClassCounts: (datasetId) => ipcRenderer.invoke(COMMAND_CHANNELS.getClassCounts, datasetId),
  getCurrentModel: () => ipcRenderer.invoke(COMMAND_CHANNELS.getCurrentModel),
  getActivationStats: (datasetId) => ipcRenderer.invoke(COMMAND_CHANNELS.getActivationStats, datasetId),
  evaluateModel: (datasetId) => ipcRenderer.invoke(COMMAND_CHANNELS.evaluateModel, datasetId),
  predict: (pixels) => ipcRenderer.invoke(COMMAND_CHANNELS.predict, pixels),
  continueTraining: (config, datasetId) => ipcRenderer.invoke(COMMAND_CHANNELS.continueTraining, config, datasetId),
  listModels: () => ipcRenderer.invoke(COMMAND_CHANNELS.listModels),
  saveModel: (name) => ipcRenderer.invoke(COMMAND_CHANNELS.saveModel, name),
  getModelDetails: (id) => ipcRenderer.invoke(COMMAND_CHANNELS.getModelDetails, id),
  loadModel: (id) => ipcRenderer.invoke(COMMAND_CHANNELS.loadModel, id),
  renameModel: (id, name) => ipcRenderer.invoke(COMMAND_CHANNELS.renameModel, id, name),
  duplicateModel: (id, name) => ipcRenderer.invoke(COMMAND_CHANNELS.duplicateModel, id, name),
  deleteModel: (id) => ipcRenderer.invoke(COMMAND_CHANNELS.deleteModel, id),
  exportModel: (id) => ipcRenderer.invoke(COMMAND_CHANNELS.exportModel, id),
  importModel: () => ipcRenderer.invoke(COMMAND_CHANNELS.importModel),
  onRunEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onRunEvent needs a function to call with each run event.');
    // The renderer gets the event only, never Electron's IpcRendererEvent (it carries `sender`).
    const relay = (_event: IpcRendererEvent, runEvent: RunEvent): void => listener(runEvent);
    ipcRenderer.on(RUN_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(RUN_EVENT_CHANNEL, relay);
    };
  },
  startStudy: (request) => ipcRenderer.invoke(COMMAND_CHANNELS.startStudy, request),
  cancelStudyRun: (studyId, runIndex) => ipcRenderer.invoke(COMMAND_CHANNELS.cancelStudyRun, studyId, runIndex),
  cancelStudy: (studyId) => ipcRenderer.invoke(COMMAND_CHANNELS.cancelStudy, studyId),
  listStudies: () => ipcRenderer.invoke(COMMAND_CHANNELS.listStudies),
  openStudy: (studyId) => ipcRenderer.invoke(COMMAND_CHANNELS.openStudy, studyId),
  renameStudy: (studyId, name) => ipcRenderer.invoke(COMMAND_CHANNELS.renameStudy, studyId, name),
  deleteStudy: (studyId) => ipcRenderer.invoke(COMMAND_CHANNELS.deleteStudy, studyId),
  exportFile: (request) => ipcRenderer.invoke(COMMAND_CHANNELS.exportFile, request),
  onStudyEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onStudyEvent needs a function to call with each study event.');
    const relay = (_event: IpcRendererEvent, studyEvent: StudyEvent): void => listener(studyEvent);
    ipcRenderer.on(STUDY_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(STUDY_EVENT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('lab', lab);
