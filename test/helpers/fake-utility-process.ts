/**
 * A stand-in for Electron's `utilityProcess.fork` and for `app`'s `child-process-gone`, as unkind as
 * Electron 40 is. Each rule below was read in Electron's source (electron/electron, main branch,
 * checked against the 40 docs); a test that uses this fake gets the behaviour a user's machine has.
 *
 * - `fork()` returns at once; the process has no pid until `'spawn'`, which comes later, from
 *   Chromium's launch callback (UtilityProcessWrapper::OnServiceProcessLaunch).
 * - `kill()` returns false and does nothing while there is no pid, that is before `'spawn'` and
 *   after `'exit'` (UtilityProcessWrapper::Kill: `if (pid_ == kNullProcessId) return false`).
 * - A process ended by `kill()` exits with code 0: Electron maps SIGTERM to 0 for a kill it made
 *   (UtilityProcessWrapper::HandleTermination).
 * - `postMessage` before `'spawn'` is queued on the message pipe and delivered once the process
 *   runs; after `'exit'` it is dropped without an error (the JS wrapper's handle is null).
 *   Messages are structured-cloned with V8's serializer (electron::SerializeV8Value), which throws
 *   on a SharedArrayBuffer, so posting one throws here too.
 * - An abnormal end (crash, out of memory, killed by the system) makes `app` emit
 *   `child-process-gone` first, with `{type: 'Utility', reason, exitCode, serviceName, name}`:
 *   `serviceName` is Chromium's metrics name, 'node.mojom.NodeService' for every utility process,
 *   and `name` is the fork's `serviceName` option (default 'Node Utility Process')
 *   (App::BrowserChildProcessCrashed/Killed → ChildProcessGone). Then `'exit'`.
 *
 * The TypeScript shapes come from Electron's own `electron.d.ts`, so a renamed field fails the
 * type check.
 */
import { EventEmitter } from 'node:events';
import type { Details, ForkOptions, UtilityProcess } from 'electron';
import { deserializeAsElectron, serializeAsElectron } from './electron-parent-port';

/** The metrics name Chromium gives every Node utility process. */
export const NODE_SERVICE_METRICS_NAME = 'node.mojom.NodeService';

/**
 * Electron's copy of a posted message: V8's plain serializer, which refuses a SharedArrayBuffer
 * (node:v8's serialize() would not: its DefaultSerializer copies a view's bytes, shared or not).
 */
function cloneAsElectronDoes(message: unknown): unknown {
  return deserializeAsElectron(serializeAsElectron(message));
}

export class FakeUtilityProcess extends EventEmitter implements Pick<UtilityProcess, 'kill' | 'postMessage' | 'pid'> {
  pid: number | undefined = undefined;
  /** What the process has received, in order (only once it runs). */
  readonly delivered: unknown[] = [];
  /** Every kill() call, with what it returned. */
  readonly kills: boolean[] = [];
  private queued: unknown[] = [];
  private exited = false;
  private killed = false;

  constructor(
    private readonly fakeApp: EventEmitter,
    readonly modulePath: string,
    readonly options: ForkOptions,
  ) {
    super();
  }

  /** The fork's `serviceName` as `child-process-gone` reports it in `name`. */
  get reportedName(): string {
    return this.options.serviceName ?? 'Node Utility Process';
  }

  postMessage(message: unknown): void {
    if (this.exited) return;
    const copy = cloneAsElectronDoes(message);
    if (this.pid === undefined) this.queued.push(copy);
    else this.delivered.push(copy);
  }

  kill(): boolean {
    const result = this.pid !== undefined;
    this.kills.push(result);
    if (result) {
      this.killed = true;
      // Terminated gracefully: the exit follows, asynchronously, as code 0.
      setImmediate(() => this.end(0));
    }
    return result;
  }

  /** Chromium has launched the process: it gets a pid, `'spawn'`, and the queued messages. */
  launch(pid = 4242): void {
    if (this.exited || this.pid !== undefined) throw new Error('FakeUtilityProcess: launched twice or after its exit');
    this.pid = pid;
    this.delivered.push(...this.queued);
    this.queued = [];
    this.emit('spawn');
  }

  /** The process posts to its parent (through `process.parentPort` in the real one). */
  send(message: unknown): void {
    if (this.pid === undefined || this.exited) throw new Error('FakeUtilityProcess: only a running process can send');
    this.emit('message', cloneAsElectronDoes(message));
  }

  /** The process ends by itself with this code (`process.exit(code)`); no `child-process-gone` for 0. */
  exitWith(code: number): void {
    if (code !== 0) this.gone('abnormal-exit', code);
    this.end(code);
  }

  /** The process dies: `child-process-gone` with the reason, then `'exit'`. */
  die(reason: Details['reason'], exitCode: number): void {
    this.gone(reason, exitCode);
    this.end(exitCode);
  }

  get wasKilled(): boolean {
    return this.killed;
  }

  private gone(reason: Details['reason'], exitCode: number): void {
    const details: Details = { type: 'Utility', reason, exitCode, serviceName: NODE_SERVICE_METRICS_NAME, name: this.reportedName };
    this.fakeApp.emit('child-process-gone', { preventDefault() {} }, details);
  }

  private end(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.pid = undefined;
    this.emit('exit', code);
  }
}

/**
 * `app` and `utilityProcess` for `vi.mock('electron', …)`. With `launch: 'soon'` (the default) every
 * fork spawns on a later turn of the event loop, as a real one does; with `'by-test'` the test
 * calls `launch()` itself, to act in the gap before it.
 */
export function createFakeElectronProcesses(settings: { launch?: 'soon' | 'by-test' } = {}) {
  const app = new EventEmitter();
  const children: FakeUtilityProcess[] = [];
  const utilityProcess = {
    fork(modulePath: string, _args?: string[], options: ForkOptions = {}): FakeUtilityProcess {
      const child = new FakeUtilityProcess(app, modulePath, options);
      children.push(child);
      if ((settings.launch ?? 'soon') === 'soon') setTimeout(() => child.launch(4000 + children.length), 1);
      return child;
    },
  };
  return { app, utilityProcess, children };
}
