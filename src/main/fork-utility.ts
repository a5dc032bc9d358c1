import { app, utilityProcess, type Details } from 'electron';
import type { WorkerHandle } from '../node/engine-supervisor';

/** Numbers each engine process, so `child-process-gone` reports can be told apart. */
let forkCount = 0;

/** Says why a utility process went away, in words a user can take in. */
export function describeGone(details: Pick<Details, 'reason' | 'exitCode'>): string {
  switch (details.reason) {
    case 'oom':
      return 'it ran out of memory: try a smaller network or batch';
    case 'crashed':
      return `it crashed (exit code ${details.exitCode})`;
    case 'killed':
      return 'it was killed by the system';
    case 'launch-failed':
      return 'it could not be started';
    default:
      return `${details.reason}, exit code ${details.exitCode}`;
  }
}

/**
 * Starts the engine worker as an Electron utility process: a Node-capable process of the app's
 * own, outside the renderer and off the main process's event loop. Its end is reported once, with
 * the reason from `child-process-gone` (crash, out of memory, …) when Electron gives one, else
 * from `exit`.
 */
export function forkUtilityWorker(workerPath: string): WorkerHandle {
  const serviceName = `MLP Lab engine ${++forkCount}`;
  const child = utilityProcess.fork(workerPath, [], { serviceName, stdio: 'inherit' });
  let alive = true;
  const exitListeners: ((code: number | null, detail: string) => void)[] = [];
  const report = (code: number | null, detail: string): void => {
    if (!alive) return;
    alive = false;
    app.off('child-process-gone', onGone);
    for (const listener of exitListeners) listener(code, detail);
  };
  // Emitted before `exit` for an abnormal end, with the reason `exit` does not carry.
  const onGone = (_event: Electron.Event, details: Details): void => {
    if (details.type === 'Utility' && details.serviceName === serviceName) report(details.exitCode, describeGone(details));
  };
  app.on('child-process-gone', onGone);
  child.on('exit', (code) => report(code, `exit code ${code}`));
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
