import { utilityProcess } from 'electron';
import type { WorkerHandle } from './engine-supervisor';

/**
 * Starts the engine worker as an Electron utility process: a Node-capable process of the app's
 * own, outside the renderer and off the main process's event loop.
 */
export function forkUtilityWorker(workerPath: string): WorkerHandle {
  const child = utilityProcess.fork(workerPath, [], { serviceName: 'MLP Lab engine', stdio: 'inherit' });
  let alive = true;
  const exitListeners: ((code: number | null, detail: string) => void)[] = [];
  child.on('exit', (code) => {
    alive = false;
    for (const listener of exitListeners) listener(code, `exit code ${code}`);
  });
  return {
    postMessage(message) {
      // Posting to an exited utility process throws; the exit has been (or will be) reported.
      if (alive) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    kill() {
      if (alive) child.kill();
    },
  };
}
