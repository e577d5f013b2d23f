import type { FastifyServerOptions } from 'fastify';
import { maskCardNumbers } from '../../domain/index.js';

/**
 * What never reaches a log line: credentials (authorisation headers, cookies, webhook signatures) and personal
 * data (names travel under `personal`, emails, addresses, free-text notes), wherever a log call puts them. pino's
 * paths: `*` is one level. `name` alone is not listed: errors and projections carry one that operators need.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-gateway-signature"]',
  'req.headers["idempotency-key"]',
  'req.body',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  '*.authorization',
  'body',
  '*.body',
  'personal',
  '*.personal',
  'shippingAddress',
  '*.shippingAddress',
  'email',
  '*.email',
  'address',
  '*.address',
  'summary',
  '*.summary',
  'reason',
  '*.reason',
  'paymentMethodToken',
  '*.paymentMethodToken',
];

/** A URL as logged: percent-decoded where it can be (so that `%20` cannot hide a card number) and with card numbers masked. */
export const loggableUrl = (url: string): string => {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: the raw URL is scanned as it is.
  }
  return decoded === url ? maskCardNumbers(url) : maskCardNumbers(decoded);
};

/** An error as logged: its message and stack with any card number masked (a driver may quote a value it refused). */
const loggableError = (error: Error): { [key: string]: unknown; type: string; message: string; stack: string } => {
  const { code } = error as { code?: unknown };
  // A refusal logged as an unexpected error is a plain object: its code and details stay.
  const fields = error instanceof Error ? {} : { ...(error as object) };
  return { ...fields, type: error.constructor.name, message: maskCardNumbers(String(error.message)), stack: maskCardNumbers(error.stack ?? ''), ...(code === undefined ? {} : { code }) };
};

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly hostname?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number };
}

/**
 * The service's logger options with redaction added: fastify logs each request's URL before any route runs, and
 * a path parameter (`/orders/4111111111111111/ship`) would otherwise carry a card number into the log.
 */
export const withRedaction = (logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] => {
  if (logger === false || logger === undefined) return false;
  const options = logger === true ? {} : logger;
  return {
    ...options,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    serializers: {
      ...(options.serializers ?? {}),
      err: loggableError,
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: loggableUrl(request.url ?? ''),
        host: request.hostname,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
};
