import type { DomainError } from '../../domain/index.js';
import type { AppendError } from '../ports/event-store.js';

export type IdempotencyError =
  | { readonly code: 'IDEMPOTENCY.KEY_REUSED'; readonly message: string }
  | { readonly code: 'IDEMPOTENCY.IN_PROGRESS'; readonly message: string };

/** Everything a command can be refused with: a rule, the store, or an idempotency key. */
export type CommandError = DomainError | AppendError | IdempotencyError;

export interface CommandOutcome {
  readonly aggregateId: string;
  readonly streamId: string;
  /** The aggregate's version after the command. */
  readonly version: number;
  readonly eventTypes: readonly string[];
}
