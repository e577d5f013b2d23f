import type { CodeOf, DomainErrorCode } from '../domain/index.js';
import type { CARD_NUMBER_ERRORS } from './commands/card-number-guard.js';
import type { IdempotencyError } from './commands/command-error.js';
import type { GatewayErrorCode } from './payments/gateway-webhooks.js';
import type { AppendError } from './ports/event-store.js';
import type { FulfilmentQueryError } from './workflows/fulfilment-view.js';

/** What the application's queries refuse with, besides the domain's codes. */
export const QUERY_ERRORS = {
  /** A temporal query naming an aggregate type that does not exist. */
  UNKNOWN_AGGREGATE_TYPE: 'AGGREGATE.UNKNOWN_TYPE',
  /** A read model as of a time replays at most so many streams per request. */
  AS_OF_TOO_BROAD: 'READ_MODEL.AS_OF_TOO_BROAD',
} as const;

/** What operations on the read side refuse with. */
export const PROJECTION_ERRORS = {
  NOT_FOUND: 'PROJECTION.NOT_FOUND',
  REBUILD_IN_PROGRESS: 'PROJECTION.REBUILD_IN_PROGRESS',
} as const;

/**
 * Every code a command, a query or an operation of the application can be refused with: a transport maps each
 * one (the HTTP status table is checked against this union by the compiler).
 */
export type ApplicationErrorCode =
  | DomainErrorCode
  | AppendError['code']
  | IdempotencyError['code']
  | CodeOf<typeof CARD_NUMBER_ERRORS>
  | CodeOf<typeof QUERY_ERRORS>
  | CodeOf<typeof PROJECTION_ERRORS>
  | GatewayErrorCode
  | FulfilmentQueryError['code'];
