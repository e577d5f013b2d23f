import { PERSONAL_FIELDS } from '../../application/privacy/personal-fields.js';

/** Credentials, wherever a request or a log call carries them. */
const CREDENTIALS: readonly string[] = [
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
];

/**
 * Personal and free-text fields: the top of every personal field's path (so that a personal field added to
 * PERSONAL_FIELDS is redacted from the log too), and what commands carry beside them. `name` alone is not listed:
 * errors and consumers carry one that operators need.
 */
const PERSONAL: readonly string[] = [...new Set([...Object.values(PERSONAL_FIELDS).flatMap((fields) => fields.paths.map((path) => path[0] ?? '')), 'email', 'address', 'reason', 'paymentMethodToken'])].filter(
  (key) => key !== '',
);

/**
 * What never reaches a log line, for every logger of the service (its requests' and its events'): pino's paths,
 * where `*` is one level.
 */
export const REDACTED_PATHS: readonly string[] = [...CREDENTIALS, ...PERSONAL.flatMap((key) => [key, `*.${key}`])];

export const REDACTED = '[redacted]';
