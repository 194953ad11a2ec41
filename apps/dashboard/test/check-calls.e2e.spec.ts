import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RegistryFile } from '@hearthbeat/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, signIn } from './support/browser';
import { HttpReceiver, RoutineMeter, shanghaiMidnightDaysAgo, type ReceivedRequest } from '@hearthbeat/testing';
import { USERS, e2eRegistry } from './support/fixtures';
import { assertDashboardBuilt, startDashboardStack, waitFor, type DashboardStack } from './support/stack';

// 王秀英's meter: a plain day (up at 07:00, lunch at 12:00, the next use at 14:00) from a Shanghai local
// midnight a week ago (day 0 of the learned routine); the engine's clock starts on day 5 at 14:00:02.
const meter = new RoutineMeter(shanghaiMidnightDaysAgo(7));
const { at, readings } = meter;
const SECRET = 'the-voice-gateway-shared-secret';
const ADMIN = { id: 'admin', password: 'admin-password' };

/** The voice gateway: a real HTTP server that accepts the engine's signed call requests and remembers their ids. */
class Gateway extends HttpReceiver {
  protected override answer(r: ReceivedRequest): number {
    return r.headers['x-hearthbeat-signature'] === `sha256=${createHmac('sha256', SECRET).update(r.raw).digest('hex')}` ? 202 : 401;
  }

  request(callId: string): Promise<true> {
    return waitFor(`call request ${callId}`, () => this.received.some((r) => r.body['callId'] === callId) || undefined, 15_000);
  }
}

/** The e2e street, 王秀英 (R-0001, with a phone) on a short routine warm-up with check-in calls; 李桂兰 (R-0002) has no phone. */
function registry(): RegistryFile {
  const file = e2eRegistry();
  const r1 = file.residents.find((r) => r.id === 'R-0001');
  if (!r1) throw new Error('no R-0001');
  // As the engine's e2e: 5 learned days and round margins; the fixed no-activity rule out of the way.
  const routine = { warmupDays: 5, minDaysPerType: 3, lateMarginMinutes: 60, quietMarginMinutes: 45, clockQuietMarginMinutes: 45, clockQuietWindowMinutes: 60, bedMarginMinutes: 30, callFactor: 0.9, callAttempts: 1 };
  r1.rules = { 'water.routine_deviation': routine, 'water.no_activity': { enabled: false } };
  file.users = [...(file.users ?? []), { id: ADMIN.id, password: ADMIN.password, role: 'admin', sites: [] }];
  return file;
}

/**
 * Check-in calls on a resident's page, in real Chromium against the whole platform: the learned routine
 * rings 王秀英 before raising any alert (the engine's clock plays the afternoon), the voice gateway
 * answers over signed HTTP, and the card follows each call live.
 */
describe('check-in calls on the resident page (Chromium)', () => {
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const gateway = new Gateway();
  let stack: DashboardStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let seq = 1;
  /** Uploaded as meters do after a gap: batches of 150 readings (a payload is at most 8 KiB). */
  async function upload(list: { ts: number; totalL: number }[]): Promise<void> {
    for (let i = 0; i < list.length; i += 150) {
      const batch = list.slice(i, i + 150);
      await stack.publish('WM-0001', 'telemetry', { ts: batch[batch.length - 1]?.ts, seq: seq++, readings: batch });
    }
  }
  /** The gateway's signed result callback. */
  async function answer(callId: string, result: string): Promise<void> {
    const raw = JSON.stringify({ callId, result, timestamp: clock.now() });
    const res = await fetch(`${stack.baseUrl}/api/calls/${callId}/result`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hearthbeat-signature': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` },
      body: raw,
    });
    expect(res.status).toBe(200);
  }
  const screen = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, stack.baseUrl, USERS.staff.id, USERS.staff.password);
    await page.locator('[data-live="live"]').waitFor();
    return page;
  };

  beforeAll(async () => {
    assertDashboardBuilt();
    await gateway.listen();
    offset = at(5, '14:00') + 2000 - Date.now();
    // The engine lives two days back: tokens it signs must still be valid by the browser's clock.
    stack = await startDashboardStack(registry(), { clock, env: { HB_TOKEN_TTL_S: String(30 * 24 * 3600) } });
    const admin = await stack.token(ADMIN.id, ADMIN.password);
    const put = await fetch(`${stack.baseUrl}/api/sites/jiangsu-road/check-in-call`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, timeoutS: 120, rules: ['water.routine_deviation'], gatewayUrl: `http://127.0.0.1:${gateway.port}/calls`, secret: SECRET }),
    });
    expect(put.status).toBe(200);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
    await gateway.close();
  });

  it('lists the calls placed before any alert, with the outcome and why, and follows new ones live', async () => {
    const page = await screen();
    await page.goto(`${stack.baseUrl}/residents/R-0001`);
    const card = page.getByTestId('check-calls-card');
    // Nothing rang yet, and the resident can be rung: the card says no call was made.
    const empty = card.locator('[data-testid="check-calls-empty"][data-rings-first="true"]');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('尚未拨打过关怀电话');
    // Whatever comes next reaches the card through the live socket: the page is never reloaded.
    await page.evaluate(() => Reflect.set(window, 'hbSamePage', true));

    // Five learned days (0-4), then day 5: nothing after the 12:00 use; the 14:00 reading shows none.
    await upload(readings(at(-1, '00:00'), at(5, '14:15'), at(5, '12:15')));
    await gateway.request('RC-R-0001-1');
    const first = card.locator('[data-call-id="RC-R-0001-1"]');
    await card.locator('[data-call-id="RC-R-0001-1"][data-call-outcome="ringing"]').waitFor();
    expect(await first.getByTestId('check-call-outcome').textContent()).toBe('正在呼叫…');
    // Placed at 14:00 in the site's time (Shanghai), whatever the browser's zone; and why.
    expect(await first.getByTestId('check-call-time').textContent()).toMatch(/14:00$/);
    expect(await first.getByTestId('check-call-reason').textContent()).toBe(
      'no water used since 12:00 (2.0 h); from 12:00 the next use usually came within 2 h: checking on the resident before raising an alert',
    );

    // The resident answers well.
    await answer('RC-R-0001-1', 'answered_well');
    await card.locator('[data-call-id="RC-R-0001-1"][data-call-outcome="answered_well"]').waitFor();
    expect(await first.getByTestId('check-call-outcome').textContent()).toBe('已接听，平安');
    // The routine card follows the answer: the silence since 12:00 passes its usual limit at 14:45, and
    // the resident is rung again then if no water runs (callAgainAtLimit).
    const expecting = page.getByTestId('routine-card').getByTestId('routine-expecting');
    await expecting.filter({ hasText: '14:45 拨打关怀电话' }).waitFor();
    expect(await expecting.textContent()).toMatch(/自 .*12:00 起没有用水 · 届时仍未用水，.*14:45 拨打关怀电话/);
    if (process.env['HB_SCREENSHOT_DIR']) await page.getByTestId('routine-card').screenshot({ path: path.join(process.env['HB_SCREENSHOT_DIR'], 'routine-card-call-ahead.zh.png') });

    // Two hours on, still silent: a second call rings, listed first (newest first).
    offset += 2 * 3_600_000;
    await upload(readings(at(5, '14:15'), at(5, '16:15'), at(5, '12:15')));
    await gateway.request('RC-R-0001-2');
    await card.locator('[data-call-id="RC-R-0001-2"][data-call-outcome="ringing"]').waitFor();
    expect(await card.locator('[data-call-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-call-id')))).toEqual(['RC-R-0001-2', 'RC-R-0001-1']);
    expect(await card.locator('[data-call-id="RC-R-0001-2"]').getByTestId('check-call-time').textContent()).toMatch(/16:00$/);

    // Nobody answers: the card says so (and the routine raises its alert).
    await answer('RC-R-0001-2', 'no_answer');
    const second = card.locator('[data-call-id="RC-R-0001-2"][data-call-outcome="no_answer"]');
    await second.waitFor();
    expect(await second.getByTestId('check-call-outcome').textContent()).toBe('未接听');
    // The first call's result time: the clock time alone, on the day it was placed.
    expect(await first.textContent()).toContain('14:00 出结果');

    // A late call for help for the superseded first call: shown on that call, with the critical alert it raised.
    await answer('RC-R-0001-1', 'needs_help');
    await first.getByTestId('check-call-late').waitFor();
    expect(await first.getByTestId('check-call-late').textContent()).toMatch(/^迟到的结果：老人求助（16:0\d）：已发出紧急告警$/);
    expect(await first.getAttribute('data-call-outcome')).toBe('answered_well');
    expect(await page.evaluate(() => Reflect.get(window, 'hbSamePage'))).toBe(true);

    // HB_SCREENSHOT_DIR=DIR keeps pictures of the card (and the page) to look at.
    const dir = process.env['HB_SCREENSHOT_DIR'];
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      await card.screenshot({ path: path.join(dir, 'check-calls-card.zh.png') });
      await page.screenshot({ path: path.join(dir, 'resident-page.zh.png'), fullPage: true });
    }

    // In English too.
    await page.getByTestId('lang-switch').click();
    await card.getByText('Check-in calls').waitFor();
    expect(await card.locator('[data-call-id="RC-R-0001-2"]').getByTestId('check-call-outcome').textContent()).toBe('Not answered');
    expect(await first.getByTestId('check-call-outcome').textContent()).toBe('Answered, well');
    if (dir) await card.screenshot({ path: path.join(dir, 'check-calls-card.en.png') });
  });

  it('says why a resident without a phone is never rung first, rather than "no calls"', async () => {
    const page = await screen();
    await page.goto(`${stack.baseUrl}/residents/R-0002`);
    const empty = page.getByTestId('check-calls-card').locator('[data-testid="check-calls-empty"][data-rings-first="false"]');
    await empty.waitFor();
    expect(await empty.textContent()).toBe('未登记老人电话：告警前无法先打电话确认。');
  });
});
