import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, createAppProtocolHandler, resolveAppFile } from '../../src/main/app-protocol';

const root = '/opt/MLP Lab/resources/app.asar/out/renderer';

function refused(url: string, dir = root, pathApi: path.PlatformPath = path.posix): string {
  const file = resolveAppFile(url, dir, pathApi);
  return file.ok ? `served ${file.path}` : `refused ${file.status}`;
}

describe('resolveAppFile: the app:// path checks', () => {
  it('serves files under the renderer folder, and the page for /', () => {
    expect(resolveAppFile(`${APP_ORIGIN}/index.html`, root, path.posix)).toEqual({ ok: true, path: `${root}/index.html` });
    expect(resolveAppFile(`${APP_ORIGIN}/`, root, path.posix)).toEqual({ ok: true, path: `${root}/index.html` });
    expect(resolveAppFile(`${APP_ORIGIN}/assets/index-abc.js?v=1#x`, root, path.posix)).toEqual({ ok: true, path: `${root}/assets/index-abc.js` });
    expect(resolveAppFile(`${APP_ORIGIN}/assets/a%20b.css`, root, path.posix)).toEqual({ ok: true, path: `${root}/assets/a b.css` });
  });

  it('keeps .. written out inside: the URL parser resolves it (and %2e%2e) before the handler', () => {
    // new URL resolves dot segments before the handler sees them: /../../etc/passwd is /etc/passwd.
    expect(refused(`${APP_ORIGIN}/../../etc/passwd`)).toBe(`served ${root}/etc/passwd`);
    expect(refused(`${APP_ORIGIN}/assets/../../../etc/passwd`)).toBe(`served ${root}/etc/passwd`);
  });

  it('refuses traversal whose slashes are percent-encoded (/ or \\); a doubly encoded one is a plain name', () => {
    expect(refused(`${APP_ORIGIN}/..%2f..%2fetc%2fpasswd`)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/assets/..%2F..%2F..%2Fetc/passwd`)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/%2e%2e%2f%2e%2e%2fsecret`)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/..%5c..%5csecret`)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/assets/%2e/x.js`)).toBe(`served ${root}/assets/x.js`);
    expect(refused(`${APP_ORIGIN}/%252e%252e%252fsecret`)).toBe(`served ${root}/%2e%2e%2fsecret`);
  });

  it('refuses absolute paths, drives, NUL and bad encodings', () => {
    expect(refused(`${APP_ORIGIN}/%2fetc%2fpasswd`)).toBe(`served ${root}/etc/passwd`);
    expect(refused(`${APP_ORIGIN}/C:/Windows/win.ini`)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/c%3a%5cWindows%5cwin.ini`)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/index.html%00.png`)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/%E0%A4%A`)).toBe('refused 400');
  });

  it('refuses other hosts and schemes, and the folder itself', () => {
    expect(refused('app://other/index.html')).toBe('refused 404');
    expect(refused('file:///etc/passwd')).toBe('refused 404');
    expect(refused('https://mlp-lab/index.html')).toBe('refused 404');
    expect(refused('not a url')).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}//`)).toBe('refused 404');
  });

  it('holds on Windows paths too: backslashes, drives and UNC paths stay inside', () => {
    const winRoot = 'C:\\Program Files\\MLP Lab 100%\\resources\\app.asar\\out\\renderer';
    expect(refused(`${APP_ORIGIN}/assets/x.js`, winRoot, path.win32)).toBe(`served ${winRoot}\\assets\\x.js`);
    expect(refused(`${APP_ORIGIN}/..%5c..%5cWindows%5cwin.ini`, winRoot, path.win32)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/D:%5csecret`, winRoot, path.win32)).toBe('refused 400');
    expect(refused(`${APP_ORIGIN}/%5c%5cserver%5cshare%5cx`, winRoot, path.win32)).toBe(`served ${winRoot}\\server\\share\\x`);
  });
});

describe('the app:// handler', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'app-protocol-'));
  mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>MLP Lab</title>');
  writeFileSync(path.join(dir, 'renderer', 'assets', 'app.js'), 'export {}');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Stands in for Electron's net.fetch of a file URL: reads the file, fails on a missing one.
  const fetched: string[] = [];
  const fetchFile = async (fileUrl: string): Promise<Response> => {
    fetched.push(fileUrl);
    return new Response(readFileSync(fileURLToPath(fileUrl)));
  };
  const handle = createAppProtocolHandler(path.join(dir, 'renderer'), fetchFile);

  it('answers with the file for a GET under the folder', async () => {
    const page = await handle(new Request(`${APP_ORIGIN}/index.html`));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('MLP Lab');
    expect(await (await handle(new Request(`${APP_ORIGIN}/assets/app.js`))).text()).toBe('export {}');
  });

  it('refuses traversal without reading anything, other methods, and answers 404 for a missing file', async () => {
    fetched.length = 0;
    expect((await handle(new Request(`${APP_ORIGIN}/..%2fsecret.txt`))).status).toBe(400);
    expect(fetched).toEqual([]);
    expect((await handle(new Request(`${APP_ORIGIN}/index.html`, { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await handle(new Request(`${APP_ORIGIN}/missing.js`))).status).toBe(404);
  });

  it('registers the scheme as standard and secure with fetch, and nothing more', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });
});
