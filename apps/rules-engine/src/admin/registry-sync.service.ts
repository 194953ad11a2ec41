import { Inject, Injectable } from '@nestjs/common';
import type { ImportReport, RegistryStore } from '@hearthbeat/registry';
import type { RegistryFile } from '@hearthbeat/contracts';
import { EngineRuntime } from '../engine.runtime';
import { REGISTRY } from '../engine.tokens';

/**
 * Registry writes made through the API, applied to the running core at once: the rules pick up new
 * subjects, devices and parameters without a restart (`driver.updateRegistry`, one persisted step).
 */
@Injectable()
export class RegistrySync {
  constructor(
    private readonly runtime: EngineRuntime,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
  ) {}

  async importAndApply(file: RegistryFile): Promise<ImportReport> {
    const report = await this.registry.importRegistry(file);
    this.runtime.driver.updateRegistry(this.runtime.coreRegistry());
    return report;
  }
}
