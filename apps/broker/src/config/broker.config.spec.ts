import { ConfigError } from '@hearthbeat/config';
import { loadBrokerConfig } from './broker.config';

describe('loadBrokerConfig', () => {
  it('defaults the broker HTTP port to 9101 and keeps the platform settings', () => {
    const c = loadBrokerConfig({ HB_MQTT_PORT: '1884' });
    expect(c.brokerHttpPort).toBe(9101);
    expect(c.mqttPort).toBe(1884);
  });
  it('reads HB_BROKER_HTTP_PORT, 0 meaning any free port', () => {
    expect(loadBrokerConfig({ HB_BROKER_HTTP_PORT: '0' }).brokerHttpPort).toBe(0);
  });
  it('fails fast naming the variable', () => {
    expect(() => loadBrokerConfig({ HB_BROKER_HTTP_PORT: 'x' })).toThrow(ConfigError);
    expect(() => loadBrokerConfig({ HB_BROKER_HTTP_PORT: 'x' })).toThrow(/^HB_BROKER_HTTP_PORT:/);
  });
});
