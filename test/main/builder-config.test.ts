/**
 * The electron-builder configuration, validated offline against electron-builder's own schema, plus
 * what the app relies on: the targets, MNIST shipped where main looks for it, the hardening fuses.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { builtInMnistDir } from '../../src/main/datasets';
import { LESSON_FILE_EXTENSION } from '../../src/shared/lesson/lesson';

vi.mock('electron', () => ({}));

const ROOT = resolve(import.meta.dirname, '../..');

describe('electron-builder configuration', () => {
  let config: Configuration;

  beforeAll(async () => {
    config = await getConfig(ROOT, null, null);
  });

  it('is found and passes electron-builder\'s schema', async () => {
    expect(config.appId).toBe('org.mlplab.desktop');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check is real: a misspelt option is refused', async () => {
    const misspelt = { ...config, electronFusess: { runAsNode: false } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFusess/);
  });

  it('builds AppImage and deb, NSIS, and dmg, filed under Education', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Education');
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.mac?.category).toBe('public.app-category.education');
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon && existsSync(join(ROOT, icon))).toBe(true);
    }
  });

  it('registers the lesson file type with the installers, as the file reader names it', () => {
    expect(config.fileAssociations).toEqual([
      { ext: LESSON_FILE_EXTENSION.slice(1), name: 'MLP Lab lesson', description: 'MLP Lab lesson', mimeType: 'application/x-mlp-lab-lesson', role: 'Editor' },
    ]);
  });

  it('packs the built app, whose entry is the main bundle', () => {
    const main = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).main as string;
    expect(main).toBe('./out/main/index.js');
    expect(config.files).toEqual(expect.arrayContaining([expect.objectContaining({ filter: expect.arrayContaining(['out/**/*', 'package.json']) })]));
    expect(config.asar).toBe(true);
  });

  it('ships the four MNIST IDX files as resources, where main looks for the built-in set when packaged', () => {
    const resources = config.extraResources as { from: string; to: string; filter: string[] }[];
    expect(resources).toHaveLength(1);
    const [mnist] = resources;
    expect(mnist?.to).toBe('mnist');
    const shipped = readdirSync(join(ROOT, mnist?.from ?? '')).filter((file) => file.endsWith('-ubyte'));
    expect(shipped.sort()).toEqual(['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte']);
    expect(mnist?.filter).toEqual(['*-ubyte']);
    expect(builtInMnistDir(true, '/resources', () => '')).toBe(join('/resources', mnist?.to ?? ''));
  });

  it('flips the hardening fuses; file:// gets no extra privileges (the page is on app://) and cookies stay plain', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
      // No cookies to protect, and once shipped on this fuse could never be turned off again.
      enableCookieEncryption: false,
    });
  });

  it('never turns Chromium\'s sandbox off in the package; only the documented dev script does', () => {
    expect(JSON.stringify(config)).not.toMatch(/no-?sandbox/i);
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['start']).toBe('electron-vite preview');
    expect(scripts['start:no-sandbox']).toBe('electron-vite preview --noSandbox');
    expect(Object.entries(scripts).filter(([, command]) => /no-?sandbox/i.test(command)).map(([name]) => name)).toEqual(['start:no-sandbox']);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('npm run start:no-sandbox');
  });
});
