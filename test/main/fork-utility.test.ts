import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeUtilityProcess } from '../helpers/fake-utility-process';

// Electron's `app` and `utilityProcess`, as unkind as the real ones (see the helper); each fork is
// launched by the test, to act in the gap before its 'spawn'.
vi.mock('electron', async () => {
  const { createFakeElectronProcesses } = await import('../helpers/fake-utility-process');
  return createFakeElectronProcesses({ launch: 'by-test' });
});

const electron = (await import('electron')) as unknown as { app: import('node:events').EventEmitter; children: FakeUtilityProcess[] };
const { forkUtilityWorker } = await import('../../src/main/fork-utility');

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the utility-process fork adapter', () => {
  beforeEach(() => {
    electron.children.length = 0;
  });

  it('gives every engine process its own service name and relays messages both ways, queued until spawn', () => {
    const a = forkUtilityWorker('/w.js');
    forkUtilityWorker('/w.js');
    const [first, second] = electron.children;
    expect(first.options.serviceName).not.toBe(second.options.serviceName);
    const received: unknown[] = [];
    a.onMessage((m) => received.push(m));
    a.postMessage({ type: 'stop', runId: 1 });
    expect(first.delivered).toEqual([]);
    first.launch();
    first.send({ type: 'ready' });
    expect(received).toEqual([{ type: 'ready' }]);
    expect(first.delivered).toEqual([{ type: 'stop', runId: 1 }]);
  });

  it("reports a crash once, with child-process-gone's reason matched on details.name, and ignores other processes", () => {
    const handle = forkUtilityWorker('/w.js');
    forkUtilityWorker('/w.js');
    const [mine, other] = electron.children;
    mine.launch();
    other.launch();
    const exits: [number | null, string][] = [];
    handle.onExit((code, detail) => exits.push([code, detail]));
    other.die('crashed', 11);
    expect(exits).toEqual([]);
    mine.die('oom', 134);
    expect(exits).toEqual([[134, 'it ran out of memory: try a smaller network or batch']]);
    // Nothing is posted to a process that is gone.
    handle.postMessage({ type: 'pause', runId: 1 });
    expect(mine.delivered).toEqual([]);
  });

  it('a plain exit is reported with its code, an abnormal one with its reason', () => {
    const clean = forkUtilityWorker('/w.js');
    const failing = forkUtilityWorker('/w.js');
    const exits: string[] = [];
    clean.onExit((_code, detail) => exits.push(detail));
    failing.onExit((_code, detail) => exits.push(detail));
    electron.children[0].launch();
    electron.children[1].launch();
    electron.children[0].exitWith(0);
    electron.children[1].exitWith(3);
    expect(exits).toEqual(['exit code 0', 'abnormal-exit, exit code 3']);
  });

  it('kill ends a live process, reported as exit code 0 as Electron does', async () => {
    const handle = forkUtilityWorker('/w.js');
    const exits: (number | null)[] = [];
    handle.onExit((code) => exits.push(code));
    electron.children[0].launch();
    handle.kill();
    await nextTurn();
    expect(electron.children[0].kills).toEqual([true]);
    expect(exits).toEqual([0]);
  });

  it('a kill asked for before spawn (when Electron would refuse it) is done as soon as the process spawns', async () => {
    const handle = forkUtilityWorker('/w.js');
    const child = electron.children[0];
    handle.postMessage({ type: 'start', runId: 1 });
    handle.kill();
    // Electron's own kill() would have returned false here; the adapter does not call it yet.
    expect(child.kills).toEqual([]);
    child.launch();
    expect(child.kills).toEqual([true]);
    await nextTurn();
    expect(child.wasKilled).toBe(true);
  });

  it('a process that never launches is not killed later, and its end is still reported', () => {
    const handle = forkUtilityWorker('/w.js');
    const exits: string[] = [];
    handle.onExit((_code, detail) => exits.push(detail));
    handle.kill();
    electron.children[0].die('launch-failed', 1);
    expect(exits).toEqual(['it could not be started']);
    expect(electron.children[0].kills).toEqual([]);
  });

  it('many engines share one app listener, and a gone one is forgotten', () => {
    const before = electron.app.listenerCount('child-process-gone');
    const handles = Array.from({ length: 16 }, () => forkUtilityWorker('/w.js'));
    expect(electron.app.listenerCount('child-process-gone')).toBe(Math.max(before, 1));
    const exits: string[] = [];
    handles[15].onExit((_code, detail) => exits.push(detail));
    for (const child of electron.children) child.launch();
    electron.children[15].die('crashed', 139);
    electron.children[15].die('crashed', 139);
    expect(exits).toEqual(['it crashed (exit code 139)']);
  });
});
