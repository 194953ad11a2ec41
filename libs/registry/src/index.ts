export * from './registry-store';
export * from './registry.errors';
export { SqliteRegistryStore, openRegistryStore, REGISTRY_DB_FILE, type RegistryStoreOptions } from './sqlite-registry.store';
export { readRegistryFile, parseRegistryText, type RegistryFileResult } from './registry-file.reader';
export { DEVICE_SECRET_COST, PASSWORD_COST, hashSecret, verifySecret, type ScryptCost } from './secret.hasher';
export { MIGRATIONS, SchemaTooNewError, type Migration } from './registry-schema.migrations';
