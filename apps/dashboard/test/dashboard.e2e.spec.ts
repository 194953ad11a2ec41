import type { Socket } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, signIn } from './support/browser';
import { USERS, e2eRegistry } from './support/fixtures';
import { assertDashboardBuilt, startDashboardStack, type DashboardStack } from './support/stack';

type UserKey = keyof typeof USERS;

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
  const apiAlerts = async (user: UserKey, query: string): Promise<Record<string, unknown>[]> => {
    const token = await stack.token(USERS[user].id, USERS[user].password);
    const res = await fetch(`${stack.baseUrl}/api/alerts?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body: unknown = await res.json();
    if (!Array.isArray(body)) throw new Error(`GET /api/alerts?${query}: ${res.status}`);
    return body.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
  };

  beforeAll(async () => {
    assertDashboardBuilt();
    stack = await startDashboardStack(e2eRegistry());
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

  it('sends a revoked session back to the login page', async () => {
    const page = await screen('colleague');
    const token: unknown = await page.evaluate(() => Reflect.get(JSON.parse(sessionStorage.getItem('hb.session') ?? '{}'), 'token'));
    expect(typeof token).toBe('string');
    await fetch(`${stack.baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await page.waitForURL(/\/login$/);
    await page.getByText('登录已过期，请重新登录').waitFor();
  });
});
