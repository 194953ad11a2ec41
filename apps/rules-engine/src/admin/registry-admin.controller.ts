import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { parseRegistryFile, registryFileSchema, type RegistryFile } from '@hearthbeat/contracts';
import type { ImportReport, RegistryStore } from '@hearthbeat/registry';
import { REGISTRY } from '../engine.tokens';
import { InvalidRequestError } from '../http/api.errors';
import { Endpoint } from '../http/endpoint.decorator';
import { RegistrySync } from './registry-sync.service';

@ApiTags('admin')
@Controller('api/admin/registry')
export class RegistryAdminController {
  constructor(
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    private readonly sync: RegistrySync,
  ) {}

  @Get()
  @Endpoint({ summary: 'Export the registry (protocol.md registry file), without secrets or passwords', access: ['admin'] })
  export(): RegistryFile {
    return this.registry.exportRegistry();
  }

  @Post()
  @HttpCode(200)
  @Endpoint({
    summary: 'Import a registry file (idempotent upsert; secrets and passwords are hashed) and apply it to the running rules',
    description: 'A file with problems changes nothing: 400 with `problems` listing every one by path (`residents[3].devices[1]`); 409 when it contradicts the stored registry. Bodies up to 32 MB.',
    access: ['admin'],
    body: registryFileSchema,
  })
  import(@Body() body: unknown): Promise<ImportReport> {
    const parsed = parseRegistryFile(body ?? {});
    if (!parsed.ok) {
      const first = parsed.problems[0];
      throw new InvalidRequestError(`invalid registry file (${parsed.problems.length} problem${parsed.problems.length > 1 ? 's' : ''}); first: ${first?.path}: ${first?.message}`, first?.path || undefined, parsed.problems);
    }
    return this.sync.importAndApply(parsed.value);
  }
}
