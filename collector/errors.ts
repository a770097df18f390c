/**
 * One error type for everything a client did wrong (or the server cannot do right now), and the
 * one place that turns errors into JSON responses. A handler throws; onError answers.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isStorageUnavailable } from './storage/errors';

export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_field'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'forbidden'
  | 'unknown_site'
  | 'origin_not_allowed'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'too_old'
  | 'erased'
  | 'unavailable'
  | 'insufficient_data'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    /** The offending field, as a dotted path (`events.3.url`), when there is one. */
    readonly field?: string,
    /** Seconds, for 429 and 503. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toJSON() {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) },
    };
  }
}

export const badField = (field: string, message: string) =>
  new AppError(400, 'invalid_field', `${field}: ${message}`, field);

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);

/**
 * Errors that mean "try again later", not "bug": the storage is busy, full or unreachable
 * (storage/errors.ts knows each database's codes), or the writer thread stopped mid-commit.
 */
export function isUnavailable(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'WRITER_STOPPED' || isStorageUnavailable(error);
}

export function onError(error: Error, c: Context): Response {
  if (error instanceof AppError) {
    if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
    return c.json(error.toJSON(), error.status);
  }
  if (isUnavailable(error)) {
    c.header('Retry-After', '5');
    return c.json({ error: { code: 'unavailable', message: 'storage is busy or full; retry later' } }, 503);
  }
  // Hono's own HTTPException (e.g. from bodyLimit) carries a status and its own response.
  const status = (error as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return c.json({ error: { code: 'bad_request', message: error.message } }, status as ContentfulStatusCode);
  }
  console.error('unhandled error', error);
  return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
}
