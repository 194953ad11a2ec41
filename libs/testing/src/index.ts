export * from './wait';
export { tempDir } from './temp-dir';
export * from './mosquitto';
export * from './built';
export * from './victoria-metrics';
export * from './influxdb';
export * from './seeded-random';
export * from './routine-meter';
export * from './http-receiver';
