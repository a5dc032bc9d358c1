// The utility-process stand-in keeps the rules it cites from Electron's source
// (test/helpers/fake-utility-process.ts); the adapter's tests rely on each of them.
import { describe, expect, it } from 'vitest';
import { createFakeElectronProcesses, NODE_SERVICE_METRICS_NAME } from '../helpers/fake-utility-process';

describe('the fake utilityProcess, as Electron 40 behaves', () => {
  it("spawns on a later turn of the event loop, not inside fork()", async () => {
    const { utilityProcess, children } = createFakeElectronProcesses();
    const child = utilityProcess.fork('/w.js', [], { serviceName: 'x' });
    const spawned: number[] = [];
    child.on('spawn', () => spawned.push(child.pid!));
    expect(child.pid).toBeUndefined();
    expect(spawned).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(spawned).toHaveLength(1);
    expect(children).toEqual([child]);
  });

  it('kill() is false without a pid (before spawn, after exit); a kill exits with code 0', async () => {
    const { utilityProcess } = createFakeElectronProcesses({ launch: 'by-test' });
    const child = utilityProcess.fork('/w.js');
    const exits: number[] = [];
    child.on('exit', (code: number) => exits.push(code));
    expect(child.kill()).toBe(false);
    child.launch();
    expect(child.kill()).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([0]);
    expect(child.kill()).toBe(false);
  });

  it('queues what is posted before spawn, drops it after exit, and refuses shared memory like V8', () => {
    const { utilityProcess } = createFakeElectronProcesses({ launch: 'by-test' });
    const child = utilityProcess.fork('/w.js');
    child.postMessage({ n: 1 });
    expect(child.delivered).toEqual([]);
    child.launch();
    child.postMessage({ n: 2 });
    expect(child.delivered).toEqual([{ n: 1 }, { n: 2 }]);
    expect(() => child.postMessage({ view: new Float32Array(new SharedArrayBuffer(8)) })).toThrow(/could not be cloned/);
    child.exitWith(0);
    child.postMessage({ n: 3 });
    expect(child.delivered).toHaveLength(2);
  });

  it('child-process-gone comes before exit, with the fork\'s serviceName as name and the metrics name as serviceName', () => {
    const { app, utilityProcess } = createFakeElectronProcesses({ launch: 'by-test' });
    const seen: unknown[] = [];
    app.on('child-process-gone', (_event: unknown, details: unknown) => seen.push(details));
    const named = utilityProcess.fork('/w.js', [], { serviceName: 'MLP Lab engine 7' });
    const unnamed = utilityProcess.fork('/w.js');
    named.on('exit', (code: number) => seen.push(`exit ${code}`));
    named.launch();
    unnamed.launch();
    named.die('oom', 134);
    unnamed.exitWith(0);
    expect(seen).toEqual([
      { type: 'Utility', reason: 'oom', exitCode: 134, serviceName: NODE_SERVICE_METRICS_NAME, name: 'MLP Lab engine 7' },
      'exit 134',
    ]);
    const other = utilityProcess.fork('/w.js');
    other.launch();
    other.exitWith(3);
    expect(seen.at(-1)).toEqual({ type: 'Utility', reason: 'abnormal-exit', exitCode: 3, serviceName: NODE_SERVICE_METRICS_NAME, name: 'Node Utility Process' });
  });
});
