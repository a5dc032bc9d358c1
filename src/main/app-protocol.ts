/**
 * The app page's own scheme, app://mlp-lab/, instead of file:// (Electron's security checklist, item
 * 18): a page on file:// may read any file the user can, while this scheme serves the built
 * renderer folder and nothing else. It also gives the page a real origin, `app://mlp-lab`, which the
 * IPC sender check compares, where file URLs differ by drive-letter case and escaping on Windows.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CustomScheme } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'mlp-lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/**
 * Registered before `ready` (Electron allows it then only, once): standard, so relative URLs
 * resolve and the page has an origin; secure, so it is a secure context like https; fetch, for the
 * page's own assets. Nothing else (no CSP bypass, no service workers, no CORS target).
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

export type AppFile = { ok: true; path: string } | { ok: false; status: 400 | 404; reason: string };

/**
 * The file an app:// URL names under `root`, or why it is refused: another host, a path that is
 * not valid percent-encoding, a `..` segment (written out or percent-encoded, with / or \), a NUL,
 * a drive or an absolute path, or anything that resolves outside `root`. `/` is the page itself.
 * `pathApi` is node:path's posix or win32 flavour, so that tests check both.
 */
export function resolveAppFile(requestUrl: string, root: string, pathApi: path.PlatformPath = path): AppFile {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 404, reason: `not on ${APP_ORIGIN}` };
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (relative === '/' || relative === '') relative = '/index.html';
  const segments = relative.split(/[\\/]/);
  if (relative.includes('\0') || segments.some((segment) => segment === '..' || segment === '.' || /^[a-z]:$/i.test(segment))) {
    return { ok: false, status: 400, reason: 'not a plain path' };
  }
  const rootDir = pathApi.resolve(root);
  const file = pathApi.resolve(rootDir, `.${relative}`);
  const inside = pathApi.relative(rootDir, file);
  if (inside === '' || inside.startsWith('..') || pathApi.isAbsolute(inside)) return { ok: false, status: 404, reason: 'outside the app' };
  return { ok: true, path: file };
}

/**
 * The `protocol.handle` handler: GET of a file under `root`, read by `fetchFile` (Electron's
 * `net.fetch` of its file URL, which also reads inside app.asar and sets the MIME type); anything
 * else is answered with an error status and no body worth reading.
 */
export function createAppProtocolHandler(root: string, fetchFile: (fileUrl: string) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const file = resolveAppFile(request.url, root);
    if (!file.ok) return new Response(`Refused: ${file.reason}`, { status: file.status });
    try {
      return await fetchFile(pathToFileURL(file.path).href);
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
