export * from './wait';
export * from './mosquitto';
