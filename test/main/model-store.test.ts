import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel, ModelFileError } from '../../src/engine/files/model-file';
import { createModelStore, ModelStoreError } from '../../src/main/model-store';
import { freshDir, setup, idOf, config, makeWeights, model, weights, expectSameWeights, okEntries, snapshot, thrown, root } from '../helpers/model-store-fixture';
import { badIds } from '../helpers/recording-fs';


describe('the model store', () => {
  it('saves, lists and loads models: newest first, with their summary, weights bit for bit', () => {
    const { dir, store } = setup();
    expect(store.list()).toEqual([]);
    const first = store.save('First try', model, weights);
    const second = store.save('  Wider  ', { ...model, testAccuracy: undefined, history: [] }, makeWeights(2));
    expect([first, second]).toEqual([idOf(1), idOf(2)]);
    expect(fs.readdirSync(dir).sort()).toEqual([`${idOf(1)}.mlpmodel`, `${idOf(2)}.mlpmodel`]);

    const entries = store.list();
    expect(entries).toEqual([
      {
        status: 'ok',
        id: second,
        fileName: `${second}.mlpmodel`,
        name: 'Wider',
        layers: [6, 4, 3],
        activation: 'tanh',
        testAccuracy: null,
        epochs: 0,
        datasetName: 'MNIST',
        createdAt: '2025-01-02T03:01:00.000Z',
        sizeBytes: fs.statSync(join(dir, `${second}.mlpmodel`)).size,
      },
      expect.objectContaining({ status: 'ok', id: first, name: 'First try', testAccuracy: 0.8, epochs: 2, createdAt: '2025-01-02T03:00:00.000Z' }),
    ]);

    const loaded = store.load(first);
    expect(loaded.header).toMatchObject({ name: 'First try', createdAt: '2025-01-02T03:00:00.000Z', appVersion: '9.9.9', config, history: model.history, testAccuracy: 0.8 });
    expectSameWeights(loaded.weights, weights);
    // The file is an ordinary model file: the engine (and so the CLI) reads it directly.
    expect(decodeModel(fs.readFileSync(join(dir, `${first}.mlpmodel`)), 'x').header.name).toBe('First try');
  });

  it('renames a model in place: same id, same weights and time, new name, no temporary file left', () => {
    const { dir, store } = setup();
    const id = store.save('Old name', model, weights);
    store.rename(id, 'New name');
    expect(okEntries(store.list()).map((e) => [e.id, e.name, e.createdAt])).toEqual([[id, 'New name', '2025-01-02T03:00:00.000Z']]);
    expectSameWeights(store.load(id).weights, weights);
    expect(fs.readdirSync(dir)).toEqual([`${id}.mlpmodel`]);
  });

  it('duplicates a model under a new id, as "<name> (copy)" or a given name, shortening a long name to fit', () => {
    const { dir, store } = setup();
    const id = store.save('Digits', model, weights);
    const copy = store.duplicate(id);
    const named = store.duplicate(id, 'Experiment B');
    expect(new Set([id, copy, named]).size).toBe(3);
    expect(store.load(copy).header.name).toBe('Digits (copy)');
    expect(store.load(named).header.name).toBe('Experiment B');
    expectSameWeights(store.load(named).weights, weights);
    // The copy keeps the original's provenance, time included.
    expect(store.load(copy).header.createdAt).toBe(store.load(id).header.createdAt);
    expect(fs.readdirSync(dir)).toHaveLength(3);

    const long = store.save('x'.repeat(100), model, weights);
    const longCopy = store.load(store.duplicate(long)).header.name ?? '';
    expect(longCopy).toBe(`${'x'.repeat(93)} (copy)`);
    expect(longCopy).toHaveLength(100);
  });

  it('deletes a model; deleting it again says it is gone', () => {
    const { dir, store } = setup();
    const keep = store.save('Keep', model, weights);
    const drop = store.save('Drop', model, weights);
    store.delete(drop);
    expect(okEntries(store.list()).map((e) => e.id)).toEqual([keep]);
    expect(fs.readdirSync(dir)).toEqual([`${keep}.mlpmodel`]);
    expect(() => store.delete(drop)).toThrow(/There is no saved model 0+2; it may have been deleted already/);
    expect(() => store.load(drop)).toThrow(/There is no saved model 0+2/);
  });

  it('keeps the old model intact, and leaves no temporary file, when the rename\'s write fails', () => {
    let failRename = false;
    const { dir, store } = setup({
      fsOverride: {
        renameSync: (from, to) => {
          if (failRename) throw Object.assign(new Error('EIO: simulated failure, rename'), { code: 'EIO' });
          fs.renameSync(from, to);
        },
      },
    });
    const id = store.save('Original', model, weights);
    const before = snapshot(dir);
    failRename = true;
    expect(() => store.rename(id, 'Renamed')).toThrow(/Could not rename the model to "Renamed"; it keeps its old name: EIO: simulated failure, rename/);
    expect(snapshot(dir)).toEqual(before);
    expect(store.load(id).header.name).toBe('Original');
    expectSameWeights(store.load(id).weights, weights);
  });

  it('leaves nothing behind when a save fails', () => {
    const { dir, store } = setup({
      fsOverride: { fsyncSync: () => { throw Object.assign(new Error('ENOSPC: simulated failure, fsync'), { code: 'ENOSPC' }); } },
    });
    expect(() => store.save('Full disk', model, weights)).toThrow(/Could not save the model "Full disk": ENOSPC/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses path-traversal and malformed ids in every call, before touching the disk', () => {
    const { dir, store, calls } = setup();
    store.save('Victim', model, weights);
    const outside = join(root, 'outside-target.mlpmodel');
    const before = snapshot(dir);
    calls.length = 0;
    for (const id of badIds('.mlpmodel')) {
      for (const [call, action] of [
        ['load', () => store.load(id)],
        ['rename', () => store.rename(id, 'Hacked')],
        ['duplicate', () => store.duplicate(id)],
        ['delete', () => store.delete(id)],
        ['exportTo', () => store.exportTo(id, outside)],
      ] as const) {
        const error = thrown(action);
        expect(error, `${call}(${String(id)})`).toBeInstanceOf(ModelStoreError);
        expect(error.message).toMatch(/is not a model id \(a model id is 32 hexadecimal digits\); nothing was read or written\.$/);
      }
    }
    expect(calls).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.existsSync(outside)).toBe(false);
    // The refusal quotes the id escaped and shortened, so it cannot forge a message.
    expect(thrown(() => store.load('f'.repeat(1000))).message).toBe(`"${'f'.repeat(40)}…" is not a model id (a model id is 32 hexadecimal digits); nothing was read or written.`);
    expect(thrown(() => store.load('a\nb')).message).toMatch(/^"a\\nb" is not a model id/);
  });

  it('refuses bad names (empty, too long, control characters) and writes nothing', () => {
    const { dir, store } = setup();
    const id = store.save('Fine', model, weights);
    const before = snapshot(dir);
    for (const [name, message] of [
      ['', /Give the model a name/],
      ['   ', /Give the model a name/],
      ['x'.repeat(101), /at most 100 characters; this one has 101/],
      ['line\nbreak', /control characters/],
      ['tab\there', /control characters/],
      ['bell\u0007', /control characters/],
      ['evil\u202Etxt.exe', /hidden text-direction marks/],
      [42, /must be text/],
    ] as const) {
      expect(() => store.save(name, model, weights), String(name)).toThrow(message);
      expect(() => store.rename(id, name), String(name)).toThrow(message);
      expect(() => store.duplicate(id, name), String(name)).toThrow(message);
    }
    expect(snapshot(dir)).toEqual(before);
    // 100 characters counted as characters, not UTF-16 units: emoji are fine.
    expect(store.load(store.save('🙂'.repeat(100), model, weights)).header.name).toBe('🙂'.repeat(100));
  });

  it('lists a corrupted, a truncated and a newer-version file as errors, and leaves them on disk untouched', () => {
    const { dir, store } = setup();
    const good = store.save('Good', model, weights);
    const corrupted = store.save('Corrupted', model, weights);
    const truncated = store.save('Truncated', model, weights);
    const newer = store.save('Newer', model, weights);
    const path = (id: string): string => join(dir, `${id}.mlpmodel`);

    const flipped = fs.readFileSync(path(corrupted));
    flipped[flipped.length - 20] ^= 0x40;
    fs.writeFileSync(path(corrupted), flipped);
    fs.writeFileSync(path(truncated), fs.readFileSync(path(truncated)).subarray(0, 200));
    // A version-2 file: the same layout with a higher version (what a newer MLP Lab might write).
    const text = fs.readFileSync(path(newer)).toString('latin1').replace('"formatVersion":1', '"formatVersion":2');
    fs.writeFileSync(path(newer), Buffer.from(text, 'latin1'));
    // Not models: ignored. A model-like file not named by an id: shown, but left alone.
    fs.writeFileSync(join(dir, 'notes.txt'), 'my notes');
    fs.writeFileSync(join(dir, `.${good}.mlpmodel.abc123.tmp`), 'half a save');
    fs.writeFileSync(join(dir, 'digits.mlpmodel'), 'copied in by hand');
    const before = snapshot(dir);

    const entries = store.list();
    expect(entries.map((e) => [e.status, e.id, e.fileName])).toEqual([
      ['ok', good, `${good}.mlpmodel`],
      ['error', corrupted, `${corrupted}.mlpmodel`],
      ['error', truncated, `${truncated}.mlpmodel`],
      ['error', newer, `${newer}.mlpmodel`],
      ['error', null, 'digits.mlpmodel'],
    ]);
    const message = (id: string | null): string => (entries.find((e) => e.id === id && e.status === 'error') as { message: string }).message;
    expect(message(corrupted)).toMatch(new RegExp(`^${corrupted}\\.mlpmodel is corrupted: checksum 0x[0-9a-f]{8} expected 0x[0-9a-f]{8}`));
    expect(message(truncated)).toMatch(new RegExp(`^${truncated}\\.mlpmodel is truncated: it has 200 bytes`));
    expect(message(newer)).toMatch(/was saved by a newer MLP Lab \(format version 2\); this version reads version 1 — update MLP Lab to open it\./);
    expect(message(null)).toMatch(/digits\.mlpmodel is in the model library but is not named by a model id, so the library leaves it alone; use Import/);

    // Listing changed nothing; loading says the same as the list; saving again overwrites nothing.
    expect(snapshot(dir)).toEqual(before);
    for (const id of [corrupted, truncated, newer]) {
      const error = thrown(() => store.load(id));
      expect(error).toBeInstanceOf(ModelFileError);
      expect(error.message).toBe(message(id));
      expect(() => store.rename(id, 'Fixed?')).toThrow(ModelFileError);
      expect(() => store.duplicate(id)).toThrow(ModelFileError);
    }
    store.save('Another', model, weights);
    const after = snapshot(dir);
    for (const [name, bytes] of Object.entries(before)) expect(after[name], name).toBe(bytes);

    // The user can still remove a damaged model.
    store.delete(corrupted);
    expect(fs.existsSync(path(corrupted))).toBe(false);
  });

  it('reports a model file it cannot read (here a folder with a model\'s name) instead of failing the list', () => {
    const { dir, store } = setup();
    const id = store.save('Fine', model, weights);
    fs.mkdirSync(join(dir, `${'e'.repeat(32)}.mlpmodel`));
    const entries = store.list();
    expect(entries.map((e) => [e.status, e.id])).toEqual([['ok', id], ['error', 'e'.repeat(32)]]);
    expect((entries[1] as { message: string }).message).toMatch(/could not be read: EISDIR/);
  });

  it('never reuses an id that is taken, and refuses an id generator that makes paths', () => {
    const dir = freshDir();
    const ids = [idOf(7), idOf(7), idOf(8)];
    const store = createModelStore({ dir, newId: () => ids.shift() ?? idOf(9) });
    expect(store.save('A', model, weights)).toBe(idOf(7));
    expect(store.save('B', model, weights)).toBe(idOf(8));
    expect(store.load(idOf(7)).header.name).toBe('A');
    const evil = createModelStore({ dir, newId: () => '../../escape' });
    expect(() => evil.save('C', model, weights)).toThrow(/The model id generator gave "..\/..\/escape", not 32 lowercase hexadecimal digits/);
    expect(fs.readdirSync(dir)).toHaveLength(2);
  });
});
