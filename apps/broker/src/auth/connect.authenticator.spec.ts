import { PASSWORDS, SECRETS, openTestRegistry, type TestRegistry } from '../../test/support/registry.fixture';
import { ConnectAuthenticator, type AuthOutcome, type ConnectAttempt } from './connect.authenticator';

// The real SQLite registry (no sockets): the decision table of docs/broker.md, "Who may connect".
describe('ConnectAuthenticator', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await openTestRegistry();
  });
  afterAll(() => reg.close());

  const attempt = (clientId: string, username?: string, password?: string, clean = true): ConnectAttempt => ({
    clientId,
    effectiveClientId: clientId === '' ? 'aedes_generated' : clientId,
    clean,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password: Buffer.from(password) } : {}),
  });
  const summary = (o: AuthOutcome) => (o.ok ? { ok: true, kind: o.identity.kind, clientId: o.identity.clientId } : { ok: false, code: o.returnCode, reason: o.reason });

  it.each<[string, ConnectAttempt, boolean, ReturnType<typeof summary>]>([
    ['device', attempt('EL-0001', 'EL-0001', SECRETS['EL-0001']), false, { ok: true, kind: 'device', clientId: 'EL-0001' }],
    ['service user', attempt('engine', 'svc', PASSWORDS.svc), false, { ok: true, kind: 'service', clientId: 'engine' }],
    ['service user, zero-length id, clean', attempt('', 'svc', PASSWORDS.svc), false, { ok: true, kind: 'service', clientId: 'aedes_generated' }],
    ['zero-length id, persistent', attempt('', 'svc', PASSWORDS.svc, false), false, { ok: false, code: 2, reason: 'identifier_rejected' }],
    ['control character in id', attempt('a\u0001b', 'svc', PASSWORDS.svc), false, { ok: false, code: 2, reason: 'identifier_rejected' }],
    ['+ in id', attempt('a+b', 'svc', PASSWORDS.svc), false, { ok: false, code: 2, reason: 'identifier_rejected' }],
    ['wrong device secret', attempt('EL-0001', 'EL-0001', 'x'.repeat(20)), false, { ok: false, code: 4, reason: 'bad_password' }],
    ['wrong secret beats a client id mismatch', attempt('other', 'EL-0001', 'x'.repeat(20)), false, { ok: false, code: 4, reason: 'bad_password' }],
    ['device id as client id of another device', attempt('WM-0001', 'EL-0001', SECRETS['EL-0001']), false, { ok: false, code: 5, reason: 'client_id_mismatch' }],
    ['unknown username', attempt('ghost', 'ghost', 'whatever-123'), false, { ok: false, code: 4, reason: 'unknown_username' }],
    ['no password', attempt('svc-1', 'svc'), false, { ok: false, code: 4, reason: 'missing_password' }],
    ['staff user', attempt('s-1', 'staff', PASSWORDS.staff), false, { ok: false, code: 5, reason: 'role_not_allowed' }],
    ['anonymous, not allowed', attempt('anon'), false, { ok: false, code: 5, reason: 'anonymous_not_allowed' }],
    ['anonymous, allowed', attempt('anon'), true, { ok: true, kind: 'anonymous', clientId: 'anon' }],
    ['anonymous with a device id', attempt('WM-0001'), true, { ok: false, code: 5, reason: 'client_id_mismatch' }],
  ])('%s', async (_name, a, allowAnonymous, expected) => {
    const auth = new ConnectAuthenticator(reg.store, { allowAnonymous, hasAclSection: () => false });
    expect(summary(await auth.authenticate(a))).toEqual(expected);
  });

  it('lets a user of another role in when the access file has a section for it', async () => {
    const auth = new ConnectAuthenticator(reg.store, { allowAnonymous: false, hasAclSection: (u) => u === 'dash' });
    expect(summary(await auth.authenticate(attempt('board', 'dash', PASSWORDS.dash)))).toEqual({ ok: true, kind: 'user', clientId: 'board' });
    expect(summary(await auth.authenticate(attempt('board', 'staff', PASSWORDS.staff)))).toEqual({ ok: false, code: 5, reason: 'role_not_allowed' });
  });
});
