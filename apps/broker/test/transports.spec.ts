import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import type { HearthbeatBroker } from '../src/broker/hearthbeat.broker';
import { startBroker } from './support/broker.fixture';
import { connect, connectUser, Inbox } from './support/mqtt.client';
import { httpGet } from './support/metrics.scrape';
import { run } from './support/mosquitto.tools';
import { RawClient } from './support/raw.client';
import { PASSWORDS, SECRETS, openTestRegistry, type TestRegistry } from './support/registry.fixture';

const reading = (seq: number) => JSON.stringify({ ts: Date.now(), seq, totalL: seq });

describe('MQTT over WebSocket (/mqtt) and TLS', () => {
  let reg: TestRegistry;
  let broker: HearthbeatBroker;
  let certDir: string;
  let ca: Buffer;

  beforeAll(async () => {
    reg = await openTestRegistry();
    // A self-signed certificate for 127.0.0.1, made by the openssl CLI for this run only.
    certDir = mkdtempSync(path.join(tmpdir(), 'hb-broker-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem'),
    ], { stdio: 'ignore' });
    ca = readFileSync(path.join(certDir, 'cert.pem'));
    broker = await startBroker(reg, { tls: { port: 0, certFile: path.join(certDir, 'cert.pem'), keyFile: path.join(certDir, 'key.pem') } });
  });
  afterAll(async () => {
    await broker.stop();
    reg.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('carries a device publish over ws://…/mqtt to a TCP subscriber', async () => {
    const svc = await connectUser(broker.ports.mqtt, 'svc');
    const inbox = new Inbox(svc);
    await svc.subscribeAsync('hb/v1/WM-0001/telemetry', { qos: 1 });
    const device = await connect(`ws://127.0.0.1:${broker.ports.ws}/mqtt`, { clientId: 'WM-0001', username: 'WM-0001', password: SECRETS['WM-0001'] });
    await device.publishAsync('hb/v1/WM-0001/telemetry', reading(1), { qos: 1 });
    expect(await inbox.on('hb/v1/WM-0001/telemetry', '"seq":1,')).toMatchObject({ qos: 1 });
    await Promise.all([device.endAsync(), svc.endAsync()]);
  });

  it('answers the mqtt subprotocol and only at /mqtt', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${broker.ports.ws}/mqtt`, ['mqtt']);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect(ws.protocol).toBe('mqtt');
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    const wrong = new WebSocket(`ws://127.0.0.1:${broker.ports.ws}/other`, ['mqtt']);
    const status = await new Promise<number>((resolve) => wrong.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).once('error', () => resolve(-1)));
    expect(status).not.toBe(101);
    expect((await httpGet(broker.ports.ws ?? 0, '/mqtt')).status).toBe(426);
  });

  it('serves MQTT over TLS to mqtt.js (certificate verified) and to mosquitto_pub --cafile', async () => {
    const svc = await connect(`mqtts://127.0.0.1:${broker.ports.tls}`, { clientId: 'svc-tls', username: 'svc', password: PASSWORDS.svc, ca, rejectUnauthorized: true });
    const inbox = new Inbox(svc);
    await svc.subscribeAsync('hb/v1/SA-0001/event', { qos: 1 });
    const event = JSON.stringify({ ts: Date.now(), event: 'alarm' });
    const pub = await run('mosquitto_pub', [
      '-h', '127.0.0.1', '-p', String(broker.ports.tls), '--cafile', path.join(certDir, 'cert.pem'),
      '-i', 'SA-0001', '-u', 'SA-0001', '-P', SECRETS['SA-0001'], '-t', 'hb/v1/SA-0001/event', '-q', '1', '-m', event,
    ]);
    expect(pub).toMatchObject({ code: 0, stderr: '' });
    expect((await inbox.on('hb/v1/SA-0001/event')).text).toBe(event);
    await svc.endAsync();
  });

  it('refuses a TLS client that does not trust the certificate, and plain MQTT on the TLS port', async () => {
    await expect(connect(`mqtts://127.0.0.1:${broker.ports.tls}`, { clientId: 'svc-x', username: 'svc', password: PASSWORDS.svc, rejectUnauthorized: true })).rejects.toThrow(/self[- ]signed/i);
    // A plaintext CONNECT is not a TLS ClientHello: the TLS layer closes the socket, no CONNACK.
    const plain = await RawClient.open(broker.ports.tls ?? 0);
    void plain.connect({ clientId: 'plain', username: 'svc', password: PASSWORDS.svc });
    await plain.closed;
    expect(plain.received).toEqual([]);
    expect(broker.listening).toBe(true);
  });
});
