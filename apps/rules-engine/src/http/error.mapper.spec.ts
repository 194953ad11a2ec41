import { NotFoundException } from '@nestjs/common';
import { AlertNotFoundError, InvalidOutcomeError, InvalidTransitionError } from '@hearthbeat/rules-core';
import { RegistryConflictError, RegistryNotFoundError, RegistryValidationError } from '@hearthbeat/registry';
import { ForbiddenError, InvalidRequestError, TooManyAttemptsError } from './api.errors';
import { mapError } from './error.mapper';

describe('mapError (the one mapping from named errors to HTTP)', () => {
  it.each([
    [new InvalidRequestError('body field "x": bad', 'x'), 400, { error: 'invalid_request', field: 'x' }],
    [new ForbiddenError('no'), 403, { error: 'forbidden' }],
    [new AlertNotFoundError('AL-1'), 404, { error: 'alert_not_found' }],
    [new InvalidTransitionError('AL-1', 'resolved', 'resolve'), 409, { error: 'invalid_transition' }],
    [new InvalidOutcomeError('fine'), 400, { error: 'invalid_outcome', field: 'outcome' }],
    [new RegistryValidationError([{ path: 'residents[0].site', message: 'unknown site' }]), 400, { error: 'invalid_request', field: 'residents[0].site' }],
    [new RegistryConflictError([{ path: 'devices[0].kind', message: 'x' }]), 409, { error: 'registry_conflict', field: 'devices[0].kind' }],
    [new RegistryNotFoundError('user', 'x'), 404, { error: 'user_not_found' }],
    [new NotFoundException(), 404, { error: 'not_found' }],
    [Object.assign(new SyntaxError('Unexpected end'), { status: 400, type: 'entity.parse.failed' }), 400, { error: 'invalid_json' }],
    [Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' }), 413, { error: 'payload_too_large' }],
  ])('%s', (err, status, body) => {
    const mapped = mapError(err);
    expect(mapped.status).toBe(status);
    expect(mapped.body).toMatchObject(body);
    expect(typeof mapped.body.message).toBe('string');
  });

  it('keeps details of unnamed errors out of the answer and sets Retry-After for throttling', () => {
    expect(mapError(new Error('SQLITE_BUSY at /var/lib/x'))).toEqual({ status: 500, body: { error: 'internal_error', message: 'internal error (logged)' } });
    expect(mapError(new TooManyAttemptsError(4)).headers).toEqual({ 'Retry-After': '4' });
  });
});
