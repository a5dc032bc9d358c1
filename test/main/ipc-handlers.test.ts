/**
 * The IPC handlers, driven through the real registration with `electron` mocked: each command is
 * refused unless it comes from the top frame of the app's window showing the app page, and every
 * payload is checked before it reaches the engine.
 */
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_CHANNELS, RUN_EVENT_CHANNEL, type LabCommand } from '../../src/shared/ipc-channels';
import type { CommandResult, DatasetInfo, OpenDatasetResult, RunEvent } from '../../src/shared/lab-api';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import type { DatasetsService, KnownDataset } from '../../src/main/datasets';

vi.mock('electron', () => ({}));

const { createLabHandlers } = await import('../../src/main/handlers/ipc-handlers');
const { registerLabHandlers, sendRunEvent } = await import('../../src/main/handlers/ipc-register');

const APP_URL = 'app://mlp-lab/index.html';

const MNIST: KnownDataset = {
  info: { id: 'mnist', name: 'MNIST', source: 'built-in', trainCount: 60000, testCount: 10000, rows: 28, cols: 28, classes: 10 },
  ref: { id: 'mnist', name: 'MNIST', dir: '/data/mnist' },
};

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

/** The app as main sees it: one window, a fake ipcMain, a fake engine and datasets. */
function setup() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  const mainFrame = { url: APP_URL, parent: null };
  const webContents = { mainFrame, send: vi.fn() };
  let destroyed = false;
  const window = { webContents, isDestroyed: () => destroyed };
  const engine = {
    start: vi.fn((_config: RunConfig, _dataset: KnownDataset['ref']): CommandResult => ({ ok: true })),
    pause: vi.fn((): CommandResult => ({ ok: true })),
    resume: vi.fn((): CommandResult => ({ ok: true })),
    stop: vi.fn((): CommandResult => ({ ok: false, message: 'No run is in progress.' })),
    setPace: vi.fn((_batchesPerSecond: number | null): CommandResult => ({ ok: true })),
    step: vi.fn((): CommandResult => ({ ok: false, message: 'No run is in progress.' })),
  };
  const datasets: DatasetsService = {
    list: vi.fn(async (): Promise<DatasetInfo[]> => [MNIST.info]),
    openFolder: vi.fn(async (): Promise<OpenDatasetResult> => ({ ok: false, canceled: true })),
    openFolderAt: vi.fn(async (): Promise<OpenDatasetResult> => ({ ok: false, canceled: true })),
    find: vi.fn(async (id: string) => (id === 'mnist' ? MNIST : undefined)),
  };
  const unregister = registerLabHandlers(
    ipcMain as never,
    createLabHandlers({ appPageUrl: APP_URL, datasets, engine }),
    () => window as never,
  );

  /** Invokes a command as the renderer would, from `frame` of `sender` (our window's main frame by default). */
  const invoke = (command: LabCommand, args: unknown[] = [], from: { sender?: unknown; senderFrame?: unknown } = {}) => {
    const handler = handlers.get(COMMAND_CHANNELS[command]);
    if (!handler) throw new Error(`${command} is not registered`);
    const event = { sender: 'sender' in from ? from.sender : webContents, senderFrame: 'senderFrame' in from ? from.senderFrame : mainFrame };
    return handler(event, ...args);
  };
  return { handlers, invoke, engine, datasets, window, webContents, mainFrame, unregister, destroy: () => (destroyed = true) };
}

describe('registration', () => {
  it('handles exactly one channel per window.lab command, and can remove them all', () => {
    const app = setup();
    expect([...app.handlers.keys()].sort()).toEqual(Object.values(COMMAND_CHANNELS).sort());
    app.unregister();
    expect(app.handlers.size).toBe(0);
  });
});

describe('sender checks', () => {
  const commands = Object.keys(COMMAND_CHANNELS) as LabCommand[];

  it('answers the app window\'s main frame', async () => {
    const app = setup();
    await expect(app.invoke('listDatasets')).resolves.toEqual([MNIST.info]);
    await expect(app.invoke('pause')).resolves.toEqual({ ok: true });
  });

  it.each(commands)('refuses %s from another window', async (command) => {
    const app = setup();
    const otherContents = { mainFrame: { url: APP_URL, parent: null } };
    await expect(app.invoke(command, [], { sender: otherContents, senderFrame: otherContents.mainFrame })).rejects.toThrow(
      /Refused .*did not come from the MLP Lab window/,
    );
  });

  it.each(commands)('refuses %s from a subframe, even one showing the app page', async (command) => {
    const app = setup();
    await expect(app.invoke(command, [], { senderFrame: { url: APP_URL, parent: app.mainFrame } })).rejects.toThrow(/Refused/);
  });

  it('refuses a main frame that has navigated to another page', async () => {
    const app = setup();
    await expect(app.invoke('startRun', [PRESETS.default, 'mnist'], { senderFrame: { url: 'https://evil.example/', parent: null } })).rejects.toThrow(
      'Refused startRun: it did not come from the MLP Lab window (sender: https://evil.example/).',
    );
    expect(app.engine.start).not.toHaveBeenCalled();
  });

  it('refuses a sender whose frame is gone, or whose window was closed', async () => {
    const app = setup();
    await expect(app.invoke('stop', [], { senderFrame: null })).rejects.toThrow(/sender: unknown/);
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
    };
    await expect(app.invoke('stop', [], { senderFrame: disposed })).rejects.toThrow(/Refused/);
    app.destroy();
    await expect(app.invoke('listDatasets')).rejects.toThrow(/Refused/);
    expect(app.engine.stop).not.toHaveBeenCalled();
  });
});

describe('payload checks for startRun', () => {
  it('starts a valid run with a clean copy of the config and the dataset\'s location', async () => {
    const app = setup();
    const config = { ...PRESETS.default, layers: [784, 32, 10], extra: 'ignored' };
    await expect(app.invoke('startRun', [config, 'mnist', 'surplus argument'])).resolves.toEqual({ ok: true });
    expect(app.engine.start).toHaveBeenCalledOnce();
    const [sent, dataset] = app.engine.start.mock.calls[0] ?? [];
    expect(sent).toEqual({ ...PRESETS.default, layers: [784, 32, 10] });
    expect(sent).not.toHaveProperty('extra');
    expect(dataset).toEqual(MNIST.ref);
  });

  it('answers a config out of range with every problem, in words, without starting anything', async () => {
    const app = setup();
    const result = (await app.invoke('startRun', [{ ...PRESETS.default, learningRate: -1, batchSize: 0, epochs: 1e9 }, 'mnist'])) as CommandResult;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('This run configuration cannot be trained:');
    expect(result.message).toContain('Learning rate must be a number above 0 and at most 1000000; got -1.');
    expect(result.message).toContain('Batch size must be a whole number from 1 to 4096; got 0.');
    expect(result.message).toContain('Epochs must be a whole number from 1 to 1000; got 1000000000.');
    expect(app.engine.start).not.toHaveBeenCalled();
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'rm -rf /'],
    ['an array', [784, 10]],
    ['layers that are not numbers', { ...PRESETS.default, layers: ['784', '10'] }],
    ['a huge network', { ...PRESETS.default, layers: [784, ...Array(20).fill(4096), 10] }],
  ])('answers %s as a config with a clear refusal, not a crash', async (_what, config) => {
    const app = setup();
    const result = (await app.invoke('startRun', [config, 'mnist'])) as CommandResult;
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^This run configuration cannot be trained:\n.+/) });
    expect(app.engine.start).not.toHaveBeenCalled();
  });

  it('refuses a missing or unknown dataset id', async () => {
    const app = setup();
    await expect(app.invoke('startRun', [PRESETS.default, 42])).resolves.toEqual({ ok: false, message: 'Choose a dataset to train on.' });
    await expect(app.invoke('startRun', [PRESETS.default])).resolves.toEqual({ ok: false, message: 'Choose a dataset to train on.' });
    await expect(app.invoke('startRun', [PRESETS.default, 'folder-9'])).resolves.toEqual({
      ok: false,
      message: 'There is no dataset "folder-9"; open its folder again.',
    });
    expect(app.engine.start).not.toHaveBeenCalled();
  });

  it('refuses a network whose ends do not fit the dataset, saying which width to use', async () => {
    const app = setup();
    await expect(app.invoke('startRun', [{ ...PRESETS.default, layers: [100, 32, 10] }, 'mnist'])).resolves.toEqual({
      ok: false,
      message: 'The input layer has 100 units, but MNIST images have 28×28 = 784 pixels; make the first width 784.',
    });
    await expect(app.invoke('startRun', [{ ...PRESETS.default, layers: [784, 32, 2] }, 'mnist'])).resolves.toEqual({
      ok: false,
      message: 'The output layer has 2 units, but MNIST has 10 classes; make the last width 10.',
    });
  });

  it('passes on the dataset service\'s reason when the built-in set cannot be read', async () => {
    const app = setup();
    vi.mocked(app.datasets.find).mockRejectedValueOnce(new Error('The built-in MNIST could not be read: gone.'));
    await expect(app.invoke('startRun', [PRESETS.default, 'mnist'])).resolves.toEqual({
      ok: false,
      message: 'The built-in MNIST could not be read: gone.',
    });
  });
});

describe('run control and events', () => {
  it('relays pause, resume and stop, with the engine\'s answers', async () => {
    const app = setup();
    await expect(app.invoke('pause', ['ignored'])).resolves.toEqual({ ok: true });
    await expect(app.invoke('resume')).resolves.toEqual({ ok: true });
    await expect(app.invoke('stop')).resolves.toEqual({ ok: false, message: 'No run is in progress.' });
    expect(app.engine.pause).toHaveBeenCalledOnce();
    expect(app.engine.resume).toHaveBeenCalledOnce();
    expect(app.engine.stop).toHaveBeenCalledOnce();
  });

  it('relays a step and a pace in range; refuses any other pace before the engine hears of it', async () => {
    const app = setup();
    await expect(app.invoke('step')).resolves.toEqual({ ok: false, message: 'No run is in progress.' });
    expect(app.engine.step).toHaveBeenCalledOnce();
    await expect(app.invoke('setPace', [5])).resolves.toEqual({ ok: true });
    await expect(app.invoke('setPace', [null])).resolves.toEqual({ ok: true });
    expect(app.engine.setPace.mock.calls).toEqual([[5], [null]]);
    for (const bad of [0, 5000, '5', undefined, { pace: 5 }]) {
      await expect(app.invoke('setPace', [bad])).resolves.toMatchObject({ ok: false, message: expect.stringMatching(/^The speed must be full speed or from 0\.5 to 1000 batches a second; got /) });
    }
    expect(app.engine.setPace).toHaveBeenCalledTimes(2);
  });

  it('sends run events to the window while it is open, and nowhere after', () => {
    const app = setup();
    const event: RunEvent = { type: 'paused', runId: 3 };
    sendRunEvent(app.window as never, event);
    expect(app.webContents.send).toHaveBeenCalledWith(RUN_EVENT_CHANNEL, event);
    app.destroy();
    sendRunEvent(app.window as never, event);
    sendRunEvent(null, event);
    expect(app.webContents.send).toHaveBeenCalledOnce();
  });
});
