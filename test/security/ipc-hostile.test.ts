/**
 * Hostile payloads for every IPC channel: every `window.lab` command, called through main's real
 * handlers (real model and study stores in a temp folder, a fake engine) with arguments of every
 * wrong type, huge sizes, prototype keys, path tricks and from unexpected senders. Each call must
 * answer cleanly (a refusal, never an exception) within a time and memory bound, start nothing,
 * and leave the library folders and `Object.prototype` exactly as they were.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../../src/engine/training/dataset';
import type { DatasetsService, KnownDataset } from '../../src/main/datasets';
import type { SenderInfo } from '../../src/main/handlers/ipc-handlers';
import { createRecentRuns } from '../../src/main/recent-runs';
import { createModelStore } from '../../src/main/model-store';
import { COMMAND_CHANNELS, type LabCommand } from '../../src/shared/ipc-channels';
import { PRESETS } from '../../src/engine/training/run-config';
import { STUDY_LIMITS } from '../../src/shared/study';
import { withinBounds } from '../helpers/bounds';

vi.mock('electron', () => ({}));
const { createLabHandlers } = await import('../../src/main/handlers/ipc-handlers');
const { readLessonFile, writeLessonFile } = await import('../../src/node/lesson-file-io');
const { createStudyService } = await import('../../src/main/study-service');
const { createStudyStore } = await import('../../src/main/study-store');

const root = mkdtempSync(join(tmpdir(), 'mlp-lab-ipc-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const APP_URL = 'app://mlp-lab/index.html';
const APP: SenderInfo = { fromAppMainFrame: true, url: APP_URL };

const tiny: Dataset = (() => {
  const set = (count: number) => ({ images: new Uint8Array(count * 4), labels: Uint8Array.from({ length: count }, (_, i) => i % 3), count, rows: 2, cols: 2 });
  return { name: 'tiny', train: set(12), test: set(6), classes: 3 };
})();
const TINY: KnownDataset = {
  info: { id: 'tiny', name: 'tiny', source: '/data/tiny', trainCount: 12, testCount: 6, rows: 2, cols: 2, classes: 3 },
  ref: { id: 'tiny', name: 'tiny', dir: '/data/tiny' },
};

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;
const deep = Array.from({ length: 5000 }).reduce<unknown>((inner) => [inner], []);
const huge = 'x'.repeat(50_000_000);
const base = { ...PRESETS.default, layers: [4, 3] };

const STUDY_REQUESTS = studyRequests();

/** Values of every wrong kind, and of the right kind but hostile: sizes, prototype keys, paths. */
const HOSTILE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1e308,
  2n ** 64n,
  true,
  '',
  huge,
  '../../../etc/passwd',
  '/dev/zero',
  '..\\..\\windows\\win.ini',
  'a\0b',
  '__proto__',
  'constructor',
  'toString',
  {},
  [],
  Object.create(null),
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  cyclic,
  deep,
  new Array(1_000_000).fill(7),
  new Float32Array(1_000_000).fill(Number.NaN),
  new Uint8Array(70_000),
  { ...base, layers: new Array(1_000_000).fill(4) },
  { ...base, activation: huge },
  { datasetId: 'tiny', split: 'train', offset: 0, count: 1e9 },
  { datasetId: 'tiny', split: 'test', indices: new Array(1_000_000).fill(0) },
  { datasetId: huge, split: 'train', offset: 0, count: 1 },
  { kind: 'png', suggestedName: '../../x.png', content: new Uint8Array(8) },
  { kind: 'csv', suggestedName: huge, content: '' },
  ...STUDY_REQUESTS,
];

/** Study requests that are well-formed objects but must be refused before anything is expanded. */
function studyRequests(): unknown[] {
  const request = (grids: unknown, extra: Record<string, unknown> = {}) => ({ name: 'S', base, datasetId: 'tiny', targetAccuracy: 0.9, grids, ...extra });
  const sixty = (from: number) => Array.from({ length: 60 }, (_, i) => from + i);
  return [
    // 60 × 60 × 60 = 216 000 runs.
    request([[{ key: 'batchSize', values: sixty(1) }, { key: 'learningRate', values: sixty(1).map((n) => n / 1000) }, { key: 'hidden', values: sixty(1).map((n) => [n]) }]]),
    request([[{ key: 'batchSize', values: new Array(1_000_000).fill(-1) }]]),
    request([[{ key: 'hidden', values: ['128x64'] }]]),
    request([[{ key: 'hidden', values: [5] }]]),
    request([[{ key: 'hidden', values: [null] }]]),
    request([[{ key: 'hidden', values: [new Array(1_000_000).fill(4)] }]]),
    request([[{ key: 'activation', values: [huge] }]]),
    request([[{ key: '__proto__', values: [1] }]]),
    request([[{ key: 'constructor', values: [1] }]]),
    request(new Array(100_000).fill([{ key: 'batchSize', values: [8] }])),
    request([[{ key: 'batchSize', values: [8] }]], { name: huge }),
    request([[{ key: 'batchSize', values: [8] }]], { datasetId: huge }),
    request([[{ key: 'batchSize', values: [8] }]], { base: cyclic }),
  ];
}

function setup() {
  const dir = mkdtempSync(join(root, 'case-'));
  const library = join(dir, 'models');
  const studiesDir = join(dir, 'studies');
  const recentDir = join(dir, 'recent-runs');
  mkdirSync(library);
  mkdirSync(studiesDir);
  mkdirSync(recentDir);
  const engine = {
    start: vi.fn(() => ({ ok: true as const })),
    pause: vi.fn(() => ({ ok: false as const, message: 'No run is in progress.' })),
    resume: vi.fn(() => ({ ok: false as const, message: 'No run is in progress.' })),
    stop: vi.fn(() => ({ ok: false as const, message: 'No run is in progress.' })),
    setPace: vi.fn(() => ({ ok: true as const })),
    step: vi.fn(() => ({ ok: false as const, message: 'No run is in progress.' })),
    request: vi.fn(async () => ({ model: null }) as never),
  };
  const datasets: DatasetsService = {
    list: async () => [TINY.info],
    openFolder: async () => ({ ok: false, canceled: true }),
    openFolderAt: async () => ({ ok: false, canceled: true }),
    find: async (id) => (id === 'tiny' ? TINY : undefined),
  };
  const startRun = vi.fn(() => ({ cancel: () => {} }));
  const studies = createStudyService({ store: createStudyStore(studiesDir), emit: () => {}, parallel: 1 });
  const handlers = createLabHandlers({
    appPageUrl: APP_URL,
    datasets,
    engine,
    insight: {
      engine,
      images: async (id) => (id === 'tiny' ? tiny : undefined),
      models: createModelStore({ dir: library }),
      // The dialogs answer with hostile paths too: a path is never trusted because main chose it.
      dialogs: { chooseExportPath: async () => '/dev/null', chooseOnnxExportPath: async () => '/dev/null', chooseImportPath: async () => '/dev/zero' },
    },
    recentRuns: { engine, recent: createRecentRuns({ store: createModelStore({ dir: recentDir }), models: createModelStore({ dir: library }) }) },
    studies: { studies, runStarter: () => startRun, saveExport: async () => ({ ok: false, canceled: true }) },
    // The operating system and the dialogs hand over hostile paths too; saving would go to /dev/null.
    lessons: {
      dialogs: { chooseOpenPath: async () => '/dev/zero', chooseSavePath: async () => '/dev/null' },
      inbox: { offer: () => {}, next: async () => '/dev/zero' },
      read: readLessonFile,
      write: writeLessonFile,
      engine,
      protectedDirs: [library, studiesDir],
    },
  });
  const snapshot = (): string => JSON.stringify([library, studiesDir, recentDir].map((d) => readdirSync(d).map((f) => [f, statSync(join(d, f)).size])));
  return { handlers, engine, startRun, snapshot };
}

/** Commands whose one argument is a dataset id: ('tiny', anything) is a valid call for them. */
const DATASET_ONLY = new Set<LabCommand>(['getClassCounts', 'getActivationStats', 'evaluateModel']);

/** Commands that take no payload: any answer is fine as long as it is an answer. */
const NO_PAYLOAD = new Set<LabCommand>(['isFullScreen', 'listDatasets', 'openDatasetFolder', 'pause', 'resume', 'stop', 'step', 'getCurrentModel', 'listModels', 'listRecentRuns', 'keepRecentRun', 'listStudies', 'importModel', 'saveModel', 'endLesson']);

/** Commands for which a first argument of null is a valid call: setPace(null) is full speed. */
const NULL_IS_VALID = new Set<LabCommand>(['setPace']);

function isRefusal(answer: unknown): boolean {
  if (Array.isArray(answer)) return true;
  const a = answer as { ok?: unknown; message?: unknown };
  return a.ok === false && (a.message === undefined || typeof a.message === 'string');
}

const commands = Object.keys(COMMAND_CHANNELS) as LabCommand[];

describe('hostile payloads on every IPC channel', () => {
  for (const command of commands) {
    it(`${command}: every hostile argument is answered with a clean refusal, nothing started or written`, async () => {
      const app = setup();
      const before = app.snapshot();
      const handler = app.handlers[command] as (sender: SenderInfo, ...args: unknown[]) => Promise<unknown>;
      await withinBounds(
        async () => {
          for (const value of HOSTILE) {
            const calls = [[value], [value, value], [value, 'tiny'], [base, value], ...(DATASET_ONLY.has(command) ? [] : [['tiny', value]])];
            for (const args of calls) {
              const answer = await handler(APP, ...args);
              const valid = NULL_IS_VALID.has(command) && args[0] === null;
              if ((!NO_PAYLOAD.has(command) || command === 'saveModel') && !valid) {
                expect(isRefusal(answer), `${command}(${args.map((a) => typeof a).join(', ')}) answered ${JSON.stringify(answer)?.slice(0, 200)}`).toBe(true);
              }
            }
          }
        },
        { ms: 20_000, peakRiseMiB: 256 },
      );
      expect(app.engine.start).not.toHaveBeenCalled();
      expect(app.startRun).not.toHaveBeenCalled();
      expect(app.snapshot()).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('refuses every command from an unexpected sender (another page, a subframe, a gone frame), touching nothing', async () => {
    const app = setup();
    const before = app.snapshot();
    const senders: SenderInfo[] = [
      { fromAppMainFrame: false, url: APP_URL },
      { fromAppMainFrame: true, url: 'https://evil.example/' },
      { fromAppMainFrame: true, url: 'file:///app/out/renderer/index.html' },
      { fromAppMainFrame: true, url: 'app://mlp-lab.evil/index.html' },
      { fromAppMainFrame: true, url: '' },
    ];
    for (const command of commands) {
      const handler = app.handlers[command] as (sender: SenderInfo, ...args: unknown[]) => Promise<unknown>;
      for (const sender of senders) await expect(handler(sender, base, 'tiny')).rejects.toThrow(/^Refused /);
    }
    expect(app.engine.start).not.toHaveBeenCalled();
    expect(app.snapshot()).toBe(before);
  });

  it(`refuses the 216 000-run study at once, on its size (at most ${STUDY_LIMITS.maxRuns} runs)`, async () => {
    const app = setup();
    const [grid] = STUDY_REQUESTS;
    const { result } = await withinBounds(() => app.handlers.startStudy(APP, grid), { ms: 200, peakRiseMiB: 16 });
    expect(result).toEqual({ ok: false, message: `This study would train 216000 runs; a study may have at most ${STUDY_LIMITS.maxRuns}. Vary fewer settings or give fewer values.` });
  });

  it('refuses a malformed hidden value (text, a number, null) cleanly, naming it', async () => {
    const app = setup();
    for (const [value, shown] of [['128x64', '"128x64"'], [5, '5'], [null, 'null']] as const) {
      const answer = await app.handlers.startStudy(APP, { name: 'S', base, datasetId: 'tiny', targetAccuracy: 0.9, grids: [[{ key: 'hidden', values: [value] }]] });
      expect(answer).toEqual({ ok: false, message: `Each hidden value is a list of 1 to 10 widths, e.g. 128x64; got ${shown}.` });
    }
  });

  it('refuses a 50-million-character name on its length, in a moment', async () => {
    const app = setup();
    const { result } = await withinBounds(() => app.handlers.renameModel(APP, '0'.repeat(32), huge), { ms: 100, peakRiseMiB: 16 });
    expect(result).toEqual({ ok: false, message: 'A model name can have at most 100 characters; this one is far longer.' });
  });
});
