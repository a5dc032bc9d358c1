/**
 * Runs a worker file as Electron runs it in a utility process, under plain Node: the process gets
 * `process.parentPort` (electron-parent-port-preload.cjs) and every message both ways is copied by
 * Electron's rules, which are stricter than Node's `serialization: 'advanced'`: a SharedArrayBuffer
 * (or a view of one, or of a shared WebAssembly memory) cannot be posted, and a view carries its
 * whole buffer. So the worker's `parentPort` branch, the one the app runs, is what is tested.
 *
 * The handle is the supervisor's WorkerHandle, with the utility process's manners: messages posted
 * before the process is up are queued, a kill is reported as exit code 0.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Deserializer, Serializer } from 'node:v8';
import type { WorkerHandle } from '../../src/node/engine-supervisor';

const PRELOAD = join(import.meta.dirname, 'electron-parent-port-preload.cjs');

/** What utilityProcess.postMessage does to a message (electron::SerializeV8Value): V8's serializer, no shared memory. */
export function serializeAsElectron(value: unknown): Buffer {
  const serializer = new Serializer();
  serializer.writeHeader();
  serializer.writeValue(value);
  return serializer.releaseBuffer();
}

export function deserializeAsElectron(bytes: Uint8Array): unknown {
  const deserializer = new Deserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}

export interface ParentPortWorker extends WorkerHandle {
  /** Bytes of every message the worker posted, for tests that look at what crossed. */
  readonly receivedBytes: number[];
  readonly pid: number | undefined;
}

export function forkWithParentPort(workerPath: string): ParentPortWorker {
  const child = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--require', PRELOAD], serialization: 'advanced' });
  let alive = true;
  let killed = false;
  const receivedBytes: number[] = [];
  const exitListeners: ((code: number | null, detail: string) => void)[] = [];
  child.on('exit', (code, signal) => {
    if (!alive) return;
    alive = false;
    // Electron reports a process it killed as exit code 0 (UtilityProcessWrapper::HandleTermination).
    const reported = killed && signal !== null ? 0 : code;
    for (const listener of exitListeners) listener(reported, `exit code ${reported}`);
  });
  return {
    receivedBytes,
    get pid() {
      return child.pid;
    },
    postMessage(message) {
      // Serialised here, as Electron does in the main process: an uncloneable message throws to the caller.
      const bytes = serializeAsElectron(message);
      if (alive && child.connected) child.send({ electronMessage: bytes });
    },
    onMessage(listener) {
      child.on('message', (envelope: { electronMessage?: Uint8Array }) => {
        if (!(envelope?.electronMessage instanceof Uint8Array)) throw new Error(`The worker bypassed parentPort: ${JSON.stringify(envelope).slice(0, 200)}`);
        receivedBytes.push(envelope.electronMessage.byteLength);
        listener(deserializeAsElectron(envelope.electronMessage));
      });
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    kill() {
      if (!alive) return;
      killed = true;
      child.kill();
    },
  };
}
