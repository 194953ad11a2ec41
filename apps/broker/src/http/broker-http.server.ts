import * as http from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  ports: Record<string, number>;
  connections: number;
  uptimeS: number;
}

/**
 * The broker's small HTTP server: `GET /health` (JSON, 200 while the MQTT listeners are up, else 503)
 * and `GET /metrics` (Prometheus text from the broker's own registry).
 */
export function createBrokerHttpServer(health: () => HealthReport, metrics: Registry): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/health') {
      const report = health();
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report));
      return;
    }
    if (path === '/metrics') {
      metrics
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text))
        .catch((err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found', paths: ['/health', '/metrics'] }));
  });
}
