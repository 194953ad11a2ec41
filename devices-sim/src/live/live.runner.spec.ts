import { Writable } from 'node:stream';
import { parseDevicePayload, type DeviceKind } from '@hearthbeat/contracts';
import { countingSubscriber } from '../../test/counting.subscriber';
import { sleep, startMosquitto, type MosquittoServer } from '@hearthbeat/testing';
import { parseSimOptions } from '../cli/sim-options';
import { runLive } from './live.runner';

const quiet = () => new Writable({ write: (_chunk, _enc, done) => done() });

describe('live mode against mosquitto', () => {
  // A fresh broker per test: retained statuses of one test must not count in the next.
  let broker: MosquittoServer;
  let url = '';
  beforeEach(async () => {
    // max_queued_messages 0 (the helper's default): nothing is dropped for a slow subscriber.
    broker = await startMosquitto();
    url = `mqtt://127.0.0.1:${broker.port}`;
  });
  afterEach(async () => broker?.stop());

  it('runs 1,000 devices accelerated; the broker delivers exactly what was published', async () => {
    const sub = await countingSubscriber(url, (topic) => topic.includes('/EL-0001/') || topic.includes('/WM-0001/'));
    try {
      const opts = parseSimOptions(['--url', url, '--residents', '480', '--elevators', '40', '--speed', '120', '--duration', '6s', '--progress', 'none', '--incident-rate', '0', '--seed', 'live']);
    const summary = await runLive(opts, { stdout: quiet() });
    const c = summary.counters;
    expect(c.devices).toBe(1000);
    expect(c.errors).toBe(0);
    expect(c.dropped).toBe(0);
    expect(c.acked).toBe(c.published);
    expect(c.unacked).toBe(0);
    await sub.waitFor(c.published, 15_000);
    await sleep(500); // nothing more may come
    expect(sub.total()).toBe(c.published);
    expect(sub.counts.get('telemetry')).toBe(c.byChannel.telemetry);
    // {"online":true} on connect and {"online":false} before the clean DISCONNECT, both retained.
    expect(sub.counts.get('status')).toBe(2000);
    expect(sub.counts.get('telemetry')).toBeGreaterThan(2000);
    // Device timestamps follow the simulated clock (120 x): they span minutes, not seconds.
    const kinds: Record<string, DeviceKind> = { EL: 'elevator', WM: 'water_meter' };
    const stamps: number[] = [];
    for (const m of sub.kept.filter((k) => !k.topic.endsWith('/status'))) {
      const [, , deviceId, channel] = m.topic.split('/') as [string, string, string, 'telemetry' | 'event'];
      const r = parseDevicePayload(m.payload, { deviceId, kind: kinds[deviceId.slice(0, 2)] as DeviceKind, channel, now: summary.simStop });
      expect(r.ok).toBe(true);
      stamps.push((JSON.parse(m.payload) as { ts: number }).ts);
    }
    expect(Math.max(...stamps) - Math.min(...stamps)).toBeGreaterThan(5 * 60_000);
    expect(Math.max(...stamps)).toBeLessThanOrEqual(summary.simStop);
    } finally {
      await sub.close();
    }
  }, 60_000);

  it('with --kill-on-exit drops the sockets so that the broker publishes every Will', async () => {
    const sub = await countingSubscriber(url, (topic) => topic.endsWith('/status'));
    try {
      const opts = parseSimOptions(['--url', url, '--residents', '10', '--elevators', '0', '--duration', '1s', '--progress', 'none', '--kill-on-exit', '--seed', 'wills']);
      const summary = await runLive(opts, { stdout: quiet() });
      // 20 {"online":true} sent by the devices, then 20 Wills sent by the broker.
      expect(summary.counters.published).toBeGreaterThanOrEqual(20);
      await sub.waitFor(summary.counters.published + 20, 10_000);
      expect(sub.kept.filter((k) => k.payload === '{"online":false}')).toHaveLength(20);
      expect(sub.kept.filter((k) => k.payload === '{"online":true}')).toHaveLength(20);
    } finally {
      await sub.close();
    }
  }, 30_000);
});
