import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel, ModelFileError } from '../../src/engine/files/model-file';
import { createModelStore, ModelStoreError } from '../../src/main/model-store';
import { freshDir, setup, idOf, config, makeWeights, model, weights, expectSameWeights, okEntries, snapshot, thrownAsync, root } from '../helpers/model-store-fixture';
import { badIds } from '../helpers/recording-fs';


describe('the model store', () => {
  it('saves, lists and loads models: newest first, with their summary, weights bit for bit', async () => {
    const { dir, store } = setup();
    expect((await store.list())).toEqual([]);
    const first = await store.save('First try', model, weights);
    const second = await store.save('  Wider  ', { ...model, testAccuracy: undefined, history: [] }, makeWeights(2));
    expect([first, second]).toEqual([idOf(1), idOf(2)]);
    expect(fs.readdirSync(dir).sort()).toEqual([`${idOf(1)}.mlpmodel`, `${idOf(2)}.mlpmodel`]);

    const entries = await store.list();
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

    const loaded = await store.load(first);
    expect(loaded.header).toMatchObject({ name: 'First try', createdAt: '2025-01-02T03:00:00.000Z', appVersion: '9.9.9', config, history: model.history, testAccuracy: 0.8 });
    expectSameWeights(loaded.weights, weights);
    // The file is an ordinary model file: the engine (and so the CLI) reads it directly.
    expect(decodeModel(fs.readFileSync(join(dir, `${first}.mlpmodel`)), 'x').header.name).toBe('First try');
  });

  it('renames a model in place: same id, same weights and time, new name, no temporary file left', async () => {
    const { dir, store } = setup();
    const id = await store.save('Old name', model, weights);
    await store.rename(id, 'New name');
    expect(okEntries((await store.list())).map((e) => [e.id, e.name, e.createdAt])).toEqual([[id, 'New name', '2025-01-02T03:00:00.000Z']]);
    expectSameWeights((await store.load(id)).weights, weights);
    expect(fs.readdirSync(dir)).toEqual([`${id}.mlpmodel`]);
  });

  it('duplicates a model under a new id, as "<name> (copy)" or a given name, shortening a long name to fit', async () => {
    const { dir, store } = setup();
    const id = await store.save('Digits', model, weights);
    const copy = await store.duplicate(id);
    const named = await store.duplicate(id, 'Experiment B');
    expect(new Set([id, copy, named]).size).toBe(3);
    expect((await store.load(copy)).header.name).toBe('Digits (copy)');
    expect((await store.load(named)).header.name).toBe('Experiment B');
    expectSameWeights((await store.load(named)).weights, weights);
    // The copy keeps the original's provenance, time included.
    expect((await store.load(copy)).header.createdAt).toBe((await store.load(id)).header.createdAt);
    expect(fs.readdirSync(dir)).toHaveLength(3);

    const long = await store.save('x'.repeat(100), model, weights);
    const longCopy = (await store.load(await store.duplicate(long))).header.name ?? '';
    expect(longCopy).toBe(`${'x'.repeat(93)} (copy)`);
    expect(longCopy).toHaveLength(100);
  });

  it('deletes a model; deleting it again says it is gone', async () => {
    const { dir, store } = setup();
    const keep = await store.save('Keep', model, weights);
    const drop = await store.save('Drop', model, weights);
    store.delete(drop);
    expect(okEntries((await store.list())).map((e) => e.id)).toEqual([keep]);
    expect(fs.readdirSync(dir)).toEqual([`${keep}.mlpmodel`]);
    expect(() => store.delete(drop)).toThrow(/There is no saved model 0+2; it may have been deleted already/);
    await expect(store.load(drop)).rejects.toThrow(/There is no saved model 0+2/);
  });

  it('keeps the old model intact, and leaves no temporary file, when the rename\'s write fails', async () => {
    let failRename = false;
    const { dir, store } = setup({
      fsOverride: {
        renameSync: (from, to) => {
          if (failRename) throw Object.assign(new Error('EIO: simulated failure, rename'), { code: 'EIO' });
          fs.renameSync(from, to);
        },
      },
    });
    const id = await store.save('Original', model, weights);
    const before = snapshot(dir);
    failRename = true;
    await expect(store.rename(id, 'Renamed')).rejects.toThrow(/Could not rename the model to "Renamed"; it keeps its old name: EIO: simulated failure, rename/);
    expect(snapshot(dir)).toEqual(before);
    expect((await store.load(id)).header.name).toBe('Original');
    expectSameWeights((await store.load(id)).weights, weights);
  });

  it('leaves nothing behind when a save fails', async () => {
    const { dir, store } = setup({
      fsOverride: { fsyncSync: () => { throw Object.assign(new Error('ENOSPC: simulated failure, fsync'), { code: 'ENOSPC' }); } },
    });
    await expect(store.save('Full disk', model, weights)).rejects.toThrow(/Could not save the model "Full disk": ENOSPC/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses path-traversal and malformed ids in every call, before touching the disk', async () => {
    const { dir, store, calls } = setup();
    await store.save('Victim', model, weights);
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
        const error = await thrownAsync(Promise.resolve().then((): unknown => action()));
        expect(error, `${call}(${String(id)})`).toBeInstanceOf(ModelStoreError);
        expect(error.message).toMatch(/is not a model id \(a model id is 32 hexadecimal digits\); nothing was read or written\.$/);
      }
    }
    expect(calls).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.existsSync(outside)).toBe(false);
    // The refusal quotes the id escaped and shortened, so it cannot forge a message.
    expect((await thrownAsync(store.load('f'.repeat(1000)))).message).toBe(`"${'f'.repeat(40)}…" is not a model id (a model id is 32 hexadecimal digits); nothing was read or written.`);
    expect((await thrownAsync(store.load('a\nb'))).message).toMatch(/^"a\\nb" is not a model id/);
  });

  it('refuses bad names (empty, too long, control characters) and writes nothing', async () => {
    const { dir, store } = setup();
    const id = await store.save('Fine', model, weights);
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
      await expect(store.save(name, model, weights), String(name)).rejects.toThrow(message);
      await expect(store.rename(id, name), String(name)).rejects.toThrow(message);
      await expect(store.duplicate(id, name), String(name)).rejects.toThrow(message);
    }
    expect(snapshot(dir)).toEqual(before);
    // 100 characters counted as characters, not UTF-16 units: emoji are fine.
    expect((await store.load(await store.save('🙂'.repeat(100), model, weights))).header.name).toBe('🙂'.repeat(100));
  });

  it('lists a truncated and a newer-version file as errors from their headers, refuses a corrupted one when opened, and leaves them on disk untouched', async () => {
    const { dir, store } = setup();
    const good = await store.save('Good', model, weights);
    const corrupted = await store.save('Corrupted', model, weights);
    const truncated = await store.save('Truncated', model, weights);
    const newer = await store.save('Newer', model, weights);
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

    const entries = await store.list();
    // The list reads headers only: weights damaged behind an intact header are found on opening.
    expect(entries.map((e) => [e.status, e.id, e.fileName])).toEqual([
      ['ok', corrupted, `${corrupted}.mlpmodel`],
      ['ok', good, `${good}.mlpmodel`],
      ['error', truncated, `${truncated}.mlpmodel`],
      ['error', newer, `${newer}.mlpmodel`],
      ['error', null, 'digits.mlpmodel'],
    ]);
    const listed = (id: string | null): string => (entries.find((e) => e.id === id && e.status === 'error') as { message: string }).message;
    const corruptedMessage = (await thrownAsync(store.load(corrupted))).message;
    expect(corruptedMessage).toMatch(new RegExp(`^${corrupted}\\.mlpmodel is corrupted: checksum 0x[0-9a-f]{8} expected 0x[0-9a-f]{8}`));
    const message = (id: string | null): string => (id === corrupted ? corruptedMessage : listed(id));
    expect(message(truncated)).toMatch(new RegExp(`^${truncated}\\.mlpmodel is truncated: it has 200 bytes`));
    expect(message(newer)).toMatch(/was saved by a newer MLP Lab \(format version 2\); this version reads version 1 — update MLP Lab to open it\./);
    expect(message(null)).toMatch(/digits\.mlpmodel is in the model library but is not named by a model id, so the library leaves it alone; use Import/);

    // Listing changed nothing; loading says the same as the list; saving again overwrites nothing.
    expect(snapshot(dir)).toEqual(before);
    for (const id of [corrupted, truncated, newer]) {
      const error = await thrownAsync(store.load(id));
      expect(error).toBeInstanceOf(ModelFileError);
      expect(error.message).toBe(message(id));
      await expect(store.rename(id, 'Fixed?')).rejects.toThrow(ModelFileError);
      await expect(store.duplicate(id)).rejects.toThrow(ModelFileError);
    }
    await store.save('Another', model, weights);
    const after = snapshot(dir);
    for (const [name, bytes] of Object.entries(before)) expect(after[name], name).toBe(bytes);

    // The user can still remove a damaged model.
    store.delete(corrupted);
    expect(fs.existsSync(path(corrupted))).toBe(false);
  });

  it('reports a model file it cannot read (here a folder with a model\'s name) instead of failing the list', async () => {
    const { dir, store } = setup();
    const id = await store.save('Fine', model, weights);
    fs.mkdirSync(join(dir, `${'e'.repeat(32)}.mlpmodel`));
    const entries = await store.list();
    expect(entries.map((e) => [e.status, e.id])).toEqual([['ok', id], ['error', 'e'.repeat(32)]]);
    expect((entries[1] as { message: string }).message).toBe(`${'e'.repeat(32)}.mlpmodel is a folder, not a regular file: choose the model file itself.`);
  });

  it('never reuses an id that is taken, and refuses an id generator that makes paths', async () => {
    const dir = freshDir();
    const ids = [idOf(7), idOf(7), idOf(8)];
    const store = createModelStore({ dir, newId: () => ids.shift() ?? idOf(9) });
    expect((await store.save('A', model, weights))).toBe(idOf(7));
    expect((await store.save('B', model, weights))).toBe(idOf(8));
    expect((await store.load(idOf(7))).header.name).toBe('A');
    const evil = createModelStore({ dir, newId: () => '../../escape' });
    await expect(evil.save('C', model, weights)).rejects.toThrow(/The model id generator gave "..\/..\/escape", not 32 lowercase hexadecimal digits/);
    expect(fs.readdirSync(dir)).toHaveLength(2);
  });
});
