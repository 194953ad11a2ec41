import * as fs from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

/** `vite build` output of apps/dashboard; the same relative place from src/ (tests) and dist/ (npm start). */
export const DASHBOARD_DIST = path.resolve(__dirname, '..', '..', 'dashboard', 'dist');

/** The engine's own paths: never answered from the dashboard, even when no such route exists. */
const RESERVED = /^\/(api|ws|health|metrics)(\/|$)/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/**
 * The single-page app may only talk to its own origin (REST and /ws); antd injects its styles at run
 * time, hence 'unsafe-inline' for styles only.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export interface DashboardOptions {
  dir?: string;
  /** pino's logger fits. */
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

const gzip = promisify(zlib.gzip);
/** One compressed copy per file, replaced when the file changes (a rebuild while running). */
type GzipCache = Map<string, { etag: string; data: Promise<Buffer> }>;

/**
 * Serves the built staff dashboard at `/` on the engine's HTTP server, with the SPA fallback
 * (`/residents/R-0001` answers index.html). It sits in front of the engine's request handler rather
 * than inside Express because Nest registers its JSON 404 handler when it starts listening, and a
 * handler added afterwards would never be reached. Only GET and HEAD outside /api, /ws, /health and
 * /metrics are answered here; everything else goes to the engine untouched. Returns whether it is
 * serving (false when the dashboard has not been built).
 */
export function serveDashboard(server: Server, opts: DashboardOptions = {}): boolean {
  const dir = path.resolve(opts.dir ?? DASHBOARD_DIST);
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    opts.logger?.warn({ dir }, 'dashboard not built (run `npm run build`): / is not served');
    return false;
  }
  const engine = server.listeners('request');
  server.removeAllListeners('request');
  const gzipCache: GzipCache = new Map();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if ((req.method === 'GET' || req.method === 'HEAD') && !RESERVED.test(pathname)) {
      void serveFile(dir, pathname, req, res, gzipCache).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    for (const l of engine) Reflect.apply(l, server, [req, res]);
  });
  opts.logger?.info({ dir }, 'dashboard served at /');
  return true;
}

async function serveFile(dir: string, pathname: string, req: IncomingMessage, res: ServerResponse, gzipCache: GzipCache): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return plain(res, 400, 'bad path');
  }
  if (rel.includes('\0')) return plain(res, 400, 'bad path');
  let file = path.resolve(dir, `.${path.posix.normalize(rel)}`);
  if (file !== dir && !file.startsWith(dir + path.sep)) return plain(res, 404, 'not found');
  let stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) {
    // A missing asset is a 404 (index.html in its place would fail as a script); a page path is the SPA's.
    if (path.posix.basename(rel).includes('.')) return plain(res, 404, 'not found');
    file = path.join(dir, 'index.html');
    stat = await fs.promises.stat(file).catch(() => undefined);
    // A rebuild swaps dist/ while the platform runs: for that instant, ask the browser to come back.
    if (!stat) return plain(res, 503, 'the dashboard is being rebuilt: reload in a moment', { 'retry-after': '1' });
  }
  const ext = path.extname(file);
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    // Vite names assets by content hash: cache them for ever; everything else is revalidated.
    'cache-control': file.startsWith(path.join(dir, 'assets') + path.sep) ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    vary: 'accept-encoding',
  };
  if (ext === '.html') Object.assign(headers, { 'content-security-policy': CSP, 'x-frame-options': 'DENY' });
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let body: Buffer;
  // Phones on mobile data: the app's scripts shrink to about a third; compressed once per file version.
  if (COMPRESSIBLE.has(ext) && stat.size > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    let cached = gzipCache.get(file);
    if (cached?.etag !== etag) {
      const data = fs.promises.readFile(file).then((raw) => gzip(raw));
      cached = { etag, data };
      gzipCache.set(file, cached);
      data.catch(() => gzipCache.delete(file));
    }
    body = await cached.data;
    headers['content-encoding'] = 'gzip';
  } else {
    body = await fs.promises.readFile(file);
  }
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...extra });
  res.end(text);
}
