export * from './wait';
export * from './mosquitto';
export * from './built';
