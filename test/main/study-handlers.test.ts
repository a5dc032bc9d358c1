/**
 * The study commands over a fake run starter: a study starts one run per configuration, at most
 * `parallel` at once, streams only what is new, survives a diverging run, cancels one run or all,
 * is saved (atomically, to a real temporary folder) at start and end, reopens, is renamed and
 * deleted (never while it runs); the sender is checked first, then the renderer's arguments. A file
 * that cannot be read (from a newer MLP Lab, damaged) is listed with its problem, refused, and deletable.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetsService, KnownDataset } from '../../src/main/datasets';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import type { StudyEvent, StudyRequest } from '../../src/shared/study-api';
import type { StartRun, StudyRunEvent } from '../../src/node/study-scheduler';

vi.mock('electron', () => ({}));
const { createStudyHandlers, exportProblem, safeExportName } = await import('../../src/main/handlers/study-handlers');
const { guardCommands } = await import('../../src/main/handlers/sender-guard');
const { createStudyService } = await import('../../src/main/study-service');
const { createStudyStore } = await import('../../src/main/study-store');

const MNIST: KnownDataset = {
  info: { id: 'mnist', name: 'MNIST', source: 'built-in', trainCount: 60000, testCount: 10000, rows: 28, cols: 28, classes: 10 },
  ref: { id: 'mnist', name: 'MNIST', dir: '/data/mnist' },
};
const datasets: DatasetsService = {
  list: async () => [MNIST.info],
  openFolder: async () => ({ ok: false, canceled: true }),
  openFolderAt: async () => ({ ok: false, canceled: true }),
  find: async (id) => (id === 'mnist' ? MNIST : undefined),
};
const sender = { fromAppMainFrame: true, url: 'app://mlp-lab/index.html' };
const base: RunConfig = { ...PRESETS.blog, epochs: 2 };

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Runs driven by hand: each started run's config and event sink, and whether it was cancelled. */
function setup(parallel = 2) {
  const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-studies-'));
  folders.push(dir);
  const started: { config: RunConfig; emit: (e: StudyRunEvent) => void; cancelled: boolean }[] = [];
  const startRun: StartRun = (config, onEvent) => {
    const run = { config, emit: onEvent, cancelled: false };
    started.push(run);
    return { cancel: () => void (run.cancelled = true) };
  };
  const events: StudyEvent[] = [];
  const studies = createStudyService({ store: createStudyStore(join(dir, 'studies')), emit: (e) => events.push(e), parallel });
  const handlers = guardCommands(createStudyHandlers({ studies, runStarter: () => startRun, saveExport: async () => ({ ok: false, canceled: true }) }, datasets), (command, from) => {
    if (!from.fromAppMainFrame) throw new Error(`Refused ${command}`);
  });
  return { dir, started, events, handlers };
}

const request = (overrides: Partial<StudyRequest> = {}): StudyRequest => ({
  name: 'Batch sizes',
  base,
  grids: [[{ key: 'batchSize', values: [16, 32, 64] }]],
  datasetId: 'mnist',
  targetAccuracy: 0.9,
  ...overrides,
});

const epoch = (n: number, testAccuracy: number): StudyRunEvent => ({
  type: 'epoch', runId: 1, epoch: n, trainLoss: 0.5 / n, trainAccuracy: 0.8, testLoss: 0.4, testAccuracy, seconds: 1, samplesPerSecond: 1000,
});

/** Runs a two-run study to its end and returns its id. */
async function finishedStudy(handlers: ReturnType<typeof setup>['handlers'], started: ReturnType<typeof setup>['started'], events: StudyEvent[]): Promise<string> {
  const result = await handlers.startStudy(sender, request({ grids: [[{ key: 'batchSize', values: [16, 32] }]] }));
  if (!result.ok) throw new Error(result.message);
  for (const run of started) {
    run.emit(epoch(1, 0.9));
    run.emit({ type: 'finished', runId: 1, reason: 'completed', testAccuracy: 0.9 });
  }
  await vi.waitFor(() => expect(events.at(-1)?.type).toBe('study-finished'));
  return result.study.id;
}

describe('study handlers', () => {
  it('runs at most `parallel` at once, streams only new points, survives a divergence, saves and reopens', async () => {
    const { started, events, handlers, dir } = setup(2);
    const result = await handlers.startStudy(sender, request());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const id = result.study.id;
    expect(started.map((r) => r.config.batchSize)).toEqual([16, 32]);
    expect(readdirSync(join(dir, 'studies'))).toEqual([`${id}.json`]);

    const point = (iteration: number) => ({ iteration, loss: 1, accuracy: 0.5 });
    const latest = { iteration: 2, epoch: 1, batch: 2, batchesPerEpoch: 10, loss: 1, accuracy: 0.5 };
    started[0].emit({ type: 'progress', runId: 1, points: [point(1), point(2)], latest: latest as never, samplesPerSecond: 1 });
    started[0].emit({ type: 'progress', runId: 1, points: [point(3)], latest: { ...latest, iteration: 3 } as never, samplesPerSecond: 1 });
    const updates = events.filter((e) => e.type === 'run-update' && e.run.index === 0 && e.newIterations.length > 0);
    expect(updates.map((e) => (e.type === 'run-update' ? e.newIterations.map((p) => p.iteration) : []))).toEqual([[1, 2], [3]]);

    started[1].emit({ type: 'diverged', runId: 1, reason: 'The loss became NaN.', restoredEpoch: 0 });
    expect(started.map((r) => r.config.batchSize)).toEqual([16, 32, 64]);
    started[0].emit(epoch(1, 0.91));
    started[0].emit({ type: 'finished', runId: 1, reason: 'completed', testAccuracy: 0.91 });
    started[2].emit(epoch(1, 0.85));
    started[2].emit({ type: 'finished', runId: 1, reason: 'completed', testAccuracy: 0.85 });
    await vi.waitFor(() => expect(events.at(-1)?.type).toBe('study-finished'));
    expect(events.at(-1)).toEqual({ type: 'study-finished', studyId: id, saved: true, message: null });

    expect(await handlers.listStudies(sender)).toEqual([expect.objectContaining({ id, name: 'Batch sizes', runCount: 3, finished: true })]);
    const reopened = await handlers.openStudy(sender, id);
    expect(reopened.ok).toBe(true);
    if (!reopened.ok) return;
    expect(reopened.study.runs.map((r) => r.status)).toEqual(['completed', 'diverged', 'completed']);
    expect(reopened.study.runs[0].iterations.map((p) => p.iteration)).toEqual([1, 2, 3]);
    expect(reopened.study.runs[0].finalTestAccuracy).toBe(0.91);
    // Each epoch is saved with its time since the run's start, so other targets can be timed later;
    // the study's own target was reached at that first epoch, so its time is that epoch's.
    const firstEpoch = reopened.study.runs[0].epochs[0];
    expect(firstEpoch.secondsSinceStart).toBeGreaterThanOrEqual(0);
    expect(reopened.study.runs[0].secondsToTarget).toBe(firstEpoch.secondsSinceStart);
    const streamed = events.flatMap((e) => (e.type === 'run-update' && e.run.index === 0 ? e.newEpochs : []));
    expect(streamed).toEqual([firstEpoch]);
    expect(reopened.study.runs[1].message).toBe('The loss became NaN.');
  });

  it('cancels one run, then the whole study; a second study is refused while one runs', async () => {
    const { started, handlers } = setup(1);
    const result = await handlers.startStudy(sender, request());
    if (!result.ok) throw new Error(result.message);
    expect(await handlers.startStudy(sender, request())).toEqual({ ok: false, message: expect.stringMatching(/already running/) });
    expect(await handlers.cancelStudyRun(sender, result.study.id, 0)).toEqual({ ok: true });
    expect(started[0].cancelled).toBe(true);
    expect(started).toHaveLength(2);
    expect(await handlers.cancelStudyRun(sender, result.study.id, 0)).toEqual({ ok: false, message: 'Run 1 has already ended.' });
    expect(await handlers.cancelStudy(sender, result.study.id)).toEqual({ ok: true });
    expect(started[1].cancelled).toBe(true);
    expect(started).toHaveLength(2);
    expect(await handlers.cancelStudy(sender, 'nope')).toEqual({ ok: false, message: 'That study is not running.' });
  });

  it('groups the blog study as 4 + 4 + 3 runs sharing the baseline', async () => {
    const { handlers } = setup(2);
    const result = await handlers.startStudy(sender, request({
      grids: [
        [{ key: 'batchSize', values: [16, 32, 64, 128] }],
        [{ key: 'learningRate', values: [0.1, 0.01, 0.001, 0.0001] }],
        [{ key: 'activation', values: ['relu', 'sigmoid', 'tanh'] }],
      ],
    }));
    if (!result.ok) throw new Error(result.message);
    expect(result.study.runs).toHaveLength(9);
    expect(result.study.groups.map((g) => g.runIndices.length)).toEqual([4, 4, 3]);
    const baseline = result.study.groups[0].runIndices[2];
    expect(result.study.groups[1].runIndices[1]).toBe(baseline);
    expect(result.study.groups[2].runIndices[0]).toBe(baseline);
    await handlers.cancelStudy(sender, result.study.id);
  });

  it('refuses bad requests with a message, and any sender but the app window', async () => {
    const { handlers, started } = setup();
    expect(await handlers.startStudy(sender, request({ grids: [] }))).toEqual({ ok: false, message: expect.stringMatching(/Vary at least one setting/) });
    expect(await handlers.startStudy(sender, request({ grids: [[{ key: 'learningRate', values: [-1] }]] }))).toEqual({
      ok: false,
      message: expect.stringMatching(/^learningRate=-1: /),
    });
    expect(await handlers.startStudy(sender, request({ datasetId: 'gone' }))).toEqual({ ok: false, message: expect.stringMatching(/no dataset "gone"/) });
    expect(await handlers.startStudy(sender, request({ base: { ...base, layers: [100, 10] } }))).toEqual({ ok: false, message: expect.stringMatching(/input layer has 100 units/) });
    // A study starts under a name it could be renamed to: the saved-name rule, nothing looser.
    expect(await handlers.startStudy(sender, request({ name: '   ' }))).toEqual({ ok: false, message: 'Give the study a name.' });
    expect(await handlers.startStudy(sender, request({ name: 'x'.repeat(101) }))).toEqual({ ok: false, message: 'A study name can have at most 100 characters; this one has 101.' });
    expect(await handlers.startStudy(sender, request({ name: 'two\nlines' }))).toEqual({ ok: false, message: expect.stringMatching(/cannot contain control characters/) });
    expect(await handlers.openStudy(sender, '../../etc/passwd')).toEqual({ ok: false, message: expect.stringMatching(/is not a study id/) });
    await expect(handlers.listStudies({ fromAppMainFrame: false, url: '' })).rejects.toThrow(/Refused listStudies/);
    expect(started).toHaveLength(0);
  });

  it('renames a saved study (the list and a reopening show the new name, the runs are kept) and deletes it', async () => {
    const { started, events, handlers, dir } = setup(2);
    const id = await finishedStudy(handlers, started, events);
    const before = await handlers.openStudy(sender, id);
    expect(await handlers.renameStudy(sender, id, '  Batch 16 vs 32  ')).toEqual({ ok: true });
    expect(await handlers.listStudies(sender)).toEqual([expect.objectContaining({ id, name: 'Batch 16 vs 32', runCount: 2, finished: true })]);
    const after = await handlers.openStudy(sender, id);
    if (!before.ok || !after.ok) throw new Error('the study did not reopen');
    expect(after.study).toEqual({ ...before.study, name: 'Batch 16 vs 32' });

    expect(await handlers.deleteStudy(sender, id)).toEqual({ ok: true });
    expect(readdirSync(join(dir, 'studies'))).toEqual([]);
    expect(await handlers.listStudies(sender)).toEqual([]);
    expect(await handlers.deleteStudy(sender, id)).toEqual({ ok: false, message: expect.stringMatching(/no longer saved; it may have been deleted already/) });
    expect(await handlers.renameStudy(sender, id, 'Back')).toEqual({ ok: false, message: expect.stringMatching(/no longer saved/) });
    expect(readdirSync(join(dir, 'studies'))).toEqual([]);
  });

  it('refuses to rename or delete the study still running, saying to cancel it or wait; it can once it has ended', async () => {
    const { started, handlers, dir, events } = setup(2);
    const result = await handlers.startStudy(sender, request({ grids: [[{ key: 'batchSize', values: [16, 32] }]] }));
    if (!result.ok) throw new Error(result.message);
    const id = result.study.id;
    const saved = readFileSync(join(dir, 'studies', `${id}.json`), 'utf8');
    expect(await handlers.renameStudy(sender, id, 'Renamed')).toEqual({
      ok: false,
      message: 'The study "Batch sizes" is still running; cancel it or wait for it to finish before renaming it.',
    });
    expect(await handlers.deleteStudy(sender, id)).toEqual({
      ok: false,
      message: 'The study "Batch sizes" is still running; cancel it or wait for it to finish before deleting it.',
    });
    expect(readFileSync(join(dir, 'studies', `${id}.json`), 'utf8')).toBe(saved);
    expect(started.every((run) => !run.cancelled)).toBe(true);

    await handlers.cancelStudy(sender, id);
    for (const run of started) run.emit({ type: 'finished', runId: 1, reason: 'stopped', testAccuracy: null });
    await vi.waitFor(() => expect(events.at(-1)?.type).toBe('study-finished'));
    expect(await handlers.renameStudy(sender, id, 'Renamed')).toEqual({ ok: true });
    expect(await handlers.deleteStudy(sender, id)).toEqual({ ok: true });
  });

  it('refuses a bad id, a name that is not a usable name, or a missing study, and changes nothing', async () => {
    const { started, events, handlers, dir } = setup(2);
    const id = await finishedStudy(handlers, started, events);
    const folder = join(dir, 'studies');
    const before = readFileSync(join(folder, `${id}.json`), 'utf8');
    for (const bad of ['../../etc/passwd', `${id}.json`, id.toUpperCase(), 42, null, undefined, { id }]) {
      expect(await handlers.renameStudy(sender, bad, 'x')).toEqual({ ok: false, message: expect.stringMatching(/is not a study id \(a study id is 32 hexadecimal digits\); nothing was read or written/) });
      expect(await handlers.deleteStudy(sender, bad)).toEqual({ ok: false, message: expect.stringMatching(/is not a study id/) });
    }
    for (const [name, message] of [
      [42, 'A study name must be text.'],
      [['Blog'], 'A study name must be text.'],
      [undefined, 'A study name must be text.'],
      ['  ', 'Give the study a name.'],
      ['x'.repeat(101), 'A study name can have at most 100 characters; this one has 101.'],
    ] as const) {
      expect(await handlers.renameStudy(sender, id, name)).toEqual({ ok: false, message });
    }
    const missing = 'f'.repeat(32);
    expect(await handlers.renameStudy(sender, missing, 'x')).toEqual({ ok: false, message: 'That study is no longer saved; it may have been deleted.' });
    expect(await handlers.deleteStudy(sender, missing)).toEqual({ ok: false, message: 'That study is no longer saved; it may have been deleted already. Refresh the list.' });
    expect(readdirSync(folder)).toEqual([`${id}.json`]);
    expect(readFileSync(join(folder, `${id}.json`), 'utf8')).toBe(before);
  });

  it('lists a file from a newer MLP Lab and a damaged one after the readable study, refuses to open or rename them, and deletes them', async () => {
    const { started, events, handlers, dir } = setup(2);
    const id = await finishedStudy(handlers, started, events);
    const folder = join(dir, 'studies');
    const newerId = 'e'.repeat(32);
    const brokenId = 'b'.repeat(32);
    const newerText = JSON.stringify({ format: 7, id: newerId, name: 'Later', createdAt: '2030-01-01T00:00:00.000Z', runs: [] });
    writeFileSync(join(folder, `${newerId}.json`), newerText);
    writeFileSync(join(folder, `${brokenId}.json`), '{"format":1,"na');
    const newer = `The saved study ${newerId} was saved by a newer MLP Lab (study format 7; this version reads format 1). Update MLP Lab to open it.`;
    const broken = expect.stringMatching(new RegExp(`^The saved study ${brokenId} cannot be read: it is damaged \\(not valid JSON: `));

    expect(await handlers.listStudies(sender)).toEqual([
      { status: 'ok', id, name: 'Batch sizes', createdAt: expect.any(String), runCount: 2, finished: true },
      { status: 'error', id: brokenId, fileName: `${brokenId}.json`, message: broken },
      { status: 'error', id: newerId, fileName: `${newerId}.json`, message: newer },
    ]);
    expect(await handlers.openStudy(sender, newerId)).toEqual({ ok: false, message: newer });
    expect(await handlers.renameStudy(sender, newerId, 'Now')).toEqual({ ok: false, message: newer });
    expect(await handlers.openStudy(sender, brokenId)).toEqual({ ok: false, message: broken });
    expect(await handlers.renameStudy(sender, brokenId, 'Now')).toEqual({ ok: false, message: broken });
    expect(readFileSync(join(folder, `${newerId}.json`), 'utf8')).toBe(newerText);

    expect(await handlers.deleteStudy(sender, brokenId)).toEqual({ ok: true });
    expect(await handlers.deleteStudy(sender, newerId)).toEqual({ ok: true });
    expect(readdirSync(folder)).toEqual([`${id}.json`]);
    expect(await handlers.listStudies(sender)).toEqual([expect.objectContaining({ status: 'ok', id })]);
  });

  it('checks the sender of every study command before its arguments', async () => {
    const { started, events, handlers, dir } = setup(2);
    const id = await finishedStudy(handlers, started, events);
    const before = readFileSync(join(dir, 'studies', `${id}.json`), 'utf8');
    const subframe = { fromAppMainFrame: false, url: 'app://mlp-lab/index.html' };
    const calls: [string, () => Promise<unknown>][] = [
      ['startStudy', () => handlers.startStudy(subframe, request())],
      ['cancelStudyRun', () => handlers.cancelStudyRun(subframe, id, 0)],
      ['cancelStudy', () => handlers.cancelStudy(subframe, id)],
      ['listStudies', () => handlers.listStudies(subframe)],
      ['openStudy', () => handlers.openStudy(subframe, id)],
      ['renameStudy', () => handlers.renameStudy(subframe, id, 'Hacked')],
      ['deleteStudy', () => handlers.deleteStudy(subframe, id)],
      ['exportFile', () => handlers.exportFile(subframe, { kind: 'csv', suggestedName: 'a.csv', content: '' })],
    ];
    for (const [command, call] of calls) await expect(call()).rejects.toThrow(`Refused ${command}`);
    expect(readFileSync(join(dir, 'studies', `${id}.json`), 'utf8')).toBe(before);
    expect(started).toHaveLength(2);
  });

  it('refuses renaming and deleting when the window has no study services', async () => {
    const handlers = guardCommands(createStudyHandlers(undefined, datasets), () => {});
    expect(await handlers.renameStudy(sender, 'f'.repeat(32), 'x')).toEqual({ ok: false, message: 'Studies are not available in this window.' });
    expect(await handlers.deleteStudy(sender, 'f'.repeat(32))).toEqual({ ok: false, message: 'Studies are not available in this window.' });
  });

  it('checks exports: CSV text, PNG bytes with the PNG signature, safe file names', () => {
    expect(exportProblem({ kind: 'csv', suggestedName: 'a.csv', content: 'run,label\r\n' })).toBeNull();
    expect(exportProblem({ kind: 'png', suggestedName: 'a.png', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) })).toBeNull();
    expect(exportProblem({ kind: 'png', suggestedName: 'a.png', content: new Uint8Array([1, 2, 3]) })).toMatch(/not a PNG/);
    expect(exportProblem({ kind: 'exe', suggestedName: 'a', content: '' })).toMatch(/CSV or a PNG/);
    expect(safeExportName('../../evil/name.csv', 'csv')).toBe('evil-name.csv');
    expect(safeExportName('Blog study — loss', 'png')).toBe('Blog study - loss.png');
  });
});
