/**
 * Where the renderer page comes from, and whether a URL is that page. The IPC handlers trust only
 * messages from a frame showing this page's origin.
 */
import { APP_PAGE_URL } from './app-protocol';

export type AppPage =
  /** The built renderer folder served on app://mlp-lab/ (an installed app, `npm start`). */
  | { kind: 'app-protocol'; root: string; url: string }
  /** The electron-vite dev server (`npm run dev`), never used by a packaged app. */
  | { kind: 'dev-server'; url: string };

export interface AppPageInputs {
  /** `out/renderer` next to the built main bundle. */
  builtRendererDir: string;
  isPackaged: boolean;
  /** electron-vite sets ELECTRON_RENDERER_URL while `npm run dev` runs. */
  devServerUrl: string | undefined;
}

export function resolveAppPage({ builtRendererDir, isPackaged, devServerUrl }: AppPageInputs): AppPage {
  // An installed app ignores the environment variable: it must not be pointed at another page.
  if (!isPackaged && devServerUrl) return { kind: 'dev-server', url: devServerUrl };
  return { kind: 'app-protocol', root: builtRendererDir, url: APP_PAGE_URL };
}

/**
 * A URL's origin as scheme, host and port, for the schemes the app page can have: app: (registered
 * as standard, so it has a host) and the dev server's http(s). Anything else (file:, about:, data:,
 * a blob, an unparsable string) has no origin to compare and is never the app.
 */
function originOf(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'app:' && url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.host === '' || url.username !== '' || url.password !== '') return null;
  // Node gives custom schemes an opaque origin ('null'), so it is spelled out here.
  return `${url.protocol}//${url.host}`;
}

/** True when `candidate` is on the app page's origin (any path, query or fragment on it). */
export function isAppUrl(candidate: string, appPageUrl: string): boolean {
  const expected = originOf(appPageUrl);
  return expected !== null && originOf(candidate) === expected;
}
