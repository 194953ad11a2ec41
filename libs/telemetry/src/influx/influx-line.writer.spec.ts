import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startVictoriaMetrics, waitFor, type VictoriaMetricsServer } from '@hearthbeat/testing';
import { resolveOptions, type TelemetryStoreOptions } from '../telemetry-options';
import { InfluxLineWriter } from './influx-line.writer';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const line = (i: number) => `water,device=WM-0001,resident=R-0001,site=s totalL=${i}.5 ${T0 + i * 1000}`;
const fast: TelemetryStoreOptions = { flushIntervalMs: 50, maxBatchPoints: 500, maxBufferedPoints: 10_000, retryMinDelayMs: 50, retryMaxDelayMs: 400, requestTimeoutMs: 2_000 };

async function exportedCount(vm: VictoriaMetricsServer): Promise<number> {
  await vm.forceFlush();
  const series = await vm.exportSeries('{__name__="water_totalL"}');
  return series.reduce((n, s) => n + s.values.length, 0);
}

describe('InfluxLineWriter (the v2 write API of victoria-metrics, through the real client)', () => {
  let vm: VictoriaMetricsServer | undefined;
  let writer: InfluxLineWriter | undefined;
  afterEach(async () => {
    await writer?.close(100);
    await vm?.stop();
    writer = vm = undefined;
  });

  it('writes batches and the exported values are the ones written', async () => {
    vm = await startVictoriaMetrics();
    writer = new InfluxLineWriter({ url: vm.url, token: 't', org: 'o', bucket: 'b' }, resolveOptions(fast));
    for (let i = 0; i < 1_200; i++) writer.push(line(i));
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: 1_200, buffered: 0, dropped: 0, retries: 0 });
    await vm.forceFlush();
    const [series] = await vm.exportSeries('{__name__="water_totalL"}');
    expect(series?.metric).toEqual({ __name__: 'water_totalL', device: 'WM-0001', resident: 'R-0001', site: 's' });
    expect(series?.values.slice(0, 3)).toEqual([0.5, 1.5, 2.5]);
    expect(series?.timestamps.length).toBe(1_200);
  });

  it('keeps writing through a server restart: nothing lost within the bound, the backlog arrives when it is back', async () => {
    vm = await startVictoriaMetrics();
    writer = new InfluxLineWriter({ url: vm.url, token: 't', org: 'o', bucket: 'b' }, resolveOptions(fast));
    for (let i = 0; i < 1_000; i++) writer.push(line(i));
    await writer.flush();
    const { port, dataDir } = vm;
    await vm.stop({ keepData: true });
    const t0 = performance.now();
    for (let i = 1_000; i < 4_000; i++) writer.push(line(i));
    expect(performance.now() - t0).toBeLessThan(100); // the caller never waits for the server
    const w = writer;
    await waitFor('a failed attempt while the server is down', () => w.stats().retries >= 2, 10_000);
    expect(w.stats()).toMatchObject({ buffered: 3_000, dropped: 0 });
    expect(w.stats().lastError?.message).toMatch(/ECONNREFUSED|connect/i);
    vm = await startVictoriaMetrics({ port, dataDir });
    await waitFor('the backlog written', () => w.stats().buffered === 0, 15_000);
    expect(w.stats()).toMatchObject({ written: 4_000, dropped: 0, rejected: 0 });
    expect(await exportedCount(vm)).toBe(4_000);
  });

  it('with a server that never comes up: returns at once, holds at most the bound, counts every drop exactly', async () => {
    const port = await freePort();
    writer = new InfluxLineWriter({ url: `http://127.0.0.1:${port}`, token: 't', org: 'o', bucket: 'b' }, resolveOptions({ ...fast, maxBufferedPoints: 1_000, maxBatchPoints: 100 }));
    const t0 = performance.now();
    for (let i = 0; i < 50_000; i++) writer.push(line(i));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(writer.stats()).toMatchObject({ written: 0, buffered: 1_000, dropped: 49_000 });
    const w = writer;
    await waitFor('three failed attempts', () => w.stats().retries >= 3, 10_000);
    for (let i = 0; i < 10; i++) writer.push(line(i));
    expect(writer.stats()).toMatchObject({ written: 0, buffered: 1_000, dropped: 49_010 });
    await writer.close(50);
    expect(writer.stats()).toMatchObject({ buffered: 0, dropped: 50_010 });
  });

  it('drops a batch the server refuses as malformed (400) and retries one it fails to take (503)', async () => {
    const answers = [400, 503, 204];
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(answers.shift() ?? 204, { 'content-type': 'application/json' }).end('{"code":"invalid","message":"no"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // Bodies under the client's 1,000-byte gzip threshold: the test server reads them as sent.
      writer = new InfluxLineWriter({ url, token: 't', org: 'o', bucket: 'b' }, resolveOptions({ ...fast, maxBatchPoints: 2, maxBufferedPoints: 100 }));
      writer.push('bad');
      writer.push('worse');
      await writer.flush();
      expect(writer.stats()).toMatchObject({ rejected: 2, retries: 0 });
      writer.push(line(1));
      await writer.flush(); // 503: kept
      expect(writer.stats()).toMatchObject({ retries: 1, buffered: 1 });
      await writer.flush(); // 204
      expect(writer.stats()).toMatchObject({ written: 1, buffered: 0, rejected: 2 });
      expect(bodies).toHaveLength(3);
    } finally {
      await writer?.close(50);
      writer = undefined;
      await new Promise((r) => server.close(r));
    }
  });
});
