// A study run cancelled the moment it starts, on Electron's utility processes (the stand-in of
// test/helpers/fake-utility-process.ts, launching on its own a moment later as Electron does):
// Electron's kill() does nothing before 'spawn', so without the adapter's kill-on-spawn the engine
// would have trained on, unseen, until the app quit (finding 3 of issue 12).
import { describe, expect, it, vi } from 'vitest';
import { PRESETS } from '../../src/engine/training/run-config';
import { createSupervisedRunStarter } from '../../src/node/study-run-starter';
import type { FakeUtilityProcess } from '../helpers/fake-utility-process';

vi.mock('electron', async () => {
  const { createFakeElectronProcesses } = await import('../helpers/fake-utility-process');
  return createFakeElectronProcesses();
});

const { children } = (await import('electron')) as unknown as { children: FakeUtilityProcess[] };
const { forkUtilityWorker } = await import('../../src/main/fork-utility');

describe('a study run cancelled as it starts, on utility processes', () => {
  it('ends its engine process once it has spawned, and reports nothing more', async () => {
    const startRun = createSupervisedRunStarter({ fork: () => forkUtilityWorker('/out/main/worker.js'), dataset: { dir: '/mnist', name: 'MNIST', id: 'mnist' } });
    const events: unknown[] = [];
    const run = startRun({ ...PRESETS.blog, epochs: 1 }, (event) => events.push(event));
    run.cancel();
    const [engine] = children;
    // Not yet spawned: Electron's kill() would have returned false here and been forgotten.
    expect(engine.pid).toBeUndefined();
    expect(engine.kills).toEqual([]);
    await vi.waitFor(() => expect(engine.wasKilled).toBe(true));
    expect(engine.kills).toEqual([true]);
    await vi.waitFor(() => expect(engine.pid).toBeUndefined());
    expect(events).toEqual([]);
  });
});
