import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { tempDir } from '@hearthbeat/testing';
import { serveDashboard } from './dashboard.static';

/** A stand-in for the engine: answers everything it receives with its own JSON, like Nest's 404. */
function engineServer(): http.Server {
  return http.createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ engine: true, method: req.method, url: req.url }));
  });
}

describe('serveDashboard', () => {
  let server: http.Server;
  let base: string;
  const dir = tempDir('dashboard-dist');
  const bigScript = `console.log(${JSON.stringify('x'.repeat(5000))});`;

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), bigScript);
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
    fs.writeFileSync(path.join(path.dirname(dir), 'secret.txt'), 'no');
    server = engineServer();
    expect(serveDashboard(server, { dir })).toBe(true);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    if (typeof addr !== 'object' || addr === null) throw new Error('not listening');
    base = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(path.dirname(dir), 'secret.txt'), { force: true });
  });

  it('serves index.html at / and for every page path (SPA fallback), revalidated, with a CSP', async () => {
    for (const p of ['/', '/alerts', '/residents/R-0001', '/elevators/EL-0001?x=1']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(await res.text()).toContain('id="root"');
    }
  });

  it('serves hashed assets for ever, compressed when the browser accepts gzip', async () => {
    const res = await fetch(`${base}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // fetch decodes gzip itself; the header shows it was sent compressed.
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toBe(bigScript);
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve) =>
      http.get(`${base}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ encoding: r.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }),
    );
    expect(raw.encoding).toBe('gzip');
    expect(zlib.gunzipSync(raw.body).toString()).toBe(bigScript);
  });

  it('answers 304 to a matching ETag and serves HEAD without a body', async () => {
    const first = await fetch(`${base}/favicon.svg`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(`${base}/favicon.svg`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const head = await fetch(`${base}/favicon.svg`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404 for a missing asset rather than index.html, and never leaves its directory', async () => {
    expect((await fetch(`${base}/assets/missing-123.js`)).status).toBe(404);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const res = await fetch(`${base}${p}`);
      expect(await res.text()).not.toBe('no');
    }
    expect((await fetch(`${base}/%E0%A4%A`)).status).toBe(400);
  });

  it('leaves /api, /ws, /health, /metrics and every non-GET to the engine', async () => {
    for (const p of ['/api/alerts', '/api', '/health', '/metrics', '/ws?token=x']) {
      const res = await fetch(`${base}${p}`);
      expect(await res.json()).toMatchObject({ engine: true, url: p });
    }
    const post = await fetch(`${base}/alerts`, { method: 'POST' });
    expect(await post.json()).toMatchObject({ engine: true, method: 'POST' });
  });

  it('answers 503 with Retry-After for the instant a rebuild swaps the directory', async () => {
    const index = path.join(dir, 'index.html');
    fs.renameSync(index, `${index}.away`);
    try {
      const res = await fetch(`${base}/residents`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      fs.renameSync(`${index}.away`, index);
    }
  });

  it('does nothing when the dashboard has not been built', () => {
    const other = engineServer();
    const warnings: unknown[] = [];
    expect(serveDashboard(other, { dir: tempDir('empty-dist'), logger: { info: () => undefined, warn: (o: unknown) => void warnings.push(o) } })).toBe(false);
    expect(other.listeners('request')).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });
});
