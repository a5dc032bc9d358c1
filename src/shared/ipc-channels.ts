/**
 * The IPC channel names behind `window.lab`. Only the preload and main use them; the renderer sees
 * named methods, never a channel.
 */
import type { LabApi } from './lab-api';

/** The `window.lab` methods that are a request with an answer (everything but the event feed). */
export type LabCommand = Exclude<keyof LabApi, 'onRunEvent' | 'onStudyEvent' | 'onFullScreenChange'>;

export const COMMAND_CHANNELS: Readonly<Record<LabCommand, string>> = {
  listDatasets: 'lab:list-datasets',
  openDatasetFolder: 'lab:open-dataset-folder',
  startRun: 'lab:start-run',
  pause: 'lab:pause',
  resume: 'lab:resume',
  stop: 'lab:stop',
  setPace: 'lab:set-pace',
  step: 'lab:step',
  getImages: 'lab:get-images',
  getImagesAt: 'lab:get-images-at',
  getClassCounts: 'lab:get-class-counts',
  getCurrentModel: 'lab:get-current-model',
  getActivationStats: 'lab:get-activation-stats',
  evaluateModel: 'lab:evaluate-model',
  predict: 'lab:predict',
  getHiddenOutputs: 'lab:get-hidden-outputs',
  continueTraining: 'lab:continue-training',
  listModels: 'lab:list-models',
  saveModel: 'lab:save-model',
  getModelDetails: 'lab:get-model-details',
  loadModel: 'lab:load-model',
  renameModel: 'lab:rename-model',
  duplicateModel: 'lab:duplicate-model',
  deleteModel: 'lab:delete-model',
  exportModel: 'lab:export-model',
  exportModelOnnx: 'lab:export-model-onnx',
  importModel: 'lab:import-model',
  keepRecentRun: 'lab:keep-recent-run',
  listRecentRuns: 'lab:list-recent-runs',
  saveRecentRun: 'lab:save-recent-run',
  dropRecentRun: 'lab:drop-recent-run',
  startStudy: 'lab:start-study',
  cancelStudyRun: 'lab:cancel-study-run',
  cancelStudy: 'lab:cancel-study',
  listStudies: 'lab:list-studies',
  openStudy: 'lab:open-study',
  renameStudy: 'lab:rename-study',
  deleteStudy: 'lab:delete-study',
  exportFile: 'lab:export-file',
  openLesson: 'lab:open-lesson',
  nextLessonFile: 'lab:next-lesson-file',
  saveLesson: 'lab:save-lesson',
  openLessonToEdit: 'lab:open-lesson-to-edit',
  saveEditedLesson: 'lab:save-edited-lesson',
  openLessonDataset: 'lab:open-lesson-dataset',
  openDroppedLesson: 'lab:open-dropped-lesson',
  useLessonModel: 'lab:use-lesson-model',
  endLesson: 'lab:end-lesson',
  setFullScreen: 'lab:set-full-screen',
  isFullScreen: 'lab:is-full-screen',
};

/** Main → renderer: one `RunEvent` per message. */
export const RUN_EVENT_CHANNEL = 'lab:run-event';

/** Main → renderer: one `StudyEvent` per message. */
export const STUDY_EVENT_CHANNEL = 'lab:study-event';

/** Main → renderer: the window entered (true) or left (false) full screen, whoever asked. */
export const FULL_SCREEN_EVENT_CHANNEL = 'lab:full-screen';
