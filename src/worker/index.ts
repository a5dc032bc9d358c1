/**
 * The engine worker's entry point. The same file runs as an Electron utility process (messages via
 * `process.parentPort`) and as a Node child process (`child_process.fork`, messages via
 * `process.send`), so the tests and the app drive the very same code.
 */
import { EngineHost } from './engine-host';
import { ProcessKernels } from './process-kernels';
import { loadDatasetFolder } from '../node/dataset-folder';
import { spawnNodeHelper } from '../node/kernel-threads';
import type { WorkerEvent } from '../shared/engine-protocol';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(event: WorkerEvent): void {
  if (parentPort) parentPort.postMessage(event);
  else if (process.send && process.connected) process.send(event);
}

// One set of kernels for the process's life (see process-kernels.ts); a second thread that fails
// leaves the run on one, and the run says so.
const kernels = new ProcessKernels(spawnNodeHelper, undefined, () => host.helperLost());

const host = new EngineHost({
  send,
  loadDataset: (dir, name) => loadDatasetFolder(dir, { name }),
  getKernels: (choice, threads) => kernels.get(choice, threads),
  helperProblem: () => kernels.helperProblem,
});

if (parentPort) {
  parentPort.on('message', (event) => host.receive(event.data));
} else if (process.send) {
  process.on('message', (message) => host.receive(message));
  // Under child_process, losing the parent means nobody listens any more.
  process.on('disconnect', () => process.exit(0));
} else {
  console.error('The MLP Lab engine worker must be started by the app (utility process) or with child_process.fork.');
  process.exit(2);
}

kernels.get('auto').then(
  (ready) => send({ type: 'ready', kernel: ready.name }),
  (error: unknown) => send({ type: 'ready', kernel: `unavailable: ${String(error)}` }),
);
