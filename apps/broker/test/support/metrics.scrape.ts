import * as http from 'node:http';

/** GET over a fresh connection (no keep-alive agent left open after a test). */
export function httpGet(port: number, path: string): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
  });
}

export type Samples = Map<string, number>;

/** Parses Prometheus text exposition: `name{a="x",b="y"} 12` -> key `name{a="x",b="y"}` (labels sorted). */
export function parseMetrics(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels = m[3] ? [...(m[3] as string).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}="${l[2]}"`).sort() : [];
    out.set(`${m[1]}${labels.length ? `{${labels.join(',')}}` : ''}`, Number(m[4]));
  }
  return out;
}

export async function scrape(port: number): Promise<Samples> {
  const res = await httpGet(port, '/metrics');
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(res.body);
}

/** One sample, 0 when absent. Labels given as an object, e.g. `{ reason: 'not_json' }`. */
export function sample(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  return samples.get(`${name}${l.length ? `{${l.join(',')}}` : ''}`) ?? 0;
}
