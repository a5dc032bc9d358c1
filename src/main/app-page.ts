/**
 * Where the renderer page comes from, and whether a URL is that page. The IPC handlers trust only
 * messages from a frame showing exactly this page.
 */
import { pathToFileURL } from 'node:url';

export type AppPage =
  /** The built page on disk (an installed app, `npm start`). */
  | { kind: 'file'; path: string; url: string }
  /** The electron-vite dev server (`npm run dev`), never used by a packaged app. */
  | { kind: 'dev-server'; url: string };

export interface AppPageInputs {
  /** `out/renderer/index.html` next to the built main bundle. */
  builtPagePath: string;
  isPackaged: boolean;
  /** electron-vite sets ELECTRON_RENDERER_URL while `npm run dev` runs. */
  devServerUrl: string | undefined;
}

export function resolveAppPage({ builtPagePath, isPackaged, devServerUrl }: AppPageInputs): AppPage {
  // An installed app ignores the environment variable: it must not be pointed at another page.
  if (!isPackaged && devServerUrl) return { kind: 'dev-server', url: devServerUrl };
  return { kind: 'file', path: builtPagePath, url: pathToFileURL(builtPagePath).href };
}

/**
 * True when `candidate` shows the app page: the same file for a built page, the same origin for the
 * dev server. Query and fragment do not matter; anything unparsable is not the app.
 */
export function isAppUrl(candidate: string, appPageUrl: string): boolean {
  let seen: URL;
  let expected: URL;
  try {
    seen = new URL(candidate);
    expected = new URL(appPageUrl);
  } catch {
    return false;
  }
  if (expected.protocol === 'file:') {
    return seen.protocol === 'file:' && seen.host === expected.host && seen.pathname === expected.pathname;
  }
  return seen.origin === expected.origin;
}
