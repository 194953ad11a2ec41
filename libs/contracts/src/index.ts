export * from './ids';
export * from './topics';
export * from './payloads';
export * from './parse';
export * from './rules';
export * from './alerts';
export * from './registry';
export * from './files';
