import type { RegistryProblem } from '@hearthbeat/contracts';

/**
 * Errors of the engine's edges (auth, scoping, input). Like the core's named errors they carry a stable
 * `code` and an HTTP status; the one exception filter turns every named error into the JSON error body.
 */
export abstract class ApiError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
  constructor(
    message: string,
    /** The request field at fault, dotted (`outcome`, `rules.water.no_activity.windowS`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is malformed; `field` names the first bad field, `problems` lists every one. */
export class InvalidRequestError extends ApiError {
  readonly code = 'invalid_request';
  readonly httpStatus = 400;
  constructor(
    message: string,
    field?: string,
    readonly problems: RegistryProblem[] = [],
  ) {
    super(message, field);
  }
}

/** No token, an unknown, expired or revoked token, or wrong credentials. */
export class UnauthenticatedError extends ApiError {
  readonly code = 'unauthenticated';
  readonly httpStatus = 401;
}

/** Signed in, but outside the user's role or sites. */
export class ForbiddenError extends ApiError {
  readonly code = 'forbidden';
  readonly httpStatus = 403;
}

/** A webhook delivery that is not set aside as rejected cannot be redelivered (it is queued or delivered). */
export class NotRejectedError extends ApiError {
  readonly code = 'delivery_not_rejected';
  readonly httpStatus = 409;
  constructor(id: string, status: string) {
    super(`delivery "${id}" is ${status}, not rejected: only a rejected delivery can be redelivered`);
  }
}

/** `code` names the entity, as the core's errors do: `resident_not_found`, `webhook_not_found`. */
export class NotFoundError extends ApiError {
  readonly code: string;
  readonly httpStatus = 404;
  constructor(
    readonly entity: string,
    readonly id: string,
    /** Why it may be gone, for an id that once existed (e.g. pruned by the retention). */
    detail?: string,
  ) {
    super(`${entity} "${id}" not found${detail ? `: ${detail}` : ''}`);
    this.code = `${entity.replace(/\s+/g, '_')}_not_found`;
  }
}

/** Login attempts for this username from this address are being slowed down. */
export class TooManyAttemptsError extends ApiError {
  readonly code = 'too_many_attempts';
  readonly httpStatus = 429;
  constructor(readonly retryAfterS: number) {
    super(`too many failed attempts: try again in ${retryAfterS} s`);
  }
}

/** The platform keeps no telemetry history (HB_TELEMETRY_STORE=none). */
export class HistoryUnavailableError extends ApiError {
  readonly code = 'history_unavailable';
  readonly httpStatus = 503;
}

/** The configured history store (InfluxDB) failed to answer; alerting is unaffected. */
export class HistoryStoreError extends ApiError {
  readonly code = 'history_store_failed';
  readonly httpStatus = 502;
}
