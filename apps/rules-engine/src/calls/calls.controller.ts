import { Body, Controller, Headers, HttpCode, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Endpoint } from '../http/endpoint.decorator';
import { SIGNATURE_HEADER } from '../webhooks/webhook.signer';
import { CallsService, type CallResultAnswer } from './calls.service';
import { callResultSchema } from './dto/call.dto';

@ApiTags('calls')
@Controller('api/calls')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @Post(':callId/result')
  @HttpCode(200)
  @Endpoint({
    summary: 'The voice gateway reports a check-in call\'s result (signed; no bearer token)',
    description:
      '`X-Hearthbeat-Signature: sha256=HEX` = HMAC-SHA256 of the raw body with the site\'s gateway secret; `timestamp` within ±300 s; a repeat of an applied result is a no-op (`status: "duplicate"`). Bad or missing signature: 401. See docs/field-workflow.md.',
    access: 'public',
    body: callResultSchema,
  })
  result(@Param('callId') callId: string, @Req() req: RawBodyRequest<Request>, @Body() body: unknown, @Headers(SIGNATURE_HEADER) signature: string | undefined): CallResultAnswer {
    return this.calls.receive(callId, req.rawBody, body, signature);
  }
}
