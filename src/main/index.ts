/**
 * The app's lifecycle: one window, one engine supervisor, the IPC handlers between them, and a quiet
 * shutdown of the engine on quit.
 */
import { app, dialog, ipcMain, net, protocol, session, BrowserWindow } from 'electron';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMnistDir, loadDatasetFolderAsync } from '../node/dataset-folder';
import { resolveAppPage } from './app-page';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { builtInMnistDir, createDatasetsService } from './datasets';
import { createEngineSupervisor } from '../node/engine-supervisor';
import { chooseDatasetFolder } from './folder-dialog';
import { forkUtilityWorker } from './fork-utility';
import { createLabHandlers } from './handlers/ipc-handlers';
import { join as joinPath } from 'node:path';
import { createModelDialogs } from './model-dialogs';
import { createModelStore } from './model-store';
import { createRecentRuns } from './recent-runs';
import { registerLabHandlers, sendFullScreen, sendRunEvent, sendStudyEvent } from './handlers/ipc-register';
import { relayFullScreen } from './full-screen';
import { saveExportWithDialog } from './export-dialog';
import { createSupervisedRunStarter } from '../node/study-run-starter';
import { createStudyService } from './study-service';
import { createStudyStore } from './study-store';
import { denyNavigation, denyPermissions } from './security';
import { createMainWindow } from './window';
import { createLessonDialogs } from './lesson-dialogs';
import { askBeforeLosingLesson } from './unsaved-unload';
import { createLessonInbox, lessonPathFromArgv } from './lesson-launch';
import { readLessonFile, writeLessonFile } from '../node/lesson-file-io';

const fromHere = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

// Every renderer is sandboxed, whatever a window's own options say.
app.enableSandbox();
// Electron takes the scheme's privileges only before 'ready', and only once.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  // Lesson files handed to the app: on the command line (Windows and Linux open an associated file
  // this way), in a second launch's command line, or by macOS's 'open-file', which may come before
  // 'ready', so it is listened to from the start.
  const lessonInbox = createLessonInbox();
  const launchLesson = lessonPathFromArgv(process.argv, process.cwd());
  if (launchLesson !== null) lessonInbox.offer(launchLesson);
  app.on('open-file', (event, path) => {
    event.preventDefault();
    lessonInbox.offer(path);
  });

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const lesson = lessonPathFromArgv(argv, workingDirectory);
    if (lesson !== null) lessonInbox.offer(lesson);
    if (window === null || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => denyNavigation(contents));
  // The one window is the whole app, so closing it quits, on macOS too.
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    denyPermissions(session.defaultSession);

    const page = resolveAppPage({
      builtRendererDir: fromHere('../renderer'),
      isPackaged: app.isPackaged,
      devServerUrl: process.env['ELECTRON_RENDERER_URL'],
    });
    if (page.kind === 'app-protocol') protocol.handle(APP_SCHEME, createAppProtocolHandler(page.root, (fileUrl) => net.fetch(fileUrl)));
    const engine = createEngineSupervisor({
      fork: () => forkUtilityWorker(fromHere('./worker.js')),
      emit: (event) => sendRunEvent(window, event),
      // The one interactive run may use both cores (studies keep one thread a run).
      threads: availableParallelism() >= 2 ? 2 : 1,
    });
    app.on('before-quit', () => engine.dispose());

    const datasets = createDatasetsService({
      builtInDir: builtInMnistDir(app.isPackaged, process.resourcesPath, defaultMnistDir),
      // Read off the main thread, within the dataset limits: the window never waits on a large folder.
      load: loadDatasetFolderAsync,
      chooseFolder: () => chooseDatasetFolder(window),
    });
    // The two library folders: no export may write into either, whatever links lead there.
    const libraries = [joinPath(app.getPath('userData'), 'models'), join(app.getPath('userData'), 'studies'), join(app.getPath('userData'), 'recent-runs')];
    const models = createModelStore({ dir: libraries[0], protectedDirs: libraries });
    const insight = {
      engine,
      images: (id: string) => datasets.images(id),
      models,
      dialogs: createModelDialogs(() => window),
    };
    const recentRuns = { engine, recent: createRecentRuns({ store: createModelStore({ dir: libraries[2], protectedDirs: libraries }), models }) };
    const studies = createStudyService({
      store: createStudyStore(libraries[1]),
      emit: (event) => sendStudyEvent(window, event),
      parallel: availableParallelism(),
      log: (message) => console.error(message),
    });
    app.on('before-quit', () => studies.dispose());
    const studyDeps = {
      studies,
      runStarter: (dataset: Parameters<typeof createSupervisedRunStarter>[0]['dataset']) =>
        createSupervisedRunStarter({ fork: () => forkUtilityWorker(fromHere('./worker.js')), dataset }),
      saveExport: (request: Parameters<typeof saveExportWithDialog>[1]) => saveExportWithDialog(window, request, libraries),
    };
    const lessons = {
      dialogs: createLessonDialogs(() => window),
      inbox: lessonInbox,
      read: (path: string) => readLessonFile(path),
      write: writeLessonFile,
      engine,
      protectedDirs: libraries,
    };
    registerLabHandlers(ipcMain, createLabHandlers({ appPageUrl: page.url, datasets, insight, recentRuns, engine, studies: studyDeps, lessons, window: () => window }), () => window);

    window = createMainWindow(fromHere('../preload/index.cjs'), page);
    const shown = window;
    askBeforeLosingLesson(shown, (options) => dialog.showMessageBoxSync(shown, options));
    relayFullScreen(shown, (fullScreen) => sendFullScreen(shown, fullScreen));
    window.on('closed', () => {
      window = null;
    });
  });
}
