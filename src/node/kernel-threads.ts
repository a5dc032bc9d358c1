import { Worker } from 'node:worker_threads';
import { serveKernelJobs, type HelperInit } from '../engine/kernels/wasm/threads';

/**
 * A helper thread for the WebAssembly kernels under Node (and Electron's utility process): a
 * worker_threads Worker sharing the kernels' memory, running the engine's serveKernelJobs.
 *
 * The worker is started from that function's source text rather than from a file, so that it runs
 * the same under tsx, vitest and a bundle, with no worker file to find. It is unref'd: it never
 * keeps the process alive. It is returned for tests to watch; the kernels take it as a SpawnHelper.
 *
 * A Worker that throws emits 'error', and an 'error' nobody listens to is thrown again in the
 * parent, which would end the whole engine process: the listener is always there, and tells
 * `onFailure` (the kernels then go back to one thread, src/worker/process-kernels.ts).
 */
export const spawnNodeHelper = (init: HelperInit, onFailure: (error: Error) => void = () => {}): Worker => {
  const source = `const { workerData } = require('node:worker_threads');\n(${serveKernelJobs.toString()})(workerData);`;
  const worker = new Worker(source, { eval: true, workerData: init });
  worker.on('error', onFailure);
  worker.unref();
  return worker;
};
