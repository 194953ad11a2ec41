/**
 * Named domain errors. Edges map them: REST to HTTP statuses (suggested in `httpStatus`), WebSocket to
 * error frames. The core throws before changing anything, so a refused action leaves no trace.
 */
export abstract class RulesCoreError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class AlertNotFoundError extends RulesCoreError {
  readonly code = 'alert_not_found';
  readonly httpStatus = 404;
  constructor(readonly alertId: string) {
    super(`alert "${alertId}" not found`);
  }
}

export class SubjectNotFoundError extends RulesCoreError {
  readonly code = 'subject_not_found';
  readonly httpStatus = 404;
  constructor(readonly subjectId: string) {
    super(`subject "${subjectId}" not found`);
  }
}

/** E.g. acknowledging or resolving a resolved alert. */
export class InvalidTransitionError extends RulesCoreError {
  readonly code = 'invalid_transition';
  readonly httpStatus = 409;
  constructor(
    readonly alertId: string,
    readonly from: string,
    readonly action: string,
  ) {
    super(`alert "${alertId}" is ${from}; cannot ${action}`);
  }
}

/** Safety alerts close only when a person confirms (domain.md, "Staff workflow after an alert"). */
export class SafetyAlertNeedsPersonError extends RulesCoreError {
  readonly code = 'safety_alert_needs_person';
  readonly httpStatus = 409;
  constructor(
    readonly alertId: string,
    readonly rule: string,
  ) {
    super(`alert "${alertId}" (${rule}) is a safety alert: only a person may resolve it, with a person's outcome`);
  }
}

export class InvalidOutcomeError extends RulesCoreError {
  readonly code = 'invalid_outcome';
  readonly httpStatus = 400;
  constructor(readonly outcome: unknown) {
    super(`unknown outcome ${JSON.stringify(outcome)}`);
  }
}

export class InvalidAwayPeriodError extends RulesCoreError {
  readonly code = 'invalid_away_period';
  readonly httpStatus = 400;
}

export class InvalidInputError extends RulesCoreError {
  readonly code = 'invalid_input';
  readonly httpStatus = 400;
}

/** A check-in call result for a call id the core does not know (or no longer keeps). */
export class CallNotFoundError extends RulesCoreError {
  readonly code = 'call_not_found';
  readonly httpStatus = 404;
  constructor(readonly callId: string) {
    super(`call "${callId}" not found`);
  }
}

/** The gateway already reported a different result for this call: the first answer stands. */
export class CallAlreadyAnsweredError extends RulesCoreError {
  readonly code = 'call_already_answered';
  readonly httpStatus = 409;
  constructor(
    readonly callId: string,
    readonly result: string | undefined,
  ) {
    super(`call "${callId}" already has a result (${result ?? 'recorded'}); the first answer stands`);
  }
}

export class SnapshotVersionError extends RulesCoreError {
  readonly code = 'snapshot_version';
  readonly httpStatus = 500;
  constructor(readonly version: unknown) {
    super(`unsupported rules-core snapshot version ${JSON.stringify(version)}`);
  }
}
