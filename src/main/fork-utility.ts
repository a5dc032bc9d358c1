import { app, utilityProcess, type Details } from 'electron';
import type { WorkerHandle } from '../node/engine-supervisor';

/** Numbers each engine process, so `child-process-gone` reports can be told apart. */
let forkCount = 0;

/**
 * The engine processes alive now, by the service name each was forked with. One `app` listener
 * serves them all: a study on a big machine runs a dozen at once, and a listener each would trip
 * Node's MaxListenersExceededWarning at eleven.
 */
const goneByName = new Map<string, (details: Details) => void>();
let listening = false;

/**
 * Electron reports a utility process's `serviceName` option as `details.name`; `details.serviceName`
 * is Chromium's metrics name, 'node.mojom.NodeService' for every utility process
 * (shell/browser/api/electron_api_app.cc, ChildProcessGone).
 */
function relayGone(_event: Electron.Event, details: Details): void {
  if (details.type !== 'Utility' || details.name === undefined) return;
  goneByName.get(details.name)?.(details);
}

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
 *
 * The process starts asynchronously: until its `'spawn'` it has no pid, and Electron's `kill()`
 * then does nothing and returns false, while messages posted meanwhile are queued and delivered.
 * So a kill asked for before `'spawn'` is remembered and done on it; otherwise a study run
 * cancelled as it starts would train on, unseen, until the app quits.
 */
export function forkUtilityWorker(workerPath: string): WorkerHandle {
  if (!listening) {
    app.on('child-process-gone', relayGone);
    listening = true;
  }
  const serviceName = `MLP Lab engine ${++forkCount}`;
  const child = utilityProcess.fork(workerPath, [], { serviceName, stdio: 'inherit' });
  let alive = true;
  let spawned = false;
  let killAsked = false;
  const exitListeners: ((code: number | null, detail: string) => void)[] = [];
  const report = (code: number | null, detail: string): void => {
    if (!alive) return;
    alive = false;
    goneByName.delete(serviceName);
    for (const listener of exitListeners) listener(code, detail);
  };
  // Emitted before `exit` for an abnormal end, with the reason `exit` does not carry.
  goneByName.set(serviceName, (details) => report(details.exitCode, describeGone(details)));
  child.on('exit', (code) => report(code, `exit code ${code}`));
  child.once('spawn', () => {
    spawned = true;
    if (killAsked && alive) child.kill();
  });
  return {
    postMessage(message) {
      // After its exit a utility process drops what is posted; the exit has been (or will be) reported.
      if (alive) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    kill() {
      if (!alive) return;
      if (spawned) child.kill();
      else killAsked = true;
    },
  };
}
