import type { Alert } from '@hearthbeat/contracts';
import { sleep, waitFor } from '@hearthbeat/testing';
import { startStack, smallRegistry, type Stack } from './support/engine.harness';

/** The same device traffic through the project's broker and through Debian's mosquitto. */
async function scenario(stack: Stack): Promise<string[]> {
  const now = Date.now();
  const alarm = await stack.device('SA-0001');
  const lift = await stack.device('EL-0001');
  const meter = await stack.device('WM-0001');
  const state = { floor: 5, doorZone: true, direction: 'stopped', door: 'closed', occupied: true, speedMps: 0, mode: 'normal', power: 'mains' };
  await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: now, seq: 1, event: 'alarm' }), { qos: 1 });
  await alarm.publishAsync('hb/v1/SA-0001/telemetry', JSON.stringify({ ts: now, seq: 2, batteryPct: 7 }), { qos: 1 });
  await meter.publishAsync('hb/v1/WM-0001/event', JSON.stringify({ ts: now, seq: 1, event: 'leak' }), { qos: 1 });
  await meter.publishAsync('hb/v1/WM-0001/telemetry', 'not json', { qos: 1 });
  await lift.publishAsync('hb/v1/EL-0001/telemetry', JSON.stringify({ ts: now, seq: 1, ...state, direction: 'up', door: 'open', speedMps: 1 }), { qos: 1 });
  // Stopped, doors closed, occupied: an entrapment after the (test) 1 s threshold, by deadline.
  await lift.publishAsync('hb/v1/EL-0001/telemetry', JSON.stringify({ ts: now + 500, seq: 2, ...state }), { qos: 1 });
  await waitFor('entrapment', () => stack.engine.runtime.driver.rules.alerts().some((a) => a.rule === 'elevator.entrapment'), 8000);
  await sleep(300);
  return stack.engine.runtime.driver.rules
    .alerts()
    .filter((a: Alert) => !a.rule.endsWith('offline'))
    .map((a) => `${a.rule} ${a.subject.type}:${a.subject.id} ${a.severity} ${a.deviceId ?? ''} x${a.count}`)
    .sort();
}

describe('the engine behind Debian mosquitto produces the same alerts as behind the project broker', () => {
  it('same alerts for the same traffic', async () => {
    const file = smallRegistry({ 'elevator.entrapment': { afterS: 1 } });
    const results: string[][] = [];
    for (const broker of ['hearthbeat', 'mosquitto'] as const) {
      const stack = await startStack({ file, broker });
      try {
        results.push(await scenario(stack));
      } finally {
        await stack.stop();
      }
    }
    const [ours, mosquitto] = results;
    expect(ours).toEqual(expect.arrayContaining([expect.stringMatching(/^smoke\.alarm resident:R-0001 critical SA-0001 x1$/), expect.stringMatching(/^elevator\.entrapment elevator:EL-0001 critical/)]));
    expect(ours?.some((a) => a.startsWith('elevator.moving_with_door_open'))).toBe(true);
    expect(ours?.some((a) => a.startsWith('device.low_battery'))).toBe(true);
    expect(ours?.some((a) => a.startsWith('water.leak'))).toBe(true);
    expect(mosquitto).toEqual(ours);
  }, 60_000);
});
