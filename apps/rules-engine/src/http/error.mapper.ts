import { HttpException } from '@nestjs/common';
import type { RegistryProblem } from '@hearthbeat/contracts';
import { InvalidAwayPeriodError, InvalidOutcomeError, RulesCoreError } from '@hearthbeat/rules-core';
import { RegistryConflictError, RegistryNotFoundError, RegistryValidationError } from '@hearthbeat/registry';
import { ApiError, InvalidRequestError, TooManyAttemptsError } from './api.errors';

/** The JSON body of every error answer: `{"error": code, "message", "field"?, "problems"?}`. */
export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  problems?: RegistryProblem[];
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_attempts',
};

/** Body-parser errors (malformed JSON, too large) carry `status` and `type`; duck-typed, never cast. */
function parserError(err: unknown): { status: number; type: string; message: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status: unknown = Reflect.get(err, 'status');
  const type: unknown = Reflect.get(err, 'type');
  const message: unknown = Reflect.get(err, 'message');
  if (typeof status !== 'number' || typeof type !== 'string') return undefined;
  return { status, type, message: typeof message === 'string' ? message : type };
}

/**
 * Named errors to HTTP: the single mapping used by the exception filter (and by the body-parser hook,
 * which runs before Nest's routing). Anything unnamed is a 500 whose details stay in the log.
 */
export function mapError(err: unknown): MappedError {
  if (err instanceof ApiError) {
    const body: ErrorBody = { error: err.code, message: err.message };
    if (err.field !== undefined) body.field = err.field;
    if (err instanceof InvalidRequestError && err.problems.length > 0) body.problems = err.problems;
    const headers = err instanceof TooManyAttemptsError ? { 'Retry-After': String(err.retryAfterS) } : undefined;
    return { status: err.httpStatus, body, ...(headers ? { headers } : {}) };
  }
  if (err instanceof RulesCoreError) {
    const body: ErrorBody = { error: err.code, message: err.message };
    if (err instanceof InvalidOutcomeError) body.field = 'outcome';
    if (err instanceof InvalidAwayPeriodError) body.field = 'to';
    return { status: err.httpStatus, body };
  }
  if (err instanceof RegistryValidationError) {
    const conflict = err instanceof RegistryConflictError;
    const body: ErrorBody = { error: conflict ? 'registry_conflict' : 'invalid_request', message: err.message, problems: err.problems };
    const first = err.problems[0]?.path;
    if (first) body.field = first;
    return { status: conflict ? 409 : 400, body };
  }
  if (err instanceof RegistryNotFoundError) return { status: 404, body: { error: `${err.entity}_not_found`, message: err.message } };
  if (err instanceof HttpException) {
    const status = err.getStatus();
    return { status, body: { error: STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'error'), message: err.message } };
  }
  const parser = parserError(err);
  if (parser && parser.status >= 400 && parser.status < 500) {
    const error = parser.type === 'entity.parse.failed' ? 'invalid_json' : (STATUS_CODES[parser.status] ?? 'invalid_request');
    return { status: parser.status, body: { error, message: parser.type === 'entity.parse.failed' ? 'the body is not valid JSON' : parser.message } };
  }
  return { status: 500, body: { error: 'internal_error', message: 'internal error (logged)' } };
}
