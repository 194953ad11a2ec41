import { createHmac } from 'node:crypto';
import { waitFor } from '@hearthbeat/testing';
import { engineRoutes } from '../src/http/route-table';
import { field } from './support/api.client';
import { startApiStack, type ApiStack, type UserKey } from './support/api.fixture';

interface Ctx {
  s: ApiStack;
  /** smoke.alarm of R-0001 (jiangsu-road): acknowledged, assigned, commented, then resolved by the rows. */
  alarm: string;
  /** water.leak of R-0001: marked normal. */
  leak: string;
  /** A check-in call awaiting its result (smoke.alarm of R-0101 at yan-an), set up by its row. */
  callId?: string;
}

interface Row {
  method: string;
  /** The route pattern as Nest registers it; rows and routes must match one to one. */
  route: string;
  url(ctx: Ctx): string | Promise<string>;
  /** Who succeeds, with which body (a value, or a function of the context) and status. */
  ok: { as: UserKey | 'fresh-login'; body?: unknown; status: number };
  /** Users refused with 403 (a foreign site or a role without the right), or why nobody is. */
  forbidden: { as: UserKey; query?: string }[] | { none: string };
  /** A body (or query) that must be refused with 400 naming `field`. */
  bad?: { body?: unknown; query?: string; field: string };
  public?: true;
  /** Extra request headers, from the raw body sent (a signed callback). */
  headers?(ctx: Ctx, rawBody: string | undefined): Record<string, string>;
}

const CALL_SECRET = 'matrix-voice-gateway-secret';
const signed = (raw: string | undefined) => ({ 'x-hearthbeat-signature': `sha256=${createHmac('sha256', CALL_SECRET).update(raw ?? '').digest('hex')}` });
const checkInConfig = { enabled: true, rules: ['smoke.alarm'], gatewayUrl: 'http://127.0.0.1:9/gateway', secret: CALL_SECRET };

const now = Date.now();
const id = (v: unknown) => String(field(v, 'id'));

/** Every route of the engine, with its attacks. A route added without a row fails the first test. */
const ROWS: Row[] = [
  { method: 'GET', route: '/health', url: () => '/health', ok: { as: 'staff', status: 200 }, forbidden: { none: 'public' }, public: true },
  { method: 'GET', route: '/metrics', url: () => '/metrics', ok: { as: 'staff', status: 200 }, forbidden: { none: 'public' }, public: true },
  {
    method: 'POST',
    route: '/api/auth/login',
    url: () => '/api/auth/login',
    ok: { as: 'staff', body: { username: 'li.bin', password: 'staff-password' }, status: 200 },
    forbidden: { none: 'public' },
    bad: { body: { username: 'li.bin' }, field: 'password' },
    public: true,
  },
  { method: 'GET', route: '/api/auth/me', url: () => '/api/auth/me', ok: { as: 'service', status: 200 }, forbidden: { none: 'any signed-in user reads their own account' } },
  { method: 'GET', route: '/api/sites', url: () => '/api/sites', ok: { as: 'maintainer', status: 200 }, forbidden: { none: 'lists only the user\'s own sites' } },
  {
    method: 'GET',
    route: '/api/alerts',
    url: () => '/api/alerts',
    ok: { as: 'staff', status: 200 },
    forbidden: [{ as: 'staffOther', query: 'site=jiangsu-road' }, { as: 'maintainer', query: 'subjectType=resident' }],
    bad: { query: 'limit=0', field: 'limit' },
  },
  { method: 'GET', route: '/api/alerts/:id', url: (c) => `/api/alerts/${c.alarm}`, ok: { as: 'staff', status: 200 }, forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }] },
  {
    method: 'POST',
    route: '/api/alerts/:id/ack',
    url: (c) => `/api/alerts/${c.alarm}/ack`,
    ok: { as: 'staff', body: {}, status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'maintainerOther' }, { as: 'service' }],
    bad: { body: { note: 5 }, field: 'note' },
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/assign',
    url: (c) => `/api/alerts/${c.alarm}/assign`,
    ok: { as: 'supervisor', body: { assignee: 'wu.fang' }, status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'service' }],
    bad: { body: {}, field: 'assignee' },
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/comment',
    url: (c) => `/api/alerts/${c.alarm}/comment`,
    ok: { as: 'staff2', body: { text: 'at the door' }, status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }],
    bad: { body: { text: '' }, field: 'text' },
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/on-site',
    url: (c) => `/api/alerts/${c.alarm}/on-site`,
    ok: { as: 'staff', body: { note: 'at the door' }, status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'service' }],
    bad: { body: { note: 5 }, field: 'note' },
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/resolve',
    url: (c) => `/api/alerts/${c.alarm}/resolve`,
    ok: { as: 'staff2', body: { outcome: 'safe', note: 'burnt toast' }, status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'service' }],
    bad: { body: { outcome: 'fine' }, field: 'outcome' },
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/mark-normal',
    url: (c) => `/api/alerts/${c.leak}/mark-normal`,
    ok: { as: 'staff', body: { note: 'washing machine' }, status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }],
    bad: { body: {}, field: 'note' },
  },
  {
    method: 'GET',
    route: '/api/residents',
    url: () => '/api/residents',
    ok: { as: 'staff', status: 200 },
    forbidden: [{ as: 'maintainer' }, { as: 'staffOther', query: 'site=jiangsu-road' }],
    bad: { query: 'risk=purple', field: 'risk' },
  },
  { method: 'GET', route: '/api/residents/:id', url: () => '/api/residents/R-0001', ok: { as: 'supervisor', status: 200 }, forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }] },
  {
    method: 'GET',
    route: '/api/residents/:id/history/water',
    url: () => '/api/residents/R-0001/history/water',
    ok: { as: 'staff', status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }],
    bad: { query: 'unit=week', field: 'unit' },
  },
  {
    method: 'GET',
    route: '/api/residents/:id/history/readings',
    url: () => '/api/residents/R-0001/history/readings',
    ok: { as: 'supervisor', status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }],
    bad: { query: 'limit=0', field: 'limit' },
  },
  { method: 'GET', route: '/api/residents/:id/routine', url: () => '/api/residents/R-0001/routine', ok: { as: 'staff', status: 200 }, forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }] },
  {
    method: 'GET',
    route: '/api/residents/:id/check-calls',
    url: () => '/api/residents/R-0001/check-calls',
    ok: { as: 'service', status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }],
    bad: { query: 'limit=201', field: 'limit' },
  },
  { method: 'GET', route: '/api/residents/:id/away', url: () => '/api/residents/R-0001/away', ok: { as: 'staff', status: 200 }, forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }] },
  {
    method: 'POST',
    route: '/api/residents/:id/away',
    url: () => '/api/residents/R-0002/away',
    ok: { as: 'staff', body: { from: now + 3600_000, to: now + 7200_000, note: 'with daughter' }, status: 201 },
    forbidden: [{ as: 'staffOther' }, { as: 'service' }],
    bad: { body: { from: now + 7200_000, to: now + 3600_000 }, field: 'to' },
  },
  {
    method: 'POST',
    route: '/api/residents/:id/away/:awayId/end',
    url: async (c) => {
      const from = now + 86_400_000 + Math.floor(Math.random() * 1e6);
      const res = await c.s.api.call('POST', '/api/residents/R-0002/away', { token: await c.s.token('staff'), body: { from, to: from + 3600_000 } });
      return `/api/residents/R-0002/away/${encodeURIComponent(id(res.body))}/end`;
    },
    ok: { as: 'staff', status: 200 },
    forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }],
  },
  {
    method: 'GET',
    route: '/api/elevators',
    url: () => '/api/elevators',
    ok: { as: 'maintainer', status: 200 },
    forbidden: [{ as: 'staff' }, { as: 'maintainerOther', query: 'site=jiangsu-road' }],
    bad: { query: 'colour=red', field: 'colour' },
  },
  {
    method: 'GET',
    route: '/api/elevators/:id/history/activity',
    url: () => '/api/elevators/EL-0001/history/activity',
    ok: { as: 'maintainer', status: 200 },
    forbidden: [{ as: 'maintainerOther' }, { as: 'staff' }],
    bad: { query: 'timeZone=Mars/Olympus', field: 'timeZone' },
  },
  {
    method: 'GET',
    route: '/api/elevators/:id/history/events',
    url: () => '/api/elevators/EL-0001/history/events',
    ok: { as: 'maintainer', status: 200 },
    forbidden: [{ as: 'maintainerOther' }, { as: 'staff' }],
    bad: { query: 'faultsOnly=yes', field: 'faultsOnly' },
  },
  {
    method: 'GET',
    route: '/api/elevators/:id/history/states',
    url: () => '/api/elevators/EL-0001/history/states',
    ok: { as: 'maintainer', status: 200 },
    forbidden: [{ as: 'maintainerOther' }, { as: 'staff' }],
    bad: { query: 'from=-5', field: 'from' },
  },
  { method: 'GET', route: '/api/elevators/:id', url: () => '/api/elevators/EL-0001', ok: { as: 'maintainer', status: 200 }, forbidden: [{ as: 'maintainerOther' }, { as: 'staff' }] },
  {
    method: 'GET',
    route: '/api/devices',
    url: () => '/api/devices',
    ok: { as: 'staff', status: 200 },
    forbidden: [{ as: 'staffOther', query: 'site=jiangsu-road' }],
    bad: { query: 'offline=maybe', field: 'offline' },
  },
  { method: 'GET', route: '/api/sites/:id/rules', url: () => '/api/sites/jiangsu-road/rules', ok: { as: 'maintainer', status: 200 }, forbidden: [{ as: 'staffOther' }] },
  {
    method: 'PUT',
    route: '/api/sites/:id/rules',
    url: () => '/api/sites/jiangsu-road/rules',
    ok: { as: 'supervisor', body: { 'water.no_activity': { windowS: 2 * 3600, minLiters: 10 } }, status: 200 },
    forbidden: [{ as: 'staff' }, { as: 'maintainer' }],
    bad: { body: { 'water.no_activity': { windowS: -1 } }, field: 'water.no_activity.windowS' },
  },
  { method: 'GET', route: '/api/residents/:id/rules', url: () => '/api/residents/R-0001/rules', ok: { as: 'staff', status: 200 }, forbidden: [{ as: 'staffOther' }, { as: 'maintainer' }] },
  {
    method: 'PUT',
    route: '/api/residents/:id/rules',
    url: () => '/api/residents/R-0001/rules',
    ok: { as: 'admin', body: { 'water.no_activity': { windowS: 86400 } }, status: 200 },
    forbidden: [{ as: 'staff' }, { as: 'service' }],
    bad: { body: { 'water.no_sleep': {} }, field: 'water.no_sleep' },
  },
  { method: 'GET', route: '/api/elevators/:id/rules', url: () => '/api/elevators/EL-0001/rules', ok: { as: 'maintainer', status: 200 }, forbidden: [{ as: 'staff' }, { as: 'maintainerOther' }] },
  {
    method: 'PUT',
    route: '/api/elevators/:id/rules',
    url: () => '/api/elevators/EL-0001/rules',
    ok: { as: 'admin', body: { 'elevator.entrapment': { afterS: 15 } }, status: 200 },
    forbidden: [{ as: 'supervisor' }, { as: 'maintainer' }],
    bad: { body: { 'elevator.entrapment': { afterS: 'soon' } }, field: 'elevator.entrapment.afterS' },
  },
  { method: 'GET', route: '/api/admin/registry', url: () => '/api/admin/registry', ok: { as: 'admin', status: 200 }, forbidden: [{ as: 'supervisor' }, { as: 'service' }] },
  {
    method: 'POST',
    route: '/api/admin/registry',
    url: () => '/api/admin/registry',
    ok: { as: 'admin', body: { sites: [{ id: 'xin-hua', name: 'Xin Hua', timezone: 'Asia/Shanghai' }] }, status: 200 },
    forbidden: [{ as: 'supervisor' }, { as: 'staff' }],
    bad: { body: { residents: [{ id: 'R-0009', site: 'nowhere' }] }, field: 'residents[0].site' },
  },
  {
    method: 'POST',
    route: '/api/sites/:id/webhooks',
    url: () => '/api/sites/jiangsu-road/webhooks',
    ok: { as: 'admin', body: { url: 'http://127.0.0.1:9/hook' }, status: 201 },
    forbidden: [{ as: 'supervisor' }, { as: 'staff' }],
    bad: { body: { url: 'ftp://example.org/' }, field: 'url' },
  },
  { method: 'GET', route: '/api/sites/:id/webhooks', url: () => '/api/sites/jiangsu-road/webhooks', ok: { as: 'admin', status: 200 }, forbidden: [{ as: 'supervisor' }] },
  {
    method: 'DELETE',
    route: '/api/sites/:id/webhooks/:wid',
    url: async (c) => `/api/sites/jiangsu-road/webhooks/${await newWebhook(c)}`,
    ok: { as: 'admin', status: 204 },
    forbidden: [{ as: 'supervisor' }, { as: 'maintainer' }],
  },
  {
    method: 'GET',
    route: '/api/sites/:id/webhooks/:wid/deliveries',
    url: async (c) => `/api/sites/jiangsu-road/webhooks/${await newWebhook(c)}/deliveries`,
    ok: { as: 'admin', status: 200 },
    forbidden: [{ as: 'supervisor' }],
    bad: { query: 'status=lost', field: 'status' },
  },
  {
    // The admin gets through to the handler: a delivery that does not exist (only a rejected one can be redelivered).
    method: 'POST',
    route: '/api/sites/:id/webhooks/:wid/deliveries/:did/redeliver',
    url: async (c) => `/api/sites/jiangsu-road/webhooks/${await newWebhook(c)}/deliveries/nope/redeliver`,
    ok: { as: 'admin', status: 404 },
    forbidden: [{ as: 'supervisor' }, { as: 'staff' }],
  },
  {
    method: 'PUT',
    route: '/api/sites/:id/check-in-call',
    url: () => '/api/sites/jiangsu-road/check-in-call',
    ok: { as: 'admin', body: checkInConfig, status: 200 },
    forbidden: [{ as: 'supervisor' }, { as: 'staff' }],
    bad: { body: { ...checkInConfig, gatewayUrl: 'ftp://example.org/' }, field: 'gatewayUrl' },
  },
  { method: 'GET', route: '/api/sites/:id/check-in-call', url: () => '/api/sites/jiangsu-road/check-in-call', ok: { as: 'supervisor', status: 200 }, forbidden: [{ as: 'staff' }, { as: 'maintainer' }] },
  {
    method: 'DELETE',
    route: '/api/sites/:id/check-in-call',
    url: async (c) => {
      await c.s.api.call('PUT', '/api/sites/jiangsu-road/check-in-call', { token: await c.s.token('admin'), body: checkInConfig });
      return '/api/sites/jiangsu-road/check-in-call';
    },
    ok: { as: 'admin', status: 204 },
    forbidden: [{ as: 'supervisor' }, { as: 'staff' }],
  },
  {
    method: 'POST',
    route: '/api/calls/:callId/result',
    url: async (c) => `/api/calls/${await pendingCall(c)}/result`,
    ok: { as: 'staff', body: (c: Ctx) => ({ callId: c.callId, result: 'needs_help', timestamp: Date.now() }), status: 200 },
    forbidden: { none: 'public: the gateway signs the body (HMAC); bad or missing signatures get 401 (check-in-calls.e2e.spec.ts)' },
    bad: { body: (c: Ctx) => ({ callId: c.callId, result: 'maybe', timestamp: Date.now() }), field: 'result' },
    headers: (_c, raw) => signed(raw),
    public: true,
  },
  {
    method: 'GET',
    route: '/api/reports/response-times',
    url: () => '/api/reports/response-times',
    ok: { as: 'staff', status: 200 },
    forbidden: [{ as: 'staffOther', query: 'site=jiangsu-road' }],
    bad: { query: 'month=2025-13', field: 'month' },
  },
  { method: 'GET', route: '/api/audit/log.jsonl', url: () => '/api/audit/log.jsonl', ok: { as: 'admin', status: 200 }, forbidden: [{ as: 'supervisor' }, { as: 'staff' }] },
  { method: 'GET', route: '/api/audit/head', url: () => '/api/audit/head', ok: { as: 'service', status: 200 }, forbidden: { none: 'the head is public anyway (hb_audit_head_info in /metrics)' } },
  {
    method: 'POST',
    route: '/api/elevators/:id/maintenance',
    url: () => '/api/elevators/EL-0001/maintenance',
    ok: { as: 'maintainer', body: { action: 'arrived', note: 'quarterly service' }, status: 201 },
    forbidden: [{ as: 'maintainerOther' }, { as: 'staff' }],
    bad: { body: { action: 'lunch' }, field: 'action' },
  },
  {
    method: 'GET',
    route: '/api/elevators/:id/maintenance',
    url: () => '/api/elevators/EL-0001/maintenance',
    ok: { as: 'maintainer', status: 200 },
    forbidden: [{ as: 'maintainerOther' }, { as: 'staff' }],
    bad: { query: 'limit=0', field: 'limit' },
  },
  {
    method: 'POST',
    route: '/api/auth/password',
    url: () => '/api/auth/password',
    ok: { as: 'staff2', body: { current: 'staff2-password', new: 'a-new-staff2-password' }, status: 204 },
    forbidden: { none: 'changes the caller\'s own password only' },
    bad: { body: { current: 'staff2-password', new: 'short' }, field: 'new' },
  },
  { method: 'POST', route: '/api/auth/logout', url: () => '/api/auth/logout', ok: { as: 'fresh-login', status: 204 }, forbidden: { none: 'revokes the caller\'s own token only' } },
];

/** Configures check-in calls at yan-an, raises a fire alarm at R-0101 and waits until its call request is queued. */
async function pendingCall(c: Ctx): Promise<string> {
  if (c.callId) return c.callId;
  const admin = await c.s.token('admin');
  await c.s.api.call('PUT', '/api/sites/yan-an/check-in-call', { token: admin, body: checkInConfig });
  const detector = await c.s.stack.device('SA-0101');
  await detector.publishAsync('hb/v1/SA-0101/event', JSON.stringify({ ts: Date.now(), seq: 2, event: 'alarm' }), { qos: 1 });
  const rules = c.s.stack.engine.runtime.driver.rules;
  const callId = await waitFor('a check-in call at yan-an', () => rules.alerts().find((a) => a.site === 'yan-an' && a.rule === 'smoke.alarm')?.calls?.[0]?.id);
  await waitFor('its request queued', async () => {
    const recent = field((await c.s.api.call('GET', '/api/sites/yan-an/check-in-call', { token: admin })).body, 'recent');
    return Array.isArray(recent) && recent.some((r) => field(r, 'callId') === callId) ? true : undefined;
  });
  return (c.callId = callId);
}

async function newWebhook(c: Ctx): Promise<string> {
  const res = await c.s.api.call('POST', '/api/sites/jiangsu-road/webhooks', { token: await c.s.token('admin'), body: { url: 'http://127.0.0.1:9/hook' } });
  return id(res.body);
}

const withQuery = (url: string, q?: string) => (q ? `${url}${url.includes('?') ? '&' : '?'}${q}` : url);

describe('API attack matrix: every route refuses missing and bad tokens, foreign sites and roles, bad input', () => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    ctx.s = await startApiStack();
    const alarm = await ctx.s.stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    const meter = await ctx.s.stack.device('WM-0001');
    await meter.publishAsync('hb/v1/WM-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'leak' }), { qos: 1 });
    const rules = ctx.s.stack.engine.runtime.driver.rules;
    ctx.alarm = (await waitFor('alarm', () => rules.alerts().find((a) => a.rule === 'smoke.alarm'))).id;
    ctx.leak = (await waitFor('leak', () => rules.alerts().find((a) => a.rule === 'water.leak'))).id;
  });
  afterAll(async () => ctx.s?.stop());

  it('has exactly one row per route, and every route declares its access rule', () => {
    const routes = engineRoutes();
    expect(routes.filter((r) => !r.access).map((r) => r.handler)).toEqual([]);
    const key = (m: string, p: string) => `${m} ${p}`;
    expect(ROWS.map((r) => key(r.method, r.route)).sort()).toEqual(routes.map((r) => key(r.method, r.path)).sort());
    for (const r of routes) expect('public' in (r.access ?? {})).toBe(ROWS.find((row) => key(row.method, row.route) === key(r.method, r.path))?.public === true);
  });

  describe.each(ROWS)('$method $route', (row) => {
    const call = async (token: string | undefined, opts: { body?: unknown; query?: string } = {}) => {
      const url = withQuery(await row.url(ctx), opts.query);
      const body: unknown = typeof opts.body === 'function' ? Reflect.apply(opts.body, undefined, [ctx]) : opts.body;
      const rawBody = body === undefined ? undefined : JSON.stringify(body);
      return ctx.s.api.call(row.method, url, { ...(token !== undefined ? { token } : {}), ...(rawBody !== undefined ? { rawBody } : {}), ...(row.headers ? { headers: row.headers(ctx, rawBody) } : {}) });
    };

    if (!row.public) {
      it('401 without a token, with a bad token, with a malformed header', async () => {
        for (const token of [undefined, 'hb_forged-token-0000000000000000000000000000', '']) {
          const res = await call(token, { body: row.ok.body });
          expect({ token, status: res.status, error: field(res.body, 'error') }).toEqual({ token, status: 401, error: 'unauthenticated' });
        }
      });
    }

    if (Array.isArray(row.forbidden)) {
      it.each(row.forbidden)('403 for $as $query', async ({ as, query }) => {
        const res = await call(await ctx.s.token(as), { body: row.ok.body, ...(query ? { query } : {}) });
        expect({ status: res.status, error: field(res.body, 'error') }).toEqual({ status: 403, error: 'forbidden' });
      });
    }

    if (row.bad) {
      const bad = row.bad;
      it(`400 naming the field "${bad.field}"`, async () => {
        const as = row.ok.as === 'fresh-login' ? 'staff' : row.ok.as;
        const res = await call(await ctx.s.token(as), { ...(bad.body !== undefined ? { body: bad.body } : {}), ...(bad.query ? { query: bad.query } : {}) });
        expect(res.status).toBe(400);
        expect(field(res.body, 'error')).toBe('invalid_request');
        expect(field(res.body, 'field') ?? '').toBe(bad.field);
        expect(typeof field(res.body, 'message')).toBe('string');
      });
    }

    it(`${row.ok.status} for ${row.ok.as}`, async () => {
      const token = row.ok.as === 'fresh-login' ? await ctx.s.api.login('li.bin', 'staff-password') : await ctx.s.token(row.ok.as);
      const res = await call(token, row.ok.body !== undefined ? { body: row.ok.body } : {});
      expect({ status: res.status, body: res.status === row.ok.status ? 'ok' : res.body }).toEqual({ status: row.ok.status, body: 'ok' });
    });
  });
});
