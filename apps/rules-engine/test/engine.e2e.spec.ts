import type { Alert } from '@hearthbeat/contracts';
import { sleep, waitFor } from '@hearthbeat/testing';
import { startStack, smallRegistry, type Stack } from './support/engine.harness';

const alertsOf = (stack: Stack, rule?: string): Alert[] => stack.engine.runtime.driver.rules.alerts().filter((a) => !rule || a.rule === rule);

describe('rules engine over MQTT (project broker, real sockets, wall clock)', () => {
  let stack: Stack;
  afterEach(async () => stack?.stop());

  it('a silent water meter raises water.no_activity when its window ends, with no further message', async () => {
    const file = smallRegistry({ 'water.no_activity': { windowS: 2, minLiters: 10 } });
    stack = await startStack({ file, broker: 'hearthbeat' });
    // The no-activity deadline waits for the meter's next report to be due (a reading may still cover
    // the window), so this meter reports every second and is called offline only after an hour.
    const meter = await stack.device('WM-0003');
    await meter.publishAsync('hb/v1/WM-0003/telemetry', JSON.stringify({ ts: Date.now(), seq: 1, totalL: 1000 }), { qos: 1 });
    await waitFor('the reading to be accepted', () => stack.engine.runtime.driver.rules.deviceState('WM-0003')?.lastSeenAt);
    expect(alertsOf(stack, 'water.no_activity')).toHaveLength(0);
    // Nothing more is published: only the engine's deadline timer can raise the alert.
    const alert = await waitFor('water.no_activity', () => alertsOf(stack, 'water.no_activity')[0], 8000);
    expect(alert).toMatchObject({ state: 'open', subject: { type: 'resident', id: 'R-0003' }, deviceId: 'WM-0003' });
    expect(alert.reason).toMatch(/L/);
    expect(alertsOf(stack, 'water.meter_offline').filter((a) => a.deviceId === 'WM-0003')).toHaveLength(0);
  });

  it('an offline meter raises water.meter_offline and never water.no_activity', async () => {
    const file = smallRegistry({ 'water.no_activity': { windowS: 4, minLiters: 10 } });
    stack = await startStack({ file, broker: 'hearthbeat' });
    const meter = await stack.device('WM-0002'); // reports every second: offline after 2 s of silence
    await meter.publishAsync('hb/v1/WM-0002/telemetry', JSON.stringify({ ts: Date.now(), seq: 1, totalL: 50 }), { qos: 1 });
    const offline = await waitFor('water.meter_offline', () => alertsOf(stack, 'water.meter_offline').find((a) => a.deviceId === 'WM-0002'), 8000);
    expect(offline.subject.id).toBe('R-0002');
    await sleep(4500); // past the no-activity window measured from the reading
    expect(alertsOf(stack, 'water.no_activity').filter((a) => a.subject.id === 'R-0002')).toHaveLength(0);
  });

  it('two triggering messages a millisecond apart and a QoS 1 redelivery make one alert', async () => {
    stack = await startStack({ file: smallRegistry(), broker: 'hearthbeat' });
    const alarm = await stack.device('SA-0001');
    const ts = Date.now();
    const first = JSON.stringify({ ts, seq: 7, event: 'alarm' });
    await Promise.all([
      alarm.publishAsync('hb/v1/SA-0001/event', first, { qos: 1 }),
      alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: ts + 1, seq: 8, event: 'alarm' }), { qos: 1 }),
      // The same message again, as a broker redelivers it after a lost PUBACK.
      alarm.publishAsync('hb/v1/SA-0001/event', first, { qos: 1, dup: true }),
    ]);
    await waitFor('both distinct alarms counted', () => alertsOf(stack, 'smoke.alarm')[0]?.count === 2 || undefined, 5000);
    await sleep(300);
    const alerts = alertsOf(stack, 'smoke.alarm');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', count: 2, subject: { id: 'R-0001' } });
  });

  it('refuses payloads from the engine side too and counts them by reason', async () => {
    stack = await startStack({ file: smallRegistry(), broker: 'hearthbeat' });
    const gate = stack.engine.runtime.gate;
    expect(gate.admit('hb/v1/NOPE-1/event', Buffer.from('{"ts":1,"event":"alarm"}'), Date.now())).toMatchObject({ ok: false, rejection: { reason: 'unknown_device' } });
    expect(gate.admit('hb/v1/SA-0001/event', Buffer.from('{"ts":1,"event":"ALARM"}'), Date.now())).toMatchObject({ ok: false, rejection: { reason: 'unknown_enum', field: 'event' } });
    expect(gate.rejections()).toEqual(
      expect.arrayContaining([
        { deviceId: 'NOPE-1', reason: 'unknown_device', count: 1 },
        { deviceId: 'SA-0001', reason: 'unknown_enum', count: 1 },
      ]),
    );
  });

  it('reports /health ready and serves Prometheus /metrics', async () => {
    stack = await startStack({ file: smallRegistry(), broker: 'hearthbeat' });
    const base = `http://127.0.0.1:${stack.engine.httpPort}`;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ready', store: true, engine: true, mqtt: true });
    const alarm = await stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), event: 'alarm' }), { qos: 1 });
    await waitFor('alert', () => alertsOf(stack, 'smoke.alarm')[0]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/hb_engine_alert_changes_total\{rule="smoke.alarm",change="opened"\} 1/);
    expect(metrics).toMatch(/hb_engine_alerts\{rule="smoke.alarm",state="open"\} 1/);
    expect(metrics).toMatch(/hb_engine_store_write_seconds_count \d+/);
  });
});
