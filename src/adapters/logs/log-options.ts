import type { LoggerOptions } from 'pino';
import { loggableError } from './loggable-error.js';
import { REDACTED, REDACTED_PATHS } from './redacted-paths.js';
import { traceMixin, traceMergeStrategy } from './trace-mixin.js';

/**
 * What every logger of the service shares, the HTTP server's and the events' alike: one redaction list, errors
 * with card numbers masked, and the trace id and span id of the line's trace on every line.
 */
export const sharedLogOptions = (): Required<Pick<LoggerOptions, 'redact' | 'mixin' | 'mixinMergeStrategy'>> & { serializers: { err: typeof loggableError } } => ({
  redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
  mixin: traceMixin,
  mixinMergeStrategy: traceMergeStrategy,
  serializers: { err: loggableError },
});
