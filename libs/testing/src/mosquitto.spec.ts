import { connectAsync } from 'mqtt';
import { startMosquitto, type MosquittoServer } from './mosquitto';

describe('startMosquitto', () => {
  let server: MosquittoServer;
  afterEach(async () => server?.stop());

  it('starts a real mosquitto that refuses a wrong password and relays for a right one', async () => {
    server = await startMosquitto({ users: [{ name: 'u', password: 'pw-123456' }] });
    await expect(connectAsync(`mqtt://127.0.0.1:${server.port}`, { username: 'u', password: 'nope', reconnectPeriod: 0 })).rejects.toThrow(/Not authorized|Bad username/i);
    const c = await connectAsync(`mqtt://127.0.0.1:${server.port}`, { username: 'u', password: 'pw-123456', reconnectPeriod: 0 });
    await c.subscribeAsync('t', { qos: 1 });
    const got = new Promise<string>((r) => c.once('message', (_t, p) => r(p.toString())));
    await c.publishAsync('t', 'hello', { qos: 1 });
    expect(await got).toBe('hello');
    await c.endAsync();
  });
});
