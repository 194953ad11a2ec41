import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Endpoint } from '../http/endpoint.decorator';
import { AuditService } from './audit.service';

const FORMAT =
  'One JSON object a line: `{"seq","prevHash","hash","entry"}`, hash = sha256 hex of the canonical JSON (RFC 8785) of `{seq, prevHash, entry}`, prevHash of seq 1 = 64 zeros. Check with `npm run verify-log -- FILE [--head HASH]` (docs/field-workflow.md).';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('log.jsonl')
  @Endpoint({ summary: 'Export the tamper-evident log (alert timelines, maintenance check-ins) as JSON Lines', description: FORMAT, access: ['admin'], returns: 'application/x-ndjson' })
  async export(@Res() res: Response): Promise<void> {
    const head = this.audit.head();
    res.status(200);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="hearthbeat-audit-${head.seq}.jsonl"`);
    await this.audit.exportTo(res);
    res.end();
  }

  @Get('head')
  @Endpoint({ summary: 'The log\'s head (seq and chain hash) for an outside party to anchor; also in /metrics', description: FORMAT, access: 'signed-in' })
  head() {
    return this.audit.head();
  }
}
