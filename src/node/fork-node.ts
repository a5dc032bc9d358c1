import { fork } from 'node:child_process';
import type { WorkerHandle } from './engine-supervisor';

/**
 * Starts the engine worker as a Node child process: how the tests, the end-to-end bridge and any
 * Node host run the very file the app runs as an Electron utility process.
 */
export function forkNodeWorker(workerPath: string, execArgv: string[] = []): WorkerHandle {
  // 'advanced' (structured clone) like Electron's utilityProcess: typed arrays (weights, images)
  // and NaN arrive as sent, where JSON would turn them into objects and null.
  const child = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, serialization: 'advanced' });
  let alive = true;
  const exitListeners: ((code: number | null, detail: string) => void)[] = [];
  let exitReported = false;
  const reportExit = (code: number | null, detail: string): void => {
    alive = false;
    if (exitReported) return;
    exitReported = true;
    for (const listener of exitListeners) listener(code, detail);
  };
  child.on('exit', (code, signal) => reportExit(code, signal ? `killed by ${signal}` : `exit code ${code}`));
  child.on('error', (error) => reportExit(null, error.message));
  return {
    postMessage(message) {
      // Writing to a dead process throws; the supervisor reports the exit instead.
      if (alive && child.connected) child.send(message as object);
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
