import { describe, expect, it } from 'vitest';
import { isAppUrl, resolveAppPage } from '../../src/main/app-page';

describe('the app page', () => {
  it('is the built renderer folder on app://mlp-lab, unless developing with the dev server', () => {
    expect(resolveAppPage({ builtRendererDir: '/app/out/renderer', isPackaged: false, devServerUrl: undefined })).toEqual({
      kind: 'app-protocol',
      root: '/app/out/renderer',
      url: 'app://mlp-lab/index.html',
    });
    expect(resolveAppPage({ builtRendererDir: '/x', isPackaged: false, devServerUrl: 'http://localhost:5173' })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173',
    });
  });

  it('an installed app ignores ELECTRON_RENDERER_URL, so nobody can point it at another page', () => {
    const page = resolveAppPage({ builtRendererDir: '/opt/lab/renderer', isPackaged: true, devServerUrl: 'https://evil.example' });
    expect(page.kind).toBe('app-protocol');
  });
});

describe('isAppUrl compares origins', () => {
  const app = 'app://mlp-lab/index.html';

  it('accepts any page of the app origin, with or without a fragment or query', () => {
    expect(isAppUrl(app, app)).toBe(true);
    expect(isAppUrl('app://mlp-lab/', app)).toBe(true);
    expect(isAppUrl('app://mlp-lab/index.html#train', app)).toBe(true);
    expect(isAppUrl('app://mlp-lab/index.html?x=1', app)).toBe(true);
  });

  it('does not depend on where the app is installed (finding 6: drive-letter case, % in the path)', () => {
    // The page URL is the same wherever the files are; only file URLs carried the install path.
    const fromC = resolveAppPage({ builtRendererDir: 'c:\\Program Files\\MLP Lab 100%\\resources\\app.asar\\out\\renderer', isPackaged: true, devServerUrl: undefined });
    const fromOpt = resolveAppPage({ builtRendererDir: '/opt/MLP Lab/resources/app.asar/out/renderer', isPackaged: true, devServerUrl: undefined });
    expect(fromC.url).toBe(fromOpt.url);
    expect(isAppUrl('app://mlp-lab/index.html', fromC.url)).toBe(true);
  });

  it('refuses another host, scheme, a file URL, credentials, or an unparsable URL', () => {
    expect(isAppUrl('app://other/index.html', app)).toBe(false);
    expect(isAppUrl('app://mlp-lab.evil/index.html', app)).toBe(false);
    expect(isAppUrl('app://user@mlp-lab/index.html', app)).toBe(false);
    expect(isAppUrl('https://mlp-lab/index.html', app)).toBe(false);
    expect(isAppUrl('file:///app/out/renderer/index.html', app)).toBe(false);
    expect(isAppUrl('about:blank', app)).toBe(false);
    expect(isAppUrl('data:text/html,hi', app)).toBe(false);
    expect(isAppUrl('', app)).toBe(false);
    expect(isAppUrl('not a url', app)).toBe(false);
    // Two file URLs have no origin to share, so a file page never passes, even against itself.
    expect(isAppUrl('file:///a/index.html', 'file:///a/index.html')).toBe(false);
  });

  it('matches the dev server by origin', () => {
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5173/index.html#x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('https://localhost:5173/', 'http://localhost:5173')).toBe(false);
  });
});
