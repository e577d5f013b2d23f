import type { CodeOf } from '../../domain/index.js';

/**
 * What the transport itself answers with, before or around the application: a request it cannot read, a route or
 * method it does not have, a store it cannot reach. In the one status table with the application's codes.
 */
export const REQUEST_ERRORS = {
  /** Fields that fail the operation's schemas: every one is named in `errors`. */
  INVALID: 'REQUEST.INVALID',
  /** A body that is not JSON. */
  MALFORMED: 'REQUEST.MALFORMED',
  /** A body that is not valid UTF-8: refused rather than read with replacement characters. */
  INVALID_ENCODING: 'REQUEST.INVALID_ENCODING',
  TOO_LARGE: 'REQUEST.TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  /** Any other refusal of the request by the HTTP framework. */
  REFUSED: 'REQUEST.REFUSED',
  NOT_FOUND: 'ROUTE.NOT_FOUND',
  /** The path exists, the method does not: `Allow` lists the methods it has. */
  METHOD_NOT_ALLOWED: 'ROUTE.METHOD_NOT_ALLOWED',
  /** The store is unreachable, throttled or timing out on a read (or a command's read): `Retry-After` says when to try again. */
  STORE_UNAVAILABLE: 'STORE.UNAVAILABLE',
} as const;
export type RequestErrorCode = CodeOf<typeof REQUEST_ERRORS>;

/** An unexpected failure (a bug or broken data): answered 500 with an id to quote, never in the status table. */
export const INTERNAL_ERROR = 'INTERNAL';

/** How long a client is asked to wait before retrying when the store is down: long enough for a restart or fail-over to begin. */
export const RETRY_AFTER_SECONDS = 5;
