import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import type { UserRole } from '@hearthbeat/contracts';
import { ACCESS_KEY, type AccessRule } from '../auth/auth.types';
import { toOpenApiSchema } from '../openapi/zod-openapi';

export interface EndpointSpec {
  summary: string;
  description?: string;
  /** `public` (no token), `signed-in` (any role) or the roles allowed. */
  access: 'public' | 'signed-in' | readonly UserRole[];
  /** Documents (not validates: handlers parse with ZodPipe) the JSON body and the query parameters. */
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Site scoping applies (403 outside the user's sites or subject kinds). */
  scoped?: boolean;
  /** The success status (200 unless told) and what it returns. */
  status?: 200 | 201 | 204;
  returns?: string;
}

export function accessRule(access: EndpointSpec['access']): AccessRule {
  return access === 'public' ? { public: true } : { roles: access === 'signed-in' ? 'any' : access };
}

/**
 * One decorator per route: its access rule (read by the global AuthGuard and by the route table the
 * attack-matrix test walks) and its OpenAPI description, generated from the same zod schemas that
 * validate the input.
 */
export function Endpoint(spec: EndpointSpec): MethodDecorator {
  const who = spec.access === 'public' ? 'no token' : spec.access === 'signed-in' ? 'any signed-in user' : `roles: ${spec.access.join(', ')}`;
  const decorators: (MethodDecorator | ClassDecorator)[] = [
    SetMetadata(ACCESS_KEY, accessRule(spec.access)),
    ApiOperation({ summary: spec.summary, description: [spec.description, `Access: ${who}${spec.scoped ? ', within the user\'s sites' : ''}.`].filter(Boolean).join('\n\n') }),
    ApiResponse({ status: spec.status ?? 200, description: spec.returns ?? (spec.status === 204 ? 'done, no body' : 'JSON (see docs/api.md)') }),
  ];
  if (spec.access !== 'public') {
    decorators.push(ApiBearerAuth(), ApiResponse({ status: 401, description: 'missing, invalid, expired or revoked token' }));
    if (spec.access !== 'signed-in' || spec.scoped) decorators.push(ApiResponse({ status: 403, description: 'outside the user\'s role or sites' }));
  }
  if (spec.body) decorators.push(ApiBody({ schema: toOpenApiSchema(spec.body) }));
  if (spec.query) {
    for (const [name, field] of Object.entries(spec.query.shape)) {
      decorators.push(ApiQuery({ name, required: !field.safeParse(undefined).success, schema: toOpenApiSchema(field) }));
    }
  }
  if (spec.body || spec.query) decorators.push(ApiResponse({ status: 400, description: '{"error":"invalid_request","message","field"}' }));
  return applyDecorators(...decorators);
}
