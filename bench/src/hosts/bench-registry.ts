import { openRegistryStore, readRegistryFile, type SqliteRegistryStore } from '@hearthbeat/registry';
import { BENCH_SCRYPT_COST } from './host.protocol';

/** Opens the registry under `dataDir` with the bench's scrypt cost and imports the bench fleet. */
export async function openBenchRegistry(dataDir: string, registryFile: string): Promise<SqliteRegistryStore> {
  const file = await readRegistryFile(registryFile);
  if (!file.ok) throw new Error(`bench registry file: ${file.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const store = await openRegistryStore({ dataDir, deviceSecretCost: BENCH_SCRYPT_COST, passwordCost: BENCH_SCRYPT_COST });
  await store.importRegistry(file.value);
  return store;
}
