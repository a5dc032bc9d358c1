import { beforeEach, describe, expect, it, vi } from 'vitest';

/** Stand-ins for Electron's `app` and the utility process children it forks. */
const electron = vi.hoisted(() => {
  // vi.hoisted runs before the imports, so it loads EventEmitter itself.
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  class FakeChild extends Emitter {
    posted: unknown[] = [];
    killed = false;
    postMessage(message: unknown): void {
      this.posted.push(message);
    }
    kill(): boolean {
      this.killed = true;
      return true;
    }
  }
  const children: { child: FakeChild; serviceName: string }[] = [];
  return {
    app: new Emitter(),
    children,
    utilityProcess: {
      fork: (_path: string, _args: string[], options: { serviceName: string }) => {
        const child = new FakeChild();
        children.push({ child, serviceName: options.serviceName });
        return child;
      },
    },
  };
});
vi.mock('electron', () => ({ app: electron.app, utilityProcess: electron.utilityProcess }));

const { forkUtilityWorker } = await import('../../src/main/fork-utility');

function gone(serviceName: string, reason: string, exitCode: number): void {
  electron.app.emit('child-process-gone', {}, { type: 'Utility', reason, exitCode, serviceName });
}

describe('the utility-process fork adapter', () => {
  beforeEach(() => {
    electron.children.length = 0;
    electron.app.removeAllListeners();
  });

  it('gives every engine process its own service name and relays messages both ways', () => {
    const a = forkUtilityWorker('/w.js');
    forkUtilityWorker('/w.js');
    const [first, second] = electron.children;
    expect(first.serviceName).not.toBe(second.serviceName);
    const received: unknown[] = [];
    a.onMessage((m) => received.push(m));
    first.child.emit('message', { type: 'ready' });
    a.postMessage({ type: 'stop', runId: 1 });
    expect(received).toEqual([{ type: 'ready' }]);
    expect(first.child.posted).toEqual([{ type: 'stop', runId: 1 }]);
  });

  it('reports a crash once, with child-process-gone\'s reason, and ignores other processes', () => {
    const handle = forkUtilityWorker('/w.js');
    forkUtilityWorker('/w.js');
    const [mine, other] = electron.children;
    const exits: [number | null, string][] = [];
    handle.onExit((code, detail) => exits.push([code, detail]));
    gone(other.serviceName, 'crashed', 11);
    expect(exits).toEqual([]);
    gone(mine.serviceName, 'oom', 134);
    mine.child.emit('exit', 134);
    expect(exits).toEqual([[134, 'it ran out of memory: try a smaller network or batch']]);
    // Nothing is posted to a process that is gone.
    handle.postMessage({ type: 'pause', runId: 1 });
    expect(mine.child.posted).toEqual([]);
    // Each handle stops listening once its process is gone.
    expect(electron.app.listenerCount('child-process-gone')).toBe(0);
  });

  it('a plain exit is reported with its code', () => {
    const handle = forkUtilityWorker('/w.js');
    const exits: string[] = [];
    handle.onExit((_code, detail) => exits.push(detail));
    electron.children[0].child.emit('exit', 3);
    expect(exits).toEqual(['exit code 3']);
    expect(electron.app.listenerCount('child-process-gone')).toBe(0);
  });

  it('kill ends a live process only', () => {
    const handle = forkUtilityWorker('/w.js');
    handle.kill();
    expect(electron.children[0].child.killed).toBe(true);
  });
});
