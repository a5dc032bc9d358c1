/**
 * A tiny HTTP server for the built renderer (out/renderer) on 127.0.0.1, so Chromium loads the very
 * files the app ships, under their CSP, from a real origin.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/** Where bytes put on the shelf are served, once each, beside the renderer's own files. */
const SHELF_PATH = '/__lab-bytes/';
/** How long bytes no page fetched stay on the shelf (a page closed before it asked). */
const SHELF_KEEP_MS = 60_000;
const shelf = new Map<string, Buffer>();
let shelved = 0;

/**
 * Puts bytes where the page can fetch them from its own origin (so under its CSP, `default-src
 * 'self'`), once, and returns their path. The end-to-end bridge hands large typed arrays over this
 * way: through the network stack, as Electron's IPC hands bytes over, instead of through the
 * DevTools protocol, whose handling of a megabyte-sized message takes the page's main thread for
 * about a tenth of a second (a cost the real app does not have).
 */
export function shelveBytes(bytes: Buffer): string {
  const id = `${++shelved}-${Math.random().toString(36).slice(2)}`;
  shelf.set(id, bytes);
  setTimeout(() => shelf.delete(id), SHELF_KEEP_MS).unref();
  return SHELF_PATH + id;
}

export async function serveFolder(root: string): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (path.startsWith(SHELF_PATH)) {
      const id = path.slice(SHELF_PATH.length);
      const bytes = shelf.get(id);
      shelf.delete(id);
      if (bytes === undefined) response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }).end(bytes);
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The static server has no TCP address.');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
