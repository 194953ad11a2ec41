import type { Socket } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, signIn } from './support/browser';
import { USERS, e2eRegistry } from './support/fixtures';
import { assertDashboardBuilt, startDashboardStack, waitFor, type DashboardStack } from './support/stack';

type UserKey = keyof typeof USERS;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The e2e site's zone, Asia/Shanghai: UTC+8 all year. */
const SHANGHAI = 8 * HOUR;
const localMidnight = (ts: number) => Math.floor((ts + SHANGHAI) / DAY) * DAY - SHANGHAI;
const LIFT_IDLE = { doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains' };

/**
 * EL-0001's terminal was installed four days ago: its first reports that day (10 minutes of idle reports,
 * nobody used the lift), trips the next two days (2, then 3), silence yesterday. Uploaded before any
 * test sends a newer sample: the engine derives trips from samples in device-time order.
 */
async function uploadLiftBacklog(stack: DashboardStack, today: number): Promise<void> {
  let seq = 500;
  const send = (ts: number, state: Record<string, unknown>) => stack.publish('EL-0001', 'telemetry', { ts, seq: seq++, ...LIFT_IDLE, ...state });
  for (let t = today - 4 * DAY + 10 * HOUR; t <= today - 4 * DAY + 10 * HOUR + 10 * 60_000; t += 30_000) await send(t, { floor: 1 });
  for (const [daysAgo, trips] of [
    [3, 2],
    [2, 3],
  ] as const) {
    let t = today - daysAgo * DAY + 9 * HOUR;
    let floor = 1;
    await send(t, { floor });
    for (let k = 0; k < trips; k++) {
      const to = floor === 1 ? 8 : 1;
      await send(t + 2_000, { floor, doorZone: false, direction: to > floor ? 'up' : 'down', speedMps: 1.5 });
      t += 20_000;
      floor = to;
      await send(t, { floor });
    }
  }
}

/**
 * The staff dashboard in real Chromium against the whole platform started in this process: a device
 * publishes over MQTT, people act in browser sessions, and every screen follows live.
 */
describe('staff dashboard (Chromium)', () => {
  let stack: DashboardStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Sockets of live connections, so that a test can cut them as a network failure would. */
  const upgrades = new Set<Socket>();
  let refuseUpgrades = false;

  const screen = async (user: UserKey, viewport = { width: 1440, height: 900 }): Promise<Page> => {
    const ctx = await browser.newContext({ viewport });
    contexts.push(ctx);
    const page = await ctx.newPage();
    // Fail fast and name the step: every wait is on a condition, none is a sleep.
    page.setDefaultTimeout(15_000);
    await signIn(page, stack.baseUrl, USERS[user].id, USERS[user].password);
    await page.locator('[data-live="live"]').waitFor();
    return page;
  };
  const card = (page: Page, rule: string) => page.locator(`.hb-alert[data-rule="${rule}"]`);
  const apiGet = async (user: UserKey, path: string): Promise<{ status: number; body: unknown }> => {
    const token = await stack.token(USERS[user].id, USERS[user].password);
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };
  const apiAlerts = async (user: UserKey, query: string): Promise<Record<string, unknown>[]> => {
    const token = await stack.token(USERS[user].id, USERS[user].password);
    const res = await fetch(`${stack.baseUrl}/api/alerts?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body: unknown = await res.json();
    if (!Array.isArray(body)) throw new Error(`GET /api/alerts?${query}: ${res.status}`);
    return body.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
  };

  /** The local day the lift's backlog was uploaded relative to. */
  let backlogToday = 0;

  beforeAll(async () => {
    assertDashboardBuilt();
    stack = await startDashboardStack(e2eRegistry());
    backlogToday = localMidnight(Date.now());
    await uploadLiftBacklog(stack, backlogToday);
    const server = stack.platform.engine.app.getHttpServer();
    // Runs before the WebSocket server's own handler: records live sockets, or refuses them while "offline".
    server.prependListener('upgrade', (_req: unknown, socket: Socket) => {
      if (refuseUpgrades) socket.destroy();
      else upgrades.add(socket);
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('is served at / with the SPA fallback, without shadowing the API', async () => {
    for (const p of ['/', '/alerts', '/residents/R-0001']) {
      const res = await fetch(`${stack.baseUrl}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    }
    const api = await fetch(`${stack.baseUrl}/api/alerts`);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: 'unauthenticated' });
    expect((await fetch(`${stack.baseUrl}/health`)).headers.get('content-type')).toContain('json');
  });

  it('an alarm appears live; an acknowledgement reaches a colleague; resolving records the outcome; another site never sees it', async () => {
    const [me, colleague, other] = await Promise.all([screen('staff'), screen('colleague'), screen('otherSite')]);
    for (const p of [me, colleague, other]) await p.getByTestId('alerts-empty').waitFor();

    // A kitchen fire at Wang Xiuying's (R-0001): the detector publishes, nobody reloads anything.
    await stack.publish('SA-0001', 'event', { ts: Date.now(), seq: 1, event: 'alarm' });
    const mine = card(me, 'smoke.alarm');
    await mine.waitFor();
    expect(await mine.getAttribute('data-state')).toBe('open');
    expect(await mine.textContent()).toContain('王秀英');
    expect(await mine.textContent()).toContain('烟雾报警');
    // Visible and audible cues: the critical banner, and the alarm tone was sounded.
    await me.getByTestId('critical-banner').waitFor();
    await me.waitForFunction(() => Number(document.querySelector('.hb-sound')?.getAttribute('data-alarms') ?? 0) >= 1);
    await card(colleague, 'smoke.alarm').waitFor();

    // The other site's alarm reaches only the other site's screen, which never shows ours.
    await stack.publish('SA-0101', 'event', { ts: Date.now(), seq: 1, event: 'alarm' });
    await other.locator('.hb-alert[data-rule="smoke.alarm"]', { hasText: '孙美兰' }).waitFor();
    expect(await other.locator('.hb-alert').count()).toBe(1);
    expect(await other.locator('.hb-alert', { hasText: '王秀英' }).count()).toBe(0);

    // I acknowledge; my colleague's screen shows it without a reload.
    await mine.locator('[data-action="ack"]').click();
    await mine.locator('[data-testid="acked-by"]').waitFor();
    const theirs = colleague.locator('.hb-alert[data-rule="smoke.alarm"][data-state="acknowledged"]');
    await theirs.waitFor();
    expect(await theirs.textContent()).toContain('li.bin');

    // Resolve with the outcome found at the door: the alert leaves both boards.
    await mine.locator('[data-action="resolve"]').click();
    const dialog = me.locator('.ant-modal');
    await dialog.getByText('误报').click();
    await dialog.locator('textarea').fill('烤糊了锅，已开窗通风');
    await dialog.locator('.ant-btn-primary').click();
    // The dialog closes once the resolution is saved; if it stays, say what it shows (a field, an error).
    await dialog.waitFor({ state: 'hidden' }).catch(async () => {
      throw new Error(`the resolve dialog stayed open: ${await dialog.innerText().catch(() => '?')} ${await me.locator('.ant-message').innerText().catch(() => '')}`);
    });
    await card(me, 'smoke.alarm').waitFor({ state: 'detached' });
    await card(colleague, 'smoke.alarm').waitFor({ state: 'detached' });
    const resolved = await apiAlerts('staff', 'state=resolved&rule=smoke.alarm');
    expect(resolved).toEqual([expect.objectContaining({ outcome: 'false_alarm', resolvedBy: 'li.bin', state: 'resolved' })]);

    // The resolved tab keeps it, with its outcome; the other site still only has its own alert.
    await me.getByRole('tab', { name: '已解决' }).click();
    await me.locator('.hb-alert[data-state="resolved"]', { hasText: '误报' }).waitFor();
    expect(await other.locator('.hb-alert', { hasText: '王秀英' }).count()).toBe(0);
  });

  it('a comment and an assignment appear in the timeline a colleague has open', async () => {
    const [me, colleague] = await Promise.all([screen('staff'), screen('colleague')]);
    await stack.publish('WM-0002', 'event', { ts: Date.now(), seq: 1, event: 'leak' });
    for (const p of [me, colleague]) {
      await card(p, 'water.leak').locator('[data-action="details"]').click();
      await p.locator('.hb-alert-drawer [data-alert-detail]').waitFor();
    }
    await me.locator('.hb-alert-drawer textarea[data-field="comment"]').fill('已电话联系，家属正在赶回');
    await me.locator('.hb-alert-drawer [data-action="comment"]').click();
    await colleague.locator('.hb-timeline [data-timeline-action="commented"]', { hasText: '家属正在赶回' }).waitFor();
    await me.locator('.hb-alert-drawer').getByText('指派给我').click();
    await colleague.locator('.hb-timeline [data-timeline-action="assigned"]', { hasText: 'li.bin' }).waitFor();
    await colleague.keyboard.press('Escape');
    await card(colleague, 'water.leak').getByText('已指派给 li.bin').waitFor();
  });

  it('switches from Chinese to English and remembers the choice', async () => {
    const page = await screen('staff');
    await page.locator('[data-nav="alerts"]', { hasText: '告警' }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByTestId('lang-switch').click();
    await page.locator('[data-nav="alerts"]', { hasText: 'Alerts' }).first().waitFor();
    await page.getByRole('tab', { name: /^Active/ }).waitFor();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, localStorage.getItem('hb.lang')])).toEqual(['en-GB', 'en']);
    await page.reload();
    await page.locator('[data-nav="residents"]', { hasText: 'Residents' }).first().waitFor();
  });

  it('says when the live connection is lost, and catches up on what was missed once it is back', async () => {
    const page = await screen('staff');
    await stack.publish('SA-0001', 'event', { ts: Date.now(), seq: 2, event: 'alarm' });
    const alarm = page.locator('.hb-alert[data-rule="smoke.alarm"][data-state="open"]');
    await alarm.waitFor();

    // The network drops: the screen says so instead of silently freezing.
    refuseUpgrades = true;
    for (const s of upgrades) s.destroy();
    upgrades.clear();
    await page.getByTestId('connection-lost').waitFor();
    await page.locator('[data-live="reconnecting"]').waitFor();

    // Meanwhile a colleague acknowledges it (over REST, from another device).
    const [open] = await apiAlerts('colleague', 'state=open&rule=smoke.alarm');
    const token = await stack.token(USERS.colleague.id, USERS.colleague.password);
    const ack = await fetch(`${stack.baseUrl}/api/alerts/${String(open?.['id'])}/ack`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(ack.status).toBe(200);
    expect(await alarm.count()).toBe(1);

    // Back online: the screen resumes from its last sequence number and shows the acknowledgement.
    refuseUpgrades = false;
    // "Reconnect now" skips the backoff; the next scheduled attempt may also win the race and remove it.
    await page
      .getByTestId('connection-lost')
      .getByRole('button')
      .click({ timeout: 3_000 })
      .catch(() => undefined);
    await page.locator('[data-live="live"]').waitFor();
    await page.locator('.hb-alert[data-rule="smoke.alarm"][data-state="acknowledged"]', { hasText: 'wu.fang' }).waitFor();
    await page.getByTestId('connection-lost').waitFor({ state: 'detached' });
  });

  it('gives a maintainer the elevators, with the car state live, and no residents', async () => {
    const page = await screen('maintainer');
    expect(await page.locator('[data-nav="residents"]').count()).toBe(0);
    await page.locator('[data-nav="elevators"]').first().click();
    const car = page.locator('.hb-elevator[data-elevator="EL-0001"]');
    await car.waitFor();
    const state = { doorZone: true, direction: 'stopped', door: 'open', occupied: false, speedMps: 0, mode: 'normal', power: 'mains' };
    await stack.publish('EL-0001', 'telemetry', { ts: Date.now(), seq: 1, floor: 5, ...state });
    await car.locator('[data-floor="5"]').waitFor();
    await stack.publish('EL-0001', 'telemetry', { ts: Date.now() + 1, seq: 2, floor: 6, ...state, direction: 'up', door: 'closed', occupied: true, speedMps: 1 });
    await car.locator('[data-floor="6"]').waitFor();
    expect(await car.textContent()).toContain('上行');
  });

  it("draws a resident's water use from the meter's readings, telling a silent quarter from 0 L, and the routine being learned", async () => {
    // Wang Xiuying's meter uploads two hours of quarter-hour readings at once (as meters do), one
    // interval without use. The first reading opens the series; each interval counts where it ends.
    const QUARTER = 15 * 60_000;
    const used = [3.5, 0, 12, 6.5, 2, 0.8, 10, 4.7];
    const base = Math.floor(Date.now() / QUARTER) * QUARTER - 3 * 3_600_000 + 5 * 60_000;
    let total = 80_000;
    const readings = [{ ts: base, totalL: total }, ...used.map((l, k) => ({ ts: base + (k + 1) * QUARTER, totalL: (total = Math.round((total + l) * 10) / 10) }))];
    await stack.publish('WM-0001', 'telemetry', { ts: Date.now(), seq: 1, readings, batteryPct: 90, rssi: -80 });
    const litres = used.reduce((a, b) => a + b, 0); // 39.5
    // The engine's telemetry store writes within a second: wait for the API, then look at the screen.
    const from = base - QUARTER;
    await waitFor(
      'the readings in the water history',
      async () => {
        const { body } = await apiGet('staff', `/api/residents/R-0001/history/water?from=${from}&to=${Date.now()}&unit=day`);
        const buckets: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'buckets') : undefined;
        return Array.isArray(buckets) && Math.abs(buckets.reduce((s: number, b: unknown) => s + Number(Reflect.get(Object(b), 'usageL')), 0) - litres) < 1e-6;
      },
      10_000,
      200,
    );

    const page = await screen('staff');
    await page.goto(`${stack.baseUrl}/residents/R-0001`);
    const chart = page.getByTestId('water-chart');
    await chart.waitFor();
    // 24 h by quarter hour: 96 bars; 8 with data (one of them 0 L), the rest "no data" stubs, not zeros.
    expect(await chart.getAttribute('data-bars')).toBe('96');
    expect(await chart.getAttribute('data-with-data')).toBe(String(used.length));
    expect(await chart.getAttribute('data-sum')).toBe(litres.toFixed(3));
    const values = (await chart.getAttribute('data-values'))?.split(',') ?? [];
    expect(values.filter((v) => v !== '-')).toEqual(used.map(String));
    expect(values.filter((v) => v === '-')).toHaveLength(96 - used.length);
    expect(await page.getByTestId('water-total').textContent()).toContain('39.5 升');
    expect(await page.getByTestId('water-card').textContent()).toContain('88 个 15 分钟时段水表未上报');
    // A canvas was drawn (ECharts), not an empty box.
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);

    // 7 days by day: the same litres in 7 local days.
    await page.getByTestId('water-card').getByText('7 天（每天）').click();
    await page.locator('[data-testid="water-chart"][data-bars="7"]').waitFor();
    expect(await chart.getAttribute('data-sum')).toBe(litres.toFixed(3));

    // The routine: a new resident's is being learned (12 days by default).
    const routine = page.getByTestId('routine-card');
    await routine.locator('[data-routine-status="learning"]').waitFor();
    expect(await routine.textContent()).toMatch(/学习中 \d+\/12 天/);
    expect(await routine.getByTestId('history-unavailable').count()).toBe(0);
  });

  it("shows a lift's availability over 30 days, days without data apart from days without trips, and its fault events, newest first", async () => {
    const t0 = Date.now();
    await stack.publish('EL-0001', 'telemetry', { ts: t0, seq: 10, floor: 1, ...LIFT_IDLE });
    await stack.publish('EL-0001', 'event', { ts: t0 + 1, seq: 11, event: 'safety_circuit' });
    // The store writes within a second: wait until the API has today's report, then look at the screen.
    await waitFor(
      "today's report in the lift history",
      async () => {
        const { body } = await apiGet('maintainer', `/api/elevators/EL-0001/history/activity?from=${localMidnight(t0)}&to=${Date.now()}&unit=day`);
        const buckets: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'buckets') : undefined;
        return Array.isArray(buckets) && buckets.some((b: unknown) => Number(Reflect.get(Object(b), 'faults')) === 1) ? true : undefined;
      },
      10_000,
      200,
    );
    const page = await screen('maintainer');
    await page.goto(`${stack.baseUrl}/elevators/EL-0001`);
    const availability = page.getByTestId('availability');
    await availability.waitFor();
    const share = Number(await availability.getAttribute('data-availability'));
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThanOrEqual(1);
    expect(await availability.textContent()).toMatch(/可用率\s*\d+(\.\d+)?\s*%/);

    // Trips per day over 30 local days, today last. Before the terminal's first report (4 days ago) and
    // yesterday (silent) it said nothing: grey "no data" stubs ('-'), not 0 trips; the day it reported and
    // nobody used the lift is 0; the next two days show their trips.
    const trips = page.getByTestId('trips-chart');
    await trips.locator('canvas').waitFor();
    expect(await trips.getAttribute('data-bars')).toBe('30');
    const values = (await trips.getAttribute('data-values'))?.split(',') ?? [];
    const ago = (daysAgo: number) => 29 - Math.round((localMidnight(Date.now()) - (backlogToday - daysAgo * DAY)) / DAY);
    const first = ago(4);
    expect(values.slice(0, first)).toEqual(new Array<string>(first).fill('-'));
    expect([ago(4), ago(3), ago(2), ago(1)].map((i) => values[i])).toEqual(['0', '2', '3', '-']);
    expect(values[29]).not.toBe('-');
    const noData = values.filter((v) => v === '-').length;
    expect(noData).toBe(first + 1); // 25 days before the first report, and yesterday
    expect(await trips.getAttribute('data-with-data')).toBe(String(30 - noData));
    expect(await page.getByTestId('faults-chart').getAttribute('data-with-data')).toBe(String(30 - noData));
    expect(await page.getByTestId('lift-no-data').textContent()).toBe(`灰色短条：${noData} 天电梯终端未上报，不代表电梯没有运行。`);
    const events = page.getByTestId('fault-events-card');
    await events.locator('[data-event="safety_circuit"]', { hasText: '安全回路断开' }).waitFor();

    // A new fault while the page is open: it raises an alert (a push), and the list follows, newest first.
    await stack.publish('EL-0001', 'event', { ts: Date.now(), seq: 12, event: 'door_lock_fault' });
    await events.locator('[data-event="door_lock_fault"]').waitFor();
    expect(await events.locator('[data-event]').first().getAttribute('data-event')).toBe('door_lock_fault');
    // Both faults are counted today (the chart re-reads with the list).
    await page.locator('[data-testid="faults-chart"][data-sum="2.000"]').waitFor();
  });

  it('sends a revoked session back to the login page', async () => {
    const page = await screen('colleague');
    const token: unknown = await page.evaluate(() => Reflect.get(JSON.parse(sessionStorage.getItem('hb.session') ?? '{}'), 'token'));
    expect(typeof token).toBe('string');
    await fetch(`${stack.baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await page.waitForURL(/\/login$/);
    await page.getByText('登录已过期，请重新登录').waitFor();
  });
});

/** A platform without a telemetry store answers 503 history_unavailable: the screen says so, never an empty chart. */
describe('staff dashboard without a telemetry store (Chromium)', () => {
  let stack: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    assertDashboardBuilt();
    stack = await startDashboardStack(e2eRegistry(), { env: { HB_TELEMETRY_STORE: 'none' } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows "history not available" for water use and availability', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, stack.baseUrl, USERS.staff.id, USERS.staff.password);
    await page.goto(`${stack.baseUrl}/residents/R-0001`);
    const water = page.getByTestId('water-card');
    await water.getByTestId('history-unavailable').waitFor();
    expect(await water.textContent()).toContain('HB_TELEMETRY_STORE=none');
    expect(await water.getByTestId('water-chart').count()).toBe(0);
    await ctx.close();

    const maint = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await maint.newPage();
    phone.setDefaultTimeout(15_000);
    await signIn(phone, stack.baseUrl, USERS.maintainer.id, USERS.maintainer.password);
    await phone.goto(`${stack.baseUrl}/elevators/EL-0001`);
    await phone.getByTestId('availability-card').getByTestId('history-unavailable').waitFor();
    await phone.getByTestId('fault-events-card').getByTestId('history-unavailable').waitFor();
    expect(await phone.getByTestId('availability').count()).toBe(0);
    await maint.close();
  });
});
