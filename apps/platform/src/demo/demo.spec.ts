import { waitFor } from '@hearthbeat/testing';
import { tempDir } from '@hearthbeat/testing';
import { startDemo } from './demo.server';
import { formatPush, watch } from './demo.watch';

/**
 * `npm run demo` in miniature: the platform, the simulator's live fleet against the embedded broker,
 * the scheduled fire a few seconds after start, seen over /ws by the staff screen; lifts by a maintainer.
 */
describe('npm run demo', () => {
  it('a newcomer sees the scheduled smoke alarm pushed over /ws, and a maintainer sees the lifts move', async () => {
    const abort = new AbortController();
    const lines: string[] = [];
    const lift: string[] = [];
    const env = { HB_HTTP_PORT: '0', HB_MQTT_PORT: '0', HB_MQTT_WS_PORT: '0', HB_DATA_DIR: tempDir('demo'), HB_LOG_LEVEL: 'error' };
    const demo = await startDemo({ env, fireAfterS: 3, entrapmentAfterS: 3600, watch: true, out: (l) => lines.push(l), signal: abort.signal });
    try {
      expect(lines.join('\n')).toMatch(/demo +\/ demo-password +staff/);
      expect(lines.join('\n')).toMatch(/npm run demo -- --watch/);
      const maint = watch({ baseUrl: demo.baseUrl, username: 'maint', password: 'maint-password', out: (l) => lift.push(l), signal: abort.signal });
      await waitFor('the smoke alarm on the staff screen', () => lines.find((l) => /ALERT opened +critical smoke\.alarm resident R-0003/.test(l)), 20_000);
      await waitFor('a lift state line for the maintainer', () => lift.find((l) => /LIFT +EL-000[12] floor/.test(l)), 20_000);
      expect(lift.some((l) => /smoke\.alarm/.test(l))).toBe(false);
      abort.abort();
      await maint;
    } finally {
      abort.abort();
      await demo.done;
      await demo.platform.stop();
    }
  }, 60_000);

  it('formats pushes for people and stays quiet for protocol frames', () => {
    const at = Date.UTC(2026, 10, 21, 6, 0, 0);
    const line = formatPush({ type: 'alert', change: 'acknowledged', at, alert: { id: 'AL-000001', rule: 'smoke.alarm', severity: 'critical', subject: { type: 'resident', id: 'R-0003' }, reason: 'smoke alarm' }, entry: { by: 'demo' } }, 'Asia/Shanghai');
    expect(line).toBe('[14:00:00] ALERT acknowledged critical smoke.alarm resident R-0003 AL-000001 by demo\n           smoke alarm');
    expect(formatPush({ type: 'heartbeat', seq: 3 })).toBeUndefined();
    expect(formatPush({ type: 'synced', seq: 3 })).toBeUndefined();
  });
});
