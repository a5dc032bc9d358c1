import { describe, expect, it } from 'vitest';
import { isAppUrl, resolveAppPage } from '../../src/main/app-page';

describe('the app page', () => {
  it('is the built file, as a file URL, unless developing with the dev server', () => {
    expect(resolveAppPage({ builtPagePath: '/app/out/renderer/index.html', isPackaged: false, devServerUrl: undefined })).toEqual({
      kind: 'file',
      path: '/app/out/renderer/index.html',
      url: 'file:///app/out/renderer/index.html',
    });
    expect(resolveAppPage({ builtPagePath: '/x/index.html', isPackaged: false, devServerUrl: 'http://localhost:5173' })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173',
    });
  });

  it('an installed app ignores ELECTRON_RENDERER_URL, so nobody can point it at another page', () => {
    const page = resolveAppPage({ builtPagePath: '/opt/lab/index.html', isPackaged: true, devServerUrl: 'https://evil.example' });
    expect(page.kind).toBe('file');
  });
});

describe('isAppUrl', () => {
  const built = 'file:///app/out/renderer/index.html';

  it('accepts the built page, with or without a fragment or query', () => {
    expect(isAppUrl(built, built)).toBe(true);
    expect(isAppUrl(`${built}#train`, built)).toBe(true);
    expect(isAppUrl(`${built}?x=1`, built)).toBe(true);
  });

  it('refuses any other file, host, scheme or unparsable URL', () => {
    expect(isAppUrl('file:///app/out/renderer/other.html', built)).toBe(false);
    expect(isAppUrl('file:///tmp/index.html', built)).toBe(false);
    expect(isAppUrl('file://server/app/out/renderer/index.html', built)).toBe(false);
    expect(isAppUrl('https://example.com/app/out/renderer/index.html', built)).toBe(false);
    expect(isAppUrl('about:blank', built)).toBe(false);
    expect(isAppUrl('', built)).toBe(false);
    expect(isAppUrl('not a url', built)).toBe(false);
  });

  it('matches the dev server by origin', () => {
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5173/index.html#x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('https://localhost:5173/', 'http://localhost:5173')).toBe(false);
  });
});
