import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request an HttpReceiver took: the raw body, the headers, and the body parsed as JSON. */
export interface ReceivedRequest {
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * A real HTTP server on loopback standing in for an outside receiver (a webhook consumer, a voice
 * gateway): every request's body is read whole, `answer` (override it) picks the status and whether
 * to keep the request in `received`, and the server can be closed and listened on again (on the same
 * port) to play a receiver that is down.
 */
export class HttpReceiver {
  readonly received: ReceivedRequest[] = [];
  /** Requests answered, kept or not. */
  hits = 0;
  port = 0;
  private server?: http.Server;

  /** The status for a request, and whether to keep it in `received` (a bare status: kept when 2xx). Accepts all by default. */
  protected answer(_r: ReceivedRequest): number | { status: number; keep: boolean; body?: string } {
    return 204;
  }

  async listen(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.hits++;
        const raw = Buffer.concat(chunks);
        let body: Record<string, unknown> = {};
        try {
          const parsed: unknown = JSON.parse(raw.toString('utf8'));
          if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
        } catch {
          // Not JSON: `raw` still has it.
        }
        const r = { raw, headers: req.headers, body };
        const a = this.answer(r);
        const { status, keep, body: text } = typeof a === 'number' ? { status: a, keep: a >= 200 && a < 300, body: undefined } : a;
        if (keep) this.received.push(r);
        res.writeHead(status).end(text);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()).closeAllConnections());
  }
}
