/**
 * The few error types the application throws on purpose. The HTTP layer maps them to
 * `{ error: { code, message, fields? } }`; anything else becomes a 500 `internal` and is logged.
 */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'payload_too_large'
  | 'bad_request'
  | 'fetch_refused'
  | 'fetch_failed'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Input failed validation; `fields` maps a field path to what is wrong with it. */
export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super('validation', message, 400);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string | number) {
    super('not_found', `${what} ${id} does not exist`, 404);
    this.name = 'NotFoundError';
  }
}

/** A uniqueness rule was violated (the repository translates the driver's constraint error). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message, 409);
    this.name = 'ConflictError';
  }
}

export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super('unauthorized', message, 401);
    this.name = 'UnauthorizedError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
