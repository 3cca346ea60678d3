/**
 * Domain errors. They say what went wrong in business terms and carry no HTTP status; `#shared/http/problem.ts`
 * is the one place that maps them to problem details.
 */

/** The entity asked for does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The caller may not do this to this record (a role the record's own routes require): answered as a 403. */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** The request is valid but conflicts with the current state (a transition that is not allowed, a duplicate). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** Input that passed the schema but breaks a business rule about its own content; answered as a 400. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/**
 * A list cursor that was not made for this list: altered, forged, or taken from another list or range. Answered as
 * a 400 naming `cursor` (README, Conventions: cursors are signed, a tampered one is 400).
 */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  constructor(message = 'The cursor is not valid for this list.') {
    super(message);
  }
}

/**
 * A write lost an optimistic-concurrency race or collided with another transaction; the caller may re-read and
 * try again. Never shown to clients as such: retried, then surfaced as a 5xx / redelivery.
 */
export class ConcurrencyError extends Error {
  override name = 'ConcurrencyError';
}
