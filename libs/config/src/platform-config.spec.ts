import { ConfigError } from './env';
import { loadPlatformConfig } from './platform-config';

describe('platform config', () => {
  it('has the defaults of protocol.md', () => {
    const c = loadPlatformConfig({});
    expect(c).toMatchObject({ mqttPort: 1883, mqttWsPort: 8083, httpPort: 3000, allowAnonymous: false, telemetryStore: 'embedded' });
    expect(c.dataDir).toMatch(/data$/);
    expect(c.mqttTls).toBeUndefined();
  });
  it.each([
    [{ HB_MQTT_PORT: 'abc' }, 'HB_MQTT_PORT'],
    [{ HB_MQTT_PORT: '70000' }, 'HB_MQTT_PORT'],
    [{ HB_MQTT_ALLOW_ANONYMOUS: 'maybe' }, 'HB_MQTT_ALLOW_ANONYMOUS'],
    [{ HB_TELEMETRY_STORE: 'mongo' }, 'HB_TELEMETRY_STORE'],
    [{ HB_TELEMETRY_STORE: 'influx' }, 'HB_INFLUX_URL'],
    [{ HB_MQTT_TLS_CERT: '/x.pem' }, 'HB_MQTT_TLS_KEY'],
  ])('fails fast naming the variable: %j', (env, variable) => {
    expect(() => loadPlatformConfig(env)).toThrow(ConfigError);
    expect(() => loadPlatformConfig(env)).toThrow(new RegExp(`^${variable}:`));
  });
  it('reads TLS and influx settings', () => {
    const c = loadPlatformConfig({
      HB_MQTT_TLS_CERT: 'c.pem',
      HB_MQTT_TLS_KEY: 'k.pem',
      HB_TELEMETRY_STORE: 'influx',
      HB_INFLUX_URL: 'http://127.0.0.1:8086',
      HB_INFLUX_ORG: 'o',
      HB_INFLUX_BUCKET: 'b',
    });
    expect(c.mqttTls).toEqual({ port: 8883, certFile: 'c.pem', keyFile: 'k.pem' });
    expect(c.influx).toEqual({ url: 'http://127.0.0.1:8086', token: '', org: 'o', bucket: 'b' });
    expect(loadPlatformConfig({ HB_TELEMETRY_STORE: 'influx', HB_INFLUX_URL: 'http://x', HB_INFLUX_ORG: 'o', HB_INFLUX_BUCKET: 'b', HB_INFLUX_DATABASE: 'hb' }).influx?.database).toBe('hb');
  });
  it('keeps no telemetry history with HB_TELEMETRY_STORE=none', () => {
    const c = loadPlatformConfig({ HB_TELEMETRY_STORE: 'none', HB_INFLUX_URL: 'http://ignored' });
    expect(c.telemetryStore).toBe('none');
    expect(c.influx).toBeUndefined();
  });
});
