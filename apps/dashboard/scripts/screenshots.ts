import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn } from '../test/support/browser';
import { demoRegistry } from '../test/support/demo-data';
import { liftBacklog, waterBacklog } from '../test/support/demo-history';
import { USERS } from '../test/support/fixtures';
import { assertDashboardBuilt, DASHBOARD_ROOT, startDashboardStack, waitFor, type DashboardStack } from '../test/support/stack';

/**
 * `npm run screenshots`: starts the platform with a demo street, plays a few minutes of a shift in
 * half a minute (alarms, a leak, a silent home, a trapped passenger, absences, acknowledgements),
 * after a month of one home's water meter and three days of one lift uploaded as a backlog (for the
 * history charts and the learned routine), then photographs the alerts board, a resident, the
 * elevator board and a lift at desk and phone widths into docs/screenshots/. Browser console errors and warnings are printed: they should be none.
 */
const OUT = path.resolve(DASHBOARD_ROOT, '..', '..', 'docs', 'screenshots');
const VIEWPORTS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
type ViewportName = keyof typeof VIEWPORTS;

function checkFonts(): void {
  try {
    if (execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim() === '') {
      process.stderr.write('warning: no Chinese font installed; Chinese text will show as boxes (apt-get install fonts-noto-cjk)\n');
    }
  } catch {
    // No fontconfig: nothing to check.
  }
}

async function api(stack: DashboardStack, token: string, method: 'GET' | 'POST', p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.baseUrl}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** The id of the unresolved alert of `rule` about `subject` (a resident, elevator or device id), once it exists. */
async function alertOf(stack: DashboardStack, token: string, rule: string, subject: string, check: (a: Record<string, unknown>) => boolean = () => true): Promise<string> {
  return waitFor(
    `${rule} on ${subject}`,
    async () => {
      const list = await api(stack, token, 'GET', `/api/alerts?state=unresolved&rule=${rule}`);
      // Device rules file some alerts under the device's owner: match the subject or the device.
      const about = (a: Record<string, unknown>) => a['deviceId'] === subject || (isRecord(a['subject']) && a['subject']['id'] === subject);
      const a = Array.isArray(list) ? list.filter(isRecord).find((x) => about(x) && check(x)) : undefined;
      const alertId: unknown = a ? Reflect.get(a, 'id') : undefined;
      return typeof alertId === 'string' ? alertId : undefined;
    },
    60_000,
    250,
  );
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Shanghai has no DST: local time is UTC+8 all year. */
const SHANGHAI = 8 * HOUR;
/** 张玉兰's meter (R-0003, the resident photographed): its register as the shift's first reading shows it. */
const WM3_REGISTER = 54_000;

/**
 * History uploaded as a backlog before the shift, as meters and terminals do after a gap:
 * - WM-0003: a month of quarter-hour readings (batches of 150: a payload is at most 8 KiB), so
 *   that the water charts have data and the routine is learned; silent from 00:30 to 04:00 last night
 *   (the chart shows those quarters as "no data", beside the zeros of the rest of the night);
 * - EL-0003: three days of trips and idle reports, an hour of maintenance, 25 minutes of silence and a
 *   safety-circuit trip (its alert resolved as repaired), before it goes out of service in the shift.
 */
async function uploadHistory(stack: DashboardStack, now: number): Promise<void> {
  const midnight = Math.floor((now + SHANGHAI) / DAY) * DAY - SHANGHAI;
  let gapStart = midnight + 30 * MIN;
  if (midnight + 4 * HOUR > now - HOUR) gapStart -= DAY;
  const readings = waterBacklog({ from: now - 30 * DAY, to: now - 30 * MIN - 1, offsetMs: SHANGHAI, endTotalL: WM3_REGISTER - 1.5, seed: 3, silent: [[gapStart, gapStart + 3.5 * HOUR]] });
  let seq = 100;
  for (let i = 0; i < readings.length; i += 150) {
    const batch = readings.slice(i, i + 150);
    await stack.publish('WM-0003', 'telemetry', { ts: batch[batch.length - 1]?.ts ?? now, seq: seq++, readings: batch });
  }
  const lift = liftBacklog({ from: now - 3 * DAY, to: now - MIN, offsetMs: SHANGHAI, seed: 7, minFloor: -1, maxFloor: 18 });
  const messages = [...lift.samples.map((s) => ({ channel: 'telemetry' as const, ...s })), ...lift.events.map((e) => ({ channel: 'event' as const, ...e }))].sort((a, b) => a.ts - b.ts);
  for (const { channel, ...payload } of messages) await stack.publish('EL-0003', channel, { ...payload, seq: seq++ });
  // The safety-circuit trip of two days ago raises its alert on arrival: the technician had reset it then.
  const maint = await stack.token(USERS.maintainer.id, USERS.maintainer.password);
  const trip = await alertOf(stack, maint, 'elevator.safety_circuit', 'EL-0003');
  await api(stack, maint, 'POST', `/api/alerts/${trip}/resolve`, { outcome: 'repaired', note: '限速器开关触点氧化，已清洁复位' });
}

const ELEVATOR_IDLE = { doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains' };

/** Everything up to the moment of the photographs, except the last alarm (sent while the board is open). */
async function playShift(stack: DashboardStack): Promise<void> {
  const now = Date.now();
  const staff = await stack.token(USERS.staff.id, USERS.staff.password);
  const admin = await stack.token('demo-admin', 'admin-password');
  const send = stack.publish.bind(stack);
  await uploadHistory(stack, now);

  // Every device reports: meters with readings, battery and signal; detectors their heartbeat.
  const batteries = [88, 76, 64, 92, 58, 12, 81, 70];
  const signals = [-78, -83, -91, -72, -99, -87, -108, -80];
  for (let i = 1; i <= 8; i++) {
    const n = String(i).padStart(4, '0');
    const battery = batteries[i - 1] ?? 80;
    const rssi = signals[i - 1] ?? -80;
    const used = i === 5 ? 0 : 40 + i * 7;
    // 51_000 + 3 * 1000 = WM3_REGISTER: 张玉兰's shift readings continue her uploaded month.
    await send(`WM-${n}`, 'telemetry', { ts: now - 60_000, seq: 1, readings: [{ ts: now - 1_800_000, totalL: 51_000 + i * 1000 }, { ts: now - 60_000, totalL: 51_000 + i * 1000 + used }], batteryPct: Math.min(100, battery + 5), rssi });
    await send(`SA-${n}`, 'telemetry', { ts: now - 30_000, seq: 1, batteryPct: battery, rssi: rssi - 3 });
  }
  // 黄永福's meter sends a broken reading and a garbled message: counted per reason, never crashes anything.
  await send('WM-0008', 'telemetry', { ts: now, seq: 2, totalL: 59_100, batteryPct: 150 });
  const wm8 = await stack.device('WM-0008');
  await wm8.publishAsync('hb/v1/WM-0008/telemetry', 'totalL=59100', { qos: 1 });

  // Lifts: one running up with passengers, one stopped with a passenger and the doors shut, one out of order.
  await send('EL-0001', 'telemetry', { ts: now, seq: 1, ...ELEVATOR_IDLE, floor: 1 });
  await send('EL-0001', 'telemetry', { ts: now + 1, seq: 2, ...ELEVATOR_IDLE, floor: 7, direction: 'up', occupied: true, speedMps: 1.6 });
  await send('EL-0002', 'telemetry', { ts: now, seq: 1, ...ELEVATOR_IDLE, floor: 9, occupied: true });
  await send('EL-0003', 'telemetry', { ts: now, seq: 1, ...ELEVATOR_IDLE, floor: 1, door: 'open', mode: 'out_of_service' });
  await send('EL-0003', 'event', { ts: now + 1, seq: 2, event: 'door_lock_fault' });

  // Homes: a leak at 李桂兰's, a kitchen smoke alarm at 张玉兰's (handled below), an old leak at 张玉兰's long resolved.
  await send('WM-0002', 'event', { ts: now, seq: 3, event: 'leak' });
  await send('WM-0003', 'event', { ts: now - 20_000, seq: 3, event: 'leak' });
  const oldLeak = await alertOf(stack, staff, 'water.leak', 'WM-0003');
  await api(stack, staff, 'POST', `/api/alerts/${oldLeak}/resolve`, { outcome: 'device_fault', note: '水表接口渗水，已报修' });
  await send('SA-0003', 'event', { ts: now, seq: 2, event: 'alarm' });

  // Absences: 赵美兰 stays with her daughter this week; 刘建国 goes to hospital for a check-up next week;
  // 张玉兰 visits her home town later this month.
  const day = 86_400_000;
  await api(stack, staff, 'POST', '/api/residents/R-0007/away', { from: now - day, to: now + 3 * day, note: '去女儿家住几天' });
  await api(stack, staff, 'POST', '/api/residents/R-0004/away', { from: now + 5 * day, to: now + 8 * day, note: '住院体检' });
  await api(stack, staff, 'POST', '/api/residents/R-0003/away', { from: now + 10 * day, to: now + 13 * day, note: '回老家过节' });

  // Nobody acknowledged 张玉兰's alarm in time: it escalates to the supervisor, then 李斌 takes it.
  const fire = await alertOf(stack, admin, 'smoke.alarm', 'SA-0003', (a) => Number(a['escalationLevel']) >= 1);
  await api(stack, staff, 'POST', `/api/alerts/${fire}/ack`, { note: '已电话联系张阿姨，说是煎鱼冒烟，正在上门确认' });
  await api(stack, staff, 'POST', `/api/alerts/${fire}/assign`, { assignee: USERS.colleague.id });

  // Quiet home (陈淑珍) and trapped passenger (EL-0002): both need their timers to run out.
  await alertOf(stack, staff, 'water.no_activity', 'R-0005');
  await alertOf(stack, admin, 'elevator.entrapment', 'EL-0002');
  await alertOf(stack, admin, 'device.low_battery', 'SA-0006');
}

async function shoot(page: Page, name: string, fullPage: boolean): Promise<void> {
  await page.waitForLoadState('networkidle');
  // No hover effect on whatever the last click left the pointer over.
  await page.mouse.move(0, 0);
  // Let antd's transitions and the charts settle.
  await page.waitForTimeout(600);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  process.stdout.write(`  ${path.relative(path.resolve(OUT, '..', '..'), file)}\n`);
}

/** Scrolls a card to the top of the phone screen, below the sticky header. */
async function scrollToTop(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -64);
  });
}

async function staffScreens(browser: Browser, stack: DashboardStack, vp: ViewportName, lastAlarm: () => Promise<void>, lang: 'zh' | 'en' = 'zh'): Promise<void> {
  const ctx = await browser.newContext({ viewport: VIEWPORTS[vp], deviceScaleFactor: vp === 'phone' ? 2 : 1 });
  if (lang === 'en') await ctx.addInitScript(() => localStorage.setItem('hb.lang', 'en'));
  const page = await ctx.newPage();
  watchConsole(page, `${vp}/${lang}`);
  await signIn(page, stack.baseUrl, USERS.staff.id, USERS.staff.password);
  await page.locator('[data-live="live"]').waitFor();
  await page.locator('.hb-alert').first().waitFor();
  await lastAlarm();
  await page.getByTestId('critical-banner').waitFor();
  const suffix = lang === 'en' ? `${vp}-en` : vp;
  // Phone shots are of the screen as seen (a full-page capture would paint the fixed tab bar mid-page).
  await shoot(page, `alerts-board-${suffix}`, false);
  if (lang === 'en') return ctx.close();
  // 张玉兰's alarm: escalated, acknowledged with a note, assigned; its timeline tells the story.
  await page.locator('.hb-alert[data-state="acknowledged"]', { hasText: 'R-0003' }).locator('[data-action="details"]').click();
  await page.locator('.hb-timeline [data-timeline-action="assigned"]').waitFor();
  await shoot(page, `alert-detail-${vp}`, false);
  await page.keyboard.press('Escape');
  await page.locator('.hb-alert-drawer').waitFor({ state: 'hidden' });
  // In-app navigation, as staff do (a reload would need a new click before the alarm may sound).
  await page.locator('.hb-alert a[href="/residents/R-0003"]').first().click();
  await page.locator('[data-resident-page="R-0003"]').waitFor();
  await page.locator('.hb-device-table .ant-table-row').first().waitFor();
  // The water history and the learned routine are on the page, not "not available" or loading.
  await page.locator('[data-testid="water-chart"] canvas').waitFor();
  await page.locator('[data-testid="routine-card"] [data-routine-status]').waitFor();
  await shoot(page, `resident-${vp}`, vp === 'desktop');
  if (vp === 'phone') {
    await scrollToTop(page, 'water-card');
    await shoot(page, 'resident-phone-water', false);
    await scrollToTop(page, 'routine-card');
    await shoot(page, 'resident-phone-routine', false);
    await page.getByTestId('away-card').scrollIntoViewIfNeeded();
    await shoot(page, 'resident-phone-more', false);
  }
  await page.locator('[data-nav="residents"]:visible').first().click();
  await page.locator('[data-resident]').first().waitFor();
  await shoot(page, `residents-${vp}`, false);
  await ctx.close();
}

async function maintainerScreens(browser: Browser, stack: DashboardStack, vp: ViewportName): Promise<void> {
  const ctx = await browser.newContext({ viewport: VIEWPORTS[vp], deviceScaleFactor: vp === 'phone' ? 2 : 1 });
  const page = await ctx.newPage();
  watchConsole(page, `${vp}/maintainer`);
  await signIn(page, stack.baseUrl, USERS.maintainer.id, USERS.maintainer.password);
  await page.locator('[data-nav="elevators"]:visible').first().click();
  await page.locator('.hb-elevator [data-floor]').first().waitFor();
  await shoot(page, `elevator-board-${vp}`, false);
  // The lift out of service: its three days of history, its downtime, its faults.
  await page.locator('.hb-elevator[data-elevator="EL-0003"]').click();
  await page.locator('[data-elevator-page="EL-0003"]').waitFor();
  await page.locator('[data-testid="trips-chart"] canvas').waitFor();
  await page.locator('[data-testid="fault-events-card"] [data-event]').first().waitFor();
  await shoot(page, `elevator-${vp}`, vp === 'desktop');
  if (vp === 'phone') {
    await page.getByTestId('availability-card').scrollIntoViewIfNeeded();
    await shoot(page, 'elevator-phone-more', false);
  }
  await ctx.close();
}

function watchConsole(page: Page, label: string): void {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') process.stderr.write(`  [browser ${label}] ${m.type()}: ${m.text()}\n`);
  });
  page.on('pageerror', (e) => process.stderr.write(`  [browser ${label}] page error: ${e.message}\n`));
}

async function main(): Promise<void> {
  checkFonts();
  assertDashboardBuilt();
  fs.mkdirSync(OUT, { recursive: true });
  // The backlog is uploaded faster than the broker's per-device rate (50 messages a second) allows.
  const stack = await startDashboardStack(demoRegistry(), { logLevel: 'error', env: { HB_MQTT_CLIENT_MSG_RATE: '100000' } });
  let browser: Browser | undefined;
  try {
    process.stdout.write(`platform at ${stack.baseUrl}; uploading history and playing the shift (about 40 s)...\n`);
    await playShift(stack);
    browser = await launchChromium();
    // A new smoke alarm while the board is open (the critical banner and the pulse): each screen its own
    // detector, since a second alarm from the same one only adds to the alert already open.
    const detectors = ['SA-0001', 'SA-0008', 'SA-0006'];
    let shot = 0;
    const lastAlarm = async () => {
      await stack.publish(detectors[shot++ % detectors.length] ?? 'SA-0001', 'event', { ts: Date.now(), seq: 10, event: 'alarm' });
    };
    process.stdout.write('photographing:\n');
    for (const vp of ['desktop', 'phone'] as const) {
      await staffScreens(browser, stack, vp, lastAlarm);
      await maintainerScreens(browser, stack, vp);
    }
    await staffScreens(browser, stack, 'desktop', lastAlarm, 'en');
  } finally {
    await browser?.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshots failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
